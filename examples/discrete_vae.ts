/**
 * Worked example: a VAE whose latent is discrete — 20 categorical variables
 * of 10 classes each — trained through the Gumbel-softmax relaxation (Jang
 * et al. 2017; the Concrete distribution of Maddison et al. 2017) on the
 * embedded MNIST digits, and scored as the discrete model it is.
 *
 * The model: p(z) uniform over the 10²⁰ one-hot codes, p(x | z) Bernoulli
 * from an MLP decoder (200-256-512-784), q(z | x) = Πₙ Cat(zₙ; softmax(ℓₙ(x)))
 * from an MLP encoder (784-512-256-200). A categorical draw has no gradient,
 * so training replaces it by a draw of `RelaxedOneHotCategorical(τ, ℓ)` — a
 * point of the simplex, differentiable in ℓ — and maximises
 *
 * ```text
 * E_{z̃ ~ Concrete(τ, ℓ)}[log p(x | z̃)] − Σₙ KL(Cat(ℓₙ) ‖ Uniform(10))
 * ```
 *
 * with the temperature annealed as τ = max(½, exp(−r t)) at step t (Jang et
 * al.'s schedule; r puts τ at ½ after 70% of the steps). The score is the
 * discrete model's ELBO on held-out digits, with one-hot draws z ~
 * `OneHotCategorical(ℓ)`: E_q[log p(x | z)] − KL(q ‖ p), averaged over 10
 * draws per digit, the held-out digits binarised once with seed 0 as
 * `deno task train` binarises its test set. Beside it runs the same model at a fixed τ = 1: trained on
 * blurred codes, it scores worse when its decoder sees one-hot ones.
 *
 * Run: `deno run --allow-read --allow-ffi examples/discrete_vae.ts [epochs] [seeds]`
 * (`--allow-ffi` for the system's BLAS; without it, XNNPACK)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  Batches,
  binarizeOnce,
  type Dataset,
  dense,
  loadEmbeddedMnist,
  subset,
} from "../models.ts";
import {
  Bernoulli,
  Categorical,
  klDivergence,
  OneHotCategorical,
  RelaxedOneHotCategorical,
  useBackend,
} from "../tensor.ts";
import { printTable } from "./_table.ts";

/** Latent variables, and classes per variable. */
const N = 20, K = 10;
/** Draws per held-out digit in the discrete ELBO. */
const SCORE_DRAWS = 10;

/** One trained model's schedule and scores. */
export interface DiscreteFit {
  /** "annealed" (τ from 1 down to ½) or "fixed τ = 1". */
  schedule: string;
  /** τ at the last step. */
  finalTemperature: number;
  /** The relaxed objective on the training batches of the last epoch (nats per digit). */
  relaxedObjective: number;
  /** The discrete model's ELBO on the held-out digits, one-hot draws (nats per digit). */
  discreteElbo: number;
  /** Its standard error over the digits. */
  standardError: number;
  /** The held-out E_q[log p(x | z)] and KL(q ‖ p) that make it up. */
  reconstruction: number;
  kl: number;
}

/** A dense layer's weights, Glorot-uniform from a seed. */
function layer(i: number, o: number, seed: number): [tf.Variable, tf.Variable] {
  const limit = Math.sqrt(6 / (i + o));
  // (In a tidy: tf.variable keeps its initial tensor alive otherwise.)
  return tf.tidy(() => [
    tf.variable(tf.randomUniform([i, o], -limit, limit, "float32", seed)),
    tf.variable(tf.zeros([o])),
  ]);
}

