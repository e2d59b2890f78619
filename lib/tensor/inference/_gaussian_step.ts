// The reparameterized ELBO step of a Gaussian surrogate with the
// reparameterization differentiated by hand: only the target goes on the tape.
import { tf } from "../_tf.ts";
import { sigmoid } from "../../math/softplus.ts";
import { softplusUnchecked } from "../../bijectors/softplus.ts";
import { deriveSeed } from "../../math/rng.ts";
import type { TargetLogProb } from "./target_log_prob.ts";
import type { TrainableSurrogate } from "./surrogate.ts";
import { type Taped, tapedAt } from "./_taped.ts";

/**
 * How a surrogate's variables [μ, ρ] make its Gaussian: `"diag"`, σ =
 * softplus(ρ) + floor; `"tril"`, L = FillScaleTriL(ρ) with that diagonal.
 */
export interface GaussianForm {
  readonly kind: "diag" | "tril";
  readonly floor: number;
}

const forms = new WeakMap<TrainableSurrogate, GaussianForm>();

/** Records that `q` (built by meanFieldSurrogate or fullRankSurrogate) has the form `form`. */
export function markGaussian(q: TrainableSurrogate, form: GaussianForm): TrainableSurrogate {
  forms.set(q, form);
  return q;
}

/**
 * The form of `q` when a step can differentiate it by hand: a surrogate
 * marked by {@linkcode markGaussian}, on a backend whose tensors JavaScript
 * reads without a device round trip (on webgl the tape is cheaper).
 */
export function gaussianForm(q: TrainableSurrogate): GaussianForm | undefined {
  const form = forms.get(q);
  return form && (tf.getBackend() === "cpu" || tf.getBackend() === "wasm") ? form : undefined;
}

const HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);

/**
 * One step of the reparameterized ELBO with the entropy in closed form —
 * the `"elbo"` estimator's loss −(mean_s log p(z_s) + H(q)), z_s = μ + L ε_s —
 * with the same draws as `q.sample(n, seed)`. Only the target is taped:
 * with g_s = ∇ log p(z_s),
 *
 * ```text
 * ∂loss/∂μ = −ḡ,   ∂loss/∂Lᵢⱼ = −mean_s g_si ε_sj (j ≤ i) − [i = j]/Lᵢᵢ,   ∂Lᵢᵢ/∂ρᵢᵢ = σ(ρᵢᵢ)
 * ```
 *
 * (the diagonal case is L = diag σ). What autodiff of the composed ops would
 * give, in float64, without their ~100 kernels.
 */
export function gaussianStep(
  what: string,
  target: TargetLogProb,
  q: TrainableSurrogate,
  form: GaussianForm,
  n: number,
  seed: number,
): Taped {
  const [locVar, rawVar] = q.trainableVariables as [tf.Variable, tf.Variable];
  const loc = locVar.dataSync() as Float32Array, raw = rawVar.dataSync() as Float32Array;
  const d = loc.length, tril = form.kind === "tril";
  const eps = tf.tidy(() => tf.randomNormal([n, d], 0, 1, "float32", deriveSeed(seed)));
  const e = eps.dataSync() as Float32Array;
  eps.dispose();
  // The scale: L row by row (its diagonal at i(i + 1)/2 + i), or σ.
  const diagAt = (i: number) => (tril ? (i * (i + 1)) / 2 + i : i);
  const scale = Float64Array.from(raw);
  let entropy = d * HALF_LOG_2PI_E;
  for (let i = 0; i < d; i++) {
    const k = diagAt(i);
    scale[k] = softplusUnchecked(raw[k]!) + form.floor;
    entropy += Math.log(scale[k]!);
  }
  const z = new Float32Array(n * d);
  for (let s = 0; s < n; s++) {
    const row = s * d;
    for (let i = 0; i < d; i++) {
      let v = loc[i]!;
      if (tril) {
        const start = (i * (i + 1)) / 2;
        for (let j = 0; j <= i; j++) v += scale[start + j]! * e[row + j]!;
      } else v += scale[i]! * e[row + i]!;
      z[row + i] = v;
    }
  }
  const zt = tf.tensor2d(z, [n, d]);
  let taped: { gradient: tf.Tensor; lp: tf.Tensor };
  try {
    taped = tapedAt(what, target, zt);
  } finally {
    zt.dispose();
  }
  const g = taped.gradient.dataSync() as Float32Array;
  const lp = taped.lp.dataSync() as Float32Array;
  taped.gradient.dispose();
  let lpSum = 0;
  for (let s = 0; s < n; s++) lpSum += lp[s]!;
  const dLoc = new Float64Array(d), dRaw = new Float64Array(raw.length);
  for (let s = 0; s < n; s++) {
    const row = s * d;
    for (let i = 0; i < d; i++) {
      const gi = g[row + i]!;
      dLoc[i]! -= gi / n;
      if (tril) {
        const start = (i * (i + 1)) / 2;
        for (let j = 0; j <= i; j++) dRaw[start + j]! -= (gi * e[row + j]!) / n;
      } else dRaw[i]! -= (gi * e[row + i]!) / n;
    }
  }
  for (let i = 0; i < d; i++) {
    const k = diagAt(i);
    dRaw[k] = (dRaw[k]! - 1 / scale[k]!) * sigmoid(raw[k]!);
  }
  return {
    grads: [tf.tensor1d(Float32Array.from(dLoc)), tf.tensor1d(Float32Array.from(dRaw))],
    reported: tf.scalar(-(lpSum / n + entropy)),
    lp: taped.lp,
  };
}
