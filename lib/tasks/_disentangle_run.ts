// One run of the disentanglement sweep: a VAE trained on dSprites with one
// objective and seed, the KL of each latent followed over training, then the
// five scores and a latent traversal.
import { VAE } from "../models/vae.ts";
import type { Objective } from "../models/objectives.ts";
import type { DSprites } from "../data/dsprites.ts";
import { sampleFactors } from "../data/factor_dataset.ts";
import { createRng, deriveSeed } from "../math/rng.ts";
import { mig } from "../metrics/mig.ts";
import { sapScore } from "../metrics/sap_score.ts";
import { dci } from "../metrics/dci.ts";
import { betaVaeScore } from "../metrics/beta_vae_score.ts";
import { factorVaeScore } from "../metrics/factor_vae_score.ts";
import { sampleCodes } from "../metrics/sample_codes.ts";
import { tf } from "../tensor/_tf.ts";

/** The settings every run of a sweep shares. */
export interface SweepSettings {
  /** Image side (32 or 64). */
  imageSize: number;
  /** `"mlp"` or `"conv"`. */
  network: "mlp" | "conv";
  /** The dense layers (for "conv", after the convolutions). */
  hiddenSizes: number[];
  /** Latents. */
  latentSize: number;
  /** Adam steps per run. */
  steps: number;
  /** Images per step. */
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
  /** Steps between two readings of the KL per latent. */
  klEvery: number;
  /** Sample sizes of the scores. */
  metrics: {
    codes: number;
    trees: number;
    betaVae: { numTrain: number; numEval: number };
    factorVae: { numTrain: number; numEval: number; numVarianceEstimate: number };
  };
}

/** One cell of the grid: a name ("β = 4", "capacity", …), its objective, and β for plots (if fixed). */
export interface SweepCell {
  name: string;
  beta?: number;
  objective: (s: SweepSettings) => Objective;
}

/** What one run leaves: its scores, final terms and the KL per latent over training. */
export interface RunResult {
  cell: string;
  seed: number;
  beta?: number;
  scores: {
    mig: number;
    sap: number;
    dciDisentanglement: number;
    dciCompleteness: number;
    dciInformativeness: number;
    betaVae: number;
    factorVae: number;
  };
  /** Reconstruction and KL (nats per image) on held-out images at the end. */
  reconstruction: number;
  kl: number;
  /** [step, KL of each latent] readings. */
  klHistory: [number, number[]][];
  /** Seconds spent training and scoring. */
  seconds: { train: number; score: number };
}

/** Reports a run's progress. */
export type Progress = (line: string, done: boolean) => void;

/**
 * Trains and scores one run; returns its result (what results.jsonl keeps)
 * and its latent traversal's images (what a PNG keeps).
 */
