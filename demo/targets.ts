// The posterior playground's 2-D targets: each a normalized log-density in
// tfjs ops (what fitSurrogatePosterior fits, and what the page draws) and an
// exact sampler (what moment matching averages). log Z = 0 for all three, so
// an ELBO is −KL(q ‖ p) and 0 is the best any surrogate can do.
import * as tf from "@tensorflow/tfjs";
import { Mixture, MultivariateNormal, Normal } from "../tensor.ts";
import { banana as bananaLogProb } from "../examples/banana.ts";

/** A target of the playground. */
export interface Target {
  /** Its key in `?fit=`. */
  readonly key: "banana" | "mixture" | "funnel";
  /** Shown in the menu. */
  readonly label: string;
  /** The formula, shown beside the plot. */
  readonly formula: string;
  /** log p(z) for z `[n, 2]`, `[n]`. */
  logProb(z: tf.Tensor): tf.Tensor;
  /** n exact draws, row after row. */
  sample(n: number, normal: () => number, uniform: () => number): Float64Array;
  /** The plotted square: [x0, x1] × [y0, y1]. */
  readonly view: readonly [number, number, number, number];
}

const column = (z: tf.Tensor, j: number) => tf.squeeze(tf.slice(z, [0, j], [-1, 1]), [1]);

/** z₁ ~ N(0, 1.5²), z₂ | z₁ ~ N(z₁²/2 − 1, 0.5²). */
const banana: Target = {
  key: "banana",
  label: "banana",
  formula: "z₁ ~ N(0, 1.5²),  z₂ | z₁ ~ N(z₁²/2 − 1, 0.5²)",
  logProb: bananaLogProb,
  sample: (n, normal) => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = 1.5 * normal();
      out[2 * i] = a;
      out[2 * i + 1] = a * a / 2 - 1 + 0.5 * normal();
    }
    return out;
  },
  view: [-5, 5, -3, 7],
};

/** The mixture of the M- and I-projection figure: ½ N(m₁, Σ₁) + ½ N(m₂, Σ₂). */
const COMPONENTS = [
  { mean: [-2.5, -1], cov: [[1.0, 0.7], [0.7, 1.0]] },
  { mean: [2.5, 1], cov: [[1.0, -0.6], [-0.6, 0.8]] },
].map(({ mean, cov }) => {
  // Each covariance's Cholesky factor L: z = m + L ε.
  const l00 = Math.sqrt(cov[0]![0]!), l10 = cov[1]![0]! / l00;
  return { mean, tril: [[l00, 0], [l10, Math.sqrt(cov[1]![1]! - l10 * l10)]] };
});

const mixture: Target = {
  key: "mixture",
  label: "two Gaussians",
  formula: "½ N((−2.5, −1), ρ = 0.7) + ½ N((2.5, 1), ρ = −0.67)",
  logProb: (z) =>
    tf.tidy(() =>
      new Mixture(
        [0.5, 0.5],
        COMPONENTS.map(({ mean, tril }) => new MultivariateNormal(mean, tril)),
      ).logProb(z)
    ),
  sample: (n, normal, uniform) => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const { mean, tril } = COMPONENTS[uniform() < 0.5 ? 0 : 1]!;
      const e0 = normal(), e1 = normal();
      out[2 * i] = mean[0]! + tril[0]![0]! * e0;
      out[2 * i + 1] = mean[1]! + tril[1]![0]! * e0 + tril[1]![1]! * e1;
    }
    return out;
  },
  view: [-7, 7, -6, 6],
};

/** Neal's funnel: v ~ N(0, 3²), x | v ~ N(0, (e^{v/2})²); z = (x, v). */
const funnel: Target = {
  key: "funnel",
  label: "Neal's funnel",
  formula: "v ~ N(0, 3²),  x | v ~ N(0, e^v);  z = (x, v)",
  logProb: (z) =>
    tf.tidy(() => {
      const x = column(z, 0), v = column(z, 1);
      return tf.add(new Normal(0, 3).logProb(v), new Normal(0, tf.exp(tf.mul(0.5, v))).logProb(x));
    }),
  sample: (n, normal) => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const v = 3 * normal();
      out[2 * i] = Math.exp(v / 2) * normal();
      out[2 * i + 1] = v;
    }
    return out;
  },
  view: [-8, 8, -8, 8],
};

/** The three targets, by key. */
export const TARGETS: Readonly<Record<Target["key"], Target>> = { banana, mixture, funnel };
