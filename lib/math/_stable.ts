// Internal building blocks for formulas whose naive form cancels or
// overflows. Each is accurate to a few ulps relative to its result.
import { MIN_NORMAL } from "./_validate.ts";

/**
 * eˣ − 1 − x ≥ 0, accurate where it is tiny: the Taylor series
 * Σₙ≥₂ xⁿ/n! for |x| < ½, expm1(x) − x (at most ~2 bits lost) elsewhere.
 */
export function expm1mx(x: number): number {
  if (Math.abs(x) >= 0.5) return Math.expm1(x) - x;
  let term = 0.5 * x * x, sum = term;
  for (let n = 3; n < 30; n++) {
    term *= x / n;
    sum += term;
    if (Math.abs(term) <= 1e-17 * sum) break;
  }
  return sum;
}

/**
 * log(1 + y) − y ≤ 0 for y > −1, accurate where it is tiny. With
 * t = y/(2 + y), log(1 + y) = 2 atanh t and y − 2t = y t, so
 *
 * ```text
 * log(1 + y) − y = t (2 S − y),   S = Σₖ≥₁ t²ᵏ/(2k + 1)
 * ```
 *
 * whose two terms never cancel; used for |y| < ½ (|t| ≤ ⅓), log1p(y) − y
 * elsewhere.
 */
export function log1pmx(y: number): number {
  if (Math.abs(y) >= 0.5) return Math.log1p(y) - y;
  const t = y / (2 + y), t2 = t * t;
  let power = t2, s = t2 / 3;
  for (let k = 2; k < 40; k++) {
    power *= t2;
    const term = power / (2 * k + 1);
    s += term;
    if (term <= 1e-17 * s) break;
  }
  return t * (2 * s - y);
}

/**
 * log(a / b) for positive a, b, accurate when a ≈ b (a − b is exact there,
 * by Sterbenz's lemma) and free of overflow when they are far apart. When a
 * and b are themselves rounded (1 − p, 1 − q), pass their exact difference
 * `diff` = a − b, known from elsewhere (q − p).
 */
export function logRatio(a: number, b: number, diff: number = a - b): number {
  if (a <= 2 * b && b <= 2 * a) return Math.log1p(diff / b);
  const r = a / b;
  return Number.isFinite(r) && r >= MIN_NORMAL ? Math.log(r) : Math.log(a) - Math.log(b);
}

/** (x − μ)/σ without the spurious overflow of x − μ for huge x and μ of opposite signs. */
export function standardize(x: number, mu: number, sigma: number): number {
  const d = x - mu;
  return Number.isFinite(d) ? d / sigma : 2 * ((0.5 * x - 0.5 * mu) / sigma);
}

/**
 * log softmax, log pᵢ = ℓᵢ − log Σⱼ e^{ℓⱼ}, in the form that keeps the digits
 * of the largest probability's log when it is near 0 (ℓ − logSumExp(ℓ)
 * subtracts two numbers of size ℓ there): with t the first largest logit,
 *
 * ```text
 * log pᵢ = (ℓᵢ − ℓ_t) − log1p(Σ_{j ≠ t} e^{ℓⱼ − ℓ_t})
 * ```
 */
export function logSoftmax(l: Float64Array): Float64Array {
  let top = 0;
  for (let i = 1; i < l.length; i++) if (l[i]! > l[top]!) top = i;
  const m = l[top]!;
  let rest = 0;
  for (let i = 0; i < l.length; i++) if (i !== top) rest += Math.exp(l[i]! - m);
  const c = Math.log1p(rest);
  return l.map((v) => v - m - c);
}
