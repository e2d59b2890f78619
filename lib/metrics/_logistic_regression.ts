// L2-regularised logistic regression, as scikit-learn's `LogisticRegression()`
// defaults (C = 1, intercept not penalised, multinomial softmax for more than
// two classes, a single logit for two), which disentanglement_lib's BetaVAE
// score trains. scikit-learn stops L-BFGS after 100 iterations; we run our
// L-BFGS (Nocedal & Wright 2006, algorithm 7.5, with a backtracking Armijo
// line search) to convergence, deterministically:
//
//   min_{W,b} (1/n) Σᵢ [log Σₖ exp(Wₖ·xᵢ + bₖ) − (W_{yᵢ}·xᵢ + b_{yᵢ})] + ‖W‖² / (2 C n)

/** A fitted classifier. */
export interface LogisticRegression {
  /** The number of classes. */
  classes: number;
  /** Weights, one row of d per logit (one logit for two classes, else one per class). */
  weights: Float64Array[];
  /** Intercepts, one per logit. */
  intercepts: Float64Array;
  /** The class of each row of `x` (n × d, row-major). */
  predict(x: Float64Array, n: number): Int32Array;
}

/**
 * Fits the classifier on n rows of d features (`x` row-major) and labels in
 * {0, …, classes − 1}, classes ≥ 2, with inverse regularisation `cost` (C).
 */
export function fitLogisticRegression(
  x: Float64Array,
  labels: Int32Array,
  d: number,
  classes: number,
  cost = 1,
): LogisticRegression {
  const n = labels.length;
  // Two classes: one logit for class 1 (class 0's is 0), as scikit-learn.
  const m = classes === 2 ? 1 : classes;
  const width = d + 1; // weights then intercept, per logit
  const logits = new Float64Array(classes);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      if (m === 1) logits[0] = 0;
      for (let k = 0; k < m; k++) {
        const base = k * width;
        let z = theta[base + d]!;
        for (let j = 0; j < d; j++) z += theta[base + j]! * x[row + j]!;
        logits[m === 1 ? 1 : k] = z;
      }
      let max = -Infinity;
      for (let k = 0; k < classes; k++) max = Math.max(max, logits[k]!);
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += Math.exp(logits[k]! - max);
      const lse = max + Math.log(sum);
      loss += lse - logits[labels[i]!]!;
      for (let k = 0; k < m; k++) {
        const cls = m === 1 ? 1 : k;
        const residual = Math.exp(logits[cls]! - lse) - (labels[i] === cls ? 1 : 0);
        const base = k * width;
        for (let j = 0; j < d; j++) grad[base + j]! += residual * x[row + j]!;
        grad[base + d]! += residual;
      }
    }
    const penalty = 1 / (cost * n);
    let norm = 0;
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < d; j++) {
        const t = theta[k * width + j]!;
        norm += t * t;
        grad[k * width + j] = grad[k * width + j]! / n + penalty * t;
      }
      grad[k * width + d] = grad[k * width + d]! / n;
    }
    return loss / n + 0.5 * penalty * norm;
  };
  const theta = minimizeLbfgs(objective, new Float64Array(m * width));
  return {
    classes,
    weights: Array.from({ length: m }, (_, k) => theta.slice(k * width, k * width + d)),
    intercepts: Float64Array.from({ length: m }, (_, k) => theta[k * width + d]!),
    predict(test: Float64Array, rows: number): Int32Array {
      const out = new Int32Array(rows);
      for (let i = 0; i < rows; i++) {
        let best = 0, score = m === 1 ? 0 : -Infinity;
        for (let k = 0; k < m; k++) {
          let z = theta[k * width + d]!;
          for (let j = 0; j < d; j++) z += theta[k * width + j]! * test[i * d + j]!;
          const cls = m === 1 ? 1 : k;
          if (z > score) [best, score] = [cls, z];
        }
        out[i] = best;
      }
      return out;
    },
  };
}

/**
 * Minimises a smooth convex function by L-BFGS (memory 10) from `x0`, until
 * the largest gradient entry is below 1e-9 or the objective stops moving.
 * `f(x, g)` returns the value and writes the gradient into g.
 */
export function minimizeLbfgs(
  f: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  maxIterations = 1000,
): Float64Array {
  const p = x0.length, memory = 10;
  let x = Float64Array.from(x0), g = new Float64Array(p);
  let fx = f(x, g);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const dir = new Float64Array(p), alpha = new Float64Array(memory);
  let xNew = new Float64Array(p), gNew = new Float64Array(p);
  for (let iter = 0; iter < maxIterations; iter++) {
    if (maxAbs(g) < 1e-9) break;
    // Two-loop recursion: dir = −H g.
    dir.set(g);
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j]! * dot(S[j]!, dir);
      axpy(-alpha[j]!, Y[j]!, dir);
    }
    const gamma = S.length > 0
      ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!)
      : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let j = 0; j < p; j++) dir[j]! *= gamma;
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j]! * dot(Y[j]!, dir);
      axpy(alpha[j]! - beta, S[j]!, dir);
    }
    for (let j = 0; j < p; j++) dir[j] = -dir[j]!;
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let j = 0; j < p; j++) dir[j] = -g[j]!;
      slope = dot(g, dir);
    }
    let t = 1, fNew = 0;
    for (let k = 0; k < 60; k++) {
      for (let j = 0; j < p; j++) xNew[j] = x[j]! + t * dir[j]!;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * t * slope) break;
      t *= 0.5;
    }
    if (!(fNew < fx)) break;
    const s = new Float64Array(p), y = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      s[j] = xNew[j]! - x[j]!;
      y[j] = gNew[j]! - g[j]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-300) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const done = fx - fNew <= 1e-15 * Math.max(1, Math.abs(fx));
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (done) break;
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}