/** An MLP of `sizes` with ReLUs between its layers, the last layer linear. */
function mlp(x: tf.Tensor2D, layers: [tf.Variable, tf.Variable][], first = true): tf.Tensor2D {
  let h = x;
  layers.forEach(([w, b], i) => {
    h = dense(h, w as tf.Tensor2D, b as tf.Tensor1D, { inputGradient: !(first && i === 0) });
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return h;
}

/** Sizes of a shorter fit: the first `trainCount` training and `testCount` held-out digits. */
export interface FitOptions {
  seed?: number;
  trainCount?: number;
  testCount?: number;
}

/** Trains one model for `epochs` epochs and scores it; τ fixed at 1 unless `anneal`. */
export async function fit(
  epochs: number,
  anneal: boolean,
  options: FitOptions = {},
): Promise<DiscreteFit> {
  const { seed = 1 } = options;
  const data = loadEmbeddedMnist();
  const first = (d: Dataset, n = d.count) =>
    subset(d, Array.from({ length: Math.min(n, d.count) }, (_, i) => i));
  const train = first(data.train, options.trainCount), test = first(data.test, options.testCount);
  const encoder = [layer(784, 512, seed), layer(512, 256, seed + 1), layer(256, N * K, seed + 2)];
  const decoder = [
    layer(N * K, 256, seed + 3),
    layer(256, 512, seed + 4),
    layer(512, 784, seed + 5),
  ];
  const variables = [...encoder, ...decoder].flat();
  const optimizer = tf.train.adam(1e-3);
  const batches = new Batches(train, { batchSize: 100, seed, binarize: true });
  const steps = epochs * batches.perEpoch, rate = Math.log(2) / (0.7 * steps);
  const flat = tf.zeros([N, K]), uniform = new Categorical({ logits: flat });
  /** Σₙ KL(Cat(ℓₙ) ‖ Uniform(K)) per digit, for logits [b, N, K]. */
  const klOf = (logits: tf.Tensor) => {
    const q = new Categorical({ logits });
    const kl = tf.sum(klDivergence(q, uniform), -1);
    q.dispose();
    return kl;
  };
  /** log p(x | z) per digit for codes z [..., b, N, K] and digits x [b, 784]. */
  const logLikelihood = (z: tf.Tensor, x: tf.Tensor) => {
    const out = mlp(tf.reshape(z, [-1, N * K]) as tf.Tensor2D, decoder, false);
    const p = new Bernoulli({ logits: tf.reshape(out, [...z.shape.slice(0, -2), 784]) });
    const lp = p.logProb(x);
    p.dispose();
    return lp;
  };
  let tau = 1, relaxedObjective = 0;
  try {
    for (let e = 0; e < epochs; e++) {
      // The epoch's losses summed on the device, read once at its end.
      let sum: tf.Tensor = tf.scalar(0);
      for (let i = 0; i < batches.perEpoch; i++) {
        const t = e * batches.perEpoch + i;
        tau = anneal ? Math.max(0.5, Math.exp(-rate * t)) : 1;
        const x = tf.tensor2d(batches.batch(e, i), [batches.batchSize, 784]);
        const loss = optimizer.minimize(
          () => {
            const logits = tf.reshape(mlp(x as tf.Tensor2D, encoder), [-1, N, K]);
            const q = new RelaxedOneHotCategorical(tau, { logits });
            const z = tf.squeeze(q.sample(1, seed * 1_000_003 + t), [0]);
            q.dispose();
            return tf.neg(tf.mean(tf.sub(logLikelihood(z, x), klOf(logits))));
          },
          true,
          variables,
        ) as tf.Scalar;
        const next = tf.add(sum, loss);
        tf.dispose([sum, loss, x]);
        sum = next;
      }
      relaxedObjective = -(await sum.data())[0]! / batches.perEpoch;
      sum.dispose();
    }
    // The discrete model's ELBO on the held-out digits: one-hot draws.
    const per = tf.tidy(() => {
      const x = tf.tensor2d(binarizeOnce(test, 0), [test.count, 784]);
      const logits = tf.reshape(mlp(x as tf.Tensor2D, encoder), [-1, N, K]);
      const q = new OneHotCategorical({ logits });
      const z = q.sample(SCORE_DRAWS, seed + 7);
      const rec = tf.mean(logLikelihood(z, x), 0);
      return [rec, klOf(logits)];
    });
    const [rec, kl] = (await Promise.all(per.map((t) => t.data()))).map((v) => Array.from(v));
    tf.dispose(per);
    const elbo = rec!.map((r, i) => r - kl![i]!);
    const mean = elbo.reduce((a, v) => a + v, 0) / elbo.length;
    const sd = Math.sqrt(elbo.reduce((a, v) => a + (v - mean) ** 2, 0) / (elbo.length - 1));
    return {
      schedule: anneal ? "annealed" : "fixed τ = 1",
      finalTemperature: tau,
      relaxedObjective,
      discreteElbo: mean,
      standardError: sd / Math.sqrt(elbo.length),
      reconstruction: rec!.reduce((a, v) => a + v, 0) / rec!.length,
      kl: kl!.reduce((a, v) => a + v, 0) / kl!.length,
    };
  } finally {
    uniform.dispose();
    flat.dispose();
    optimizer.dispose();
    tf.dispose(variables);
  }
}

/** Both schedules, the same seed and batches. */
export async function run(epochs = 10, seed = 1): Promise<DiscreteFit[]> {
  return [await fit(epochs, true, { seed }), await fit(epochs, false, { seed })];
}

if (import.meta.main) {
  // The system's BLAS where it is installed (Debian's libopenblas0-pthread), else XNNPACK.
  await useBackend("wasm", { threads: 1, blas: true }).catch(() => useBackend("wasm"));
  const epochs = Number(Deno.args[0] ?? 10), seeds = Number(Deno.args[1] ?? 1);
  const start = performance.now();
  const rows: string[][] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    for (const f of await run(epochs, seed)) {
      rows.push([
        String(seed),
        f.schedule,
        f.finalTemperature.toFixed(3),
        f.relaxedObjective.toFixed(1),
        `${f.discreteElbo.toFixed(1)} ± ${f.standardError.toFixed(1)}`,
        f.reconstruction.toFixed(1),
        f.kl.toFixed(1),
      ]);
    }
  }
  printTable(
    [
      "seed",
      "schedule",
      "final τ",
      "relaxed objective",
      "discrete ELBO (± s.e.)",
      "E_q log p(x|z)",
      "KL(q ‖ p)",
    ],
    rows,
  );
  const seconds = ((performance.now() - start) / 1000).toFixed(0);
  console.log(`${epochs} epochs on the embedded digits, seeds 1–${seeds}: ${seconds} s`);
}
