// A linear support vector classifier on one feature, as scikit-learn's
// `LinearSVC(C, class_weight="balanced")` (liblinear's L2-regularised
// squared-hinge SVC, the intercept a feature of value 1 and so regularised
// too, one-vs-rest for more than two classes), which disentanglement_lib's SAP
// score fits on each (code, factor) pair. liblinear solves the dual to a
// tolerance; with two parameters per class we solve the primal exactly by
// Newton's method (Keerthi & DeCoste 2005):
//
//   min_{w,b} ½(w² + b²) + Σᵢ Cᵢ max(0, 1 − yᵢ(w xᵢ + b))²,   yᵢ = ±1
//
// with Cᵢ = C · n / (K · n_{class of i}) ("balanced") for the positive class
// and, one-vs-rest, plain C for the rest (liblinear weights only the positive
// side of each one-vs-rest problem; with two classes both sides are weighted).

/** A fitted classifier: K (w, b) pairs one-vs-rest, or one pair for two classes. */
export interface Svm1d {
  /** The number of classes. */
  classes: number;
  /** Slopes: one per class (K > 2) or one for class 1 against class 0 (K = 2). */
  w: Float64Array;
  /** Intercepts, as `w`. */
  b: Float64Array;
}

/** Minimises the binary objective above; `y[i]` is ±1, `c[i]` the weight Cᵢ. */
function fitBinary(x: Float64Array, y: Int8Array, c: Float64Array): [number, number] {
  const n = x.length;
  let w = 0, b = 0;
  const objective = (w: number, b: number): number => {
    let f = 0.5 * (w * w + b * b);
    for (let i = 0; i < n; i++) {
      const m = 1 - y[i]! * (w * x[i]! + b);
      if (m > 0) f += c[i]! * m * m;
    }
    return f;
  };
  let f = objective(w, b);
  for (let iter = 0; iter < 200; iter++) {
    let gw = w, gb = b, hww = 1, hwb = 0, hbb = 1;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!, yi = y[i]!;
      const m = 1 - yi * (w * xi + b);
      if (m > 0) {
        const ci = c[i]!, g = -2 * ci * yi * m;
        gw += g * xi;
        gb += g;
        hww += 2 * ci * xi * xi;
        hwb += 2 * ci * xi;
        hbb += 2 * ci;
      }
    }
    // The generalised Hessian is ≥ I, so the 2 × 2 solve is always defined.
    const det = hww * hbb - hwb * hwb;
    const dw = -(hbb * gw - hwb * gb) / det, db = -(hww * gb - hwb * gw) / det;
    const decrement = -(gw * dw + gb * db);
    if (!(decrement > 1e-18 * Math.max(1, f))) break;
    let t = 1, next = objective(w + dw, b + db);
    while (next > f - 0.01 * t * decrement && t > 1e-12) {
      t *= 0.5;
      next = objective(w + t * dw, b + t * db);
    }
    if (!(next < f)) break;
    w += t * dw;
    b += t * db;
    f = next;
  }
  return [w, b];
}

/**
 * Fits the classifier on feature `x` and labels in {0, …, classes − 1}
 * (classes ≥ 2), with regularisation constant `cost` (liblinear's C).
 */
export function fitSvm1d(
  x: Float64Array,
  labels: Int32Array,
  classes: number,
  cost: number,
): Svm1d {
  const n = x.length;
  const counts = new Float64Array(classes);
  for (const l of labels) counts[l]!++;
  // "balanced": class k weighs n / (K · n_k); a class absent from the rows never wins.
  const weight = Array.from(counts, (m) => (m > 0 ? n / (classes * m) : 0));
  const y = new Int8Array(n), c = new Float64Array(n);
  if (classes === 2) {
    for (let i = 0; i < n; i++) {
      y[i] = labels[i] === 1 ? 1 : -1;
      c[i] = cost * weight[labels[i]!]!;
    }
    const [w, b] = fitBinary(x, y, c);
    return { classes, w: Float64Array.of(w), b: Float64Array.of(b) };
  }
  const ws = new Float64Array(classes), bs = new Float64Array(classes);
  for (let k = 0; k < classes; k++) {
    if (counts[k] === 0) {
      bs[k] = -Infinity;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const positive = labels[i] === k;
      y[i] = positive ? 1 : -1;
      c[i] = positive ? cost * weight[k]! : cost;
    }
    [ws[k], bs[k]] = fitBinary(x, y, c);
  }
  return { classes, w: ws, b: bs };
}

/** The class the classifier gives each value of `x` (the first of equal scores). */
export function predictSvm1d(model: Svm1d, x: Float64Array): Int32Array {
  const out = new Int32Array(x.length);
  const { w, b } = model;
  if (model.classes === 2) {
    for (let i = 0; i < x.length; i++) out[i] = w[0]! * x[i]! + b[0]! > 0 ? 1 : 0;
    return out;
  }
  for (let i = 0; i < x.length; i++) {
    let best = 0, score = -Infinity;
    for (let k = 0; k < model.classes; k++) {
      const s = w[k]! * x[i]! + b[k]!;
      if (s > score) [best, score] = [k, s];
    }
    out[i] = best;
  }
  return out;
}