export async function runCell(
  data: DSprites,
  s: SweepSettings,
  cell: SweepCell,
  seed: number,
  progress: Progress,
): Promise<{ result: RunResult; traversal: Float32Array[] }> {
  const D = s.imageSize ** 2;
  const vae = new VAE({
    inputSize: D,
    network: s.network,
    hiddenSizes: s.hiddenSizes,
    latentSize: s.latentSize,
    objective: cell.objective(s),
    learningRate: s.learningRate,
    seed,
  });
  try {
    const rng = createRng(deriveSeed(seed, 1));
    const held = data.render(sampleFactors(data, 500, createRng(deriveSeed(seed, 2))));
    const batch = new Float32Array(s.batchSize * D);
    const klHistory: [number, number[]][] = [];
    const reading = async (step: number) => {
      const e = await vae.evaluate(held, { importanceSamples: 1, seed });
      klHistory.push([step, e.klPerDimension]);
      return e;
    };
    const t0 = performance.now();
    await reading(0);
    let loss = NaN;
    for (let step = 1; step <= s.steps; step++) {
      data.render(sampleFactors(data, s.batchSize, rng), batch);
      loss = (await vae.trainStep(batch)).loss;
      if (step % s.klEvery === 0 || step === s.steps) {
        const e = await reading(step);
        const eta = (performance.now() - t0) / step * (s.steps - step) / 1000;
        progress(
          `step ${step}/${s.steps}  loss ${loss.toFixed(1)}  KL ${e.kl.toFixed(1)}  β ${
            vae.beta.toFixed(2)
          }  ETA ${Math.round(eta)} s`,
          false,
        );
      }
    }
    const final = await vae.evaluate(held, { importanceSamples: 1, seed });
    const train = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const encode = async (images: Float32Array, n: number) => {
      const x = tf.tensor2d(images.subarray(0, n * D), [n, D]);
      const q = vae.encode(x);
      const rows = (await q.loc.array()) as number[][];
      q.dispose();
      x.dispose();
      return rows;
    };
    const m = s.metrics;
    const { codes, factors } = await sampleCodes(data, encode, { n: m.codes, seed: seed + 11 });
    const d = dci(codes, factors, { trees: m.trees });
    const scores = {
      mig: mig(codes, factors),
      sap: sapScore(codes, factors),
      dciDisentanglement: d.disentanglement,
      dciCompleteness: d.completeness,
      dciInformativeness: d.informativeness,
      betaVae: await betaVaeScore(data, encode, { seed: seed + 12, ...m.betaVae }),
      factorVae: await factorVaeScore(data, encode, { seed: seed + 13, ...m.factorVae }),
    };
    const traversal = await traverse(vae, data, s, final.klPerDimension);
    progress(
      `MIG ${scores.mig.toFixed(3)}  SAP ${scores.sap.toFixed(3)}  DCI-D ${
        scores.dciDisentanglement.toFixed(3)
      }  BetaVAE ${scores.betaVae.toFixed(3)}  FactorVAE ${scores.factorVae.toFixed(3)}`,
      true,
    );
    const result: RunResult = {
      cell: cell.name,
      seed,
      ...(cell.beta === undefined ? {} : { beta: cell.beta }),
      scores,
      reconstruction: final.reconstruction,
      kl: final.kl,
      klHistory,
      seconds: { train, score: (performance.now() - t1) / 1000 },
    };
    return { result, traversal };
  } finally {
    vae.dispose();
  }
}

/** Traversal values of each latent, from −2.5 to 2.5 (as Burgess et al. 2018). */
export const TRAVERSAL = Array.from({ length: 9 }, (_, i) => -2.5 + (5 * i) / 8);

/**
 * A latent traversal: one image's posterior mean, each latent in turn (most
 * informative first) set to the values of {@linkcode TRAVERSAL}, decoded.
 * Returns latentSize × 9 images, a row per latent.
 */
async function traverse(
  vae: VAE,
  data: DSprites,
  s: SweepSettings,
  klPerDimension: number[],
): Promise<Float32Array[]> {
  const D = s.imageSize ** 2, K = s.latentSize;
  // A heart of middle scale in the middle: every factor has room to move.
  const image = data.render([[2, 3, 5, 16, 16]]);
  const x = tf.tensor2d(image, [1, D]);
  const q = vae.encode(x);
  const mu = (await q.loc.data()) as Float32Array;
  q.dispose();
  x.dispose();
  const order = [...klPerDimension.keys()].sort((a, b) => klPerDimension[b]! - klPerDimension[a]!);
  const codes = new Float32Array(K * TRAVERSAL.length * K);
  order.forEach((u, r) =>
    TRAVERSAL.forEach((v, c) => {
      const row = (r * TRAVERSAL.length + c) * K;
      codes.set(mu, row);
      codes[row + u] = v;
    })
  );
  const z = tf.tensor2d(codes, [K * TRAVERSAL.length, K]);
  const out = vae.decodeMean(z);
  const values = (await out.data()) as Float32Array;
  tf.dispose([z, out]);
  return Array.from({ length: K * TRAVERSAL.length }, (_, i) => values.slice(i * D, (i + 1) * D));
}
