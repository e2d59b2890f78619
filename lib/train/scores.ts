// The disentanglement scores of a trained model on a data set with known
// factors (dSprites): the five of Locatello et al. (2019) — BetaVAE,
// FactorVAE, MIG, SAP and DCI — read from the model's codes (a VAE's
// posterior means), as the training report and a sweep show them.
import type { FactorDataset } from "../data/factor_dataset.ts";
import type { TrainableModel } from "../models/trainable_model.ts";
import { betaVaeScore } from "../metrics/beta_vae_score.ts";
import { dci } from "../metrics/dci.ts";
import { factorVaeScore } from "../metrics/factor_vae_score.ts";
import { mig } from "../metrics/mig.ts";
import { sampleCodes } from "../metrics/sample_codes.ts";
import { sapScore } from "../metrics/sap_score.ts";
import { deriveSeed } from "../math/rng.ts";
import { tf } from "../tensor/_tf.ts";

/** The five scores, each in [0, 1] (DCI's three parts apart). */
export interface DisentanglementScores {
  /** BetaVAE score (Higgins et al. 2017): accuracy of a linear classifier of the fixed factor. */
  betaVae: number;
  /** FactorVAE score (Kim & Mnih 2018): accuracy of the majority-vote classifier. */
  factorVae: number;
  /** Mutual information gap (Chen et al. 2018). */
  mig: number;
  /** Separated attribute predictability (Kumar et al. 2018). */
  sap: number;
  /** DCI disentanglement (Eastwood & Williams 2018). */
  dciDisentanglement: number;
  /** DCI completeness. */
  dciCompleteness: number;
  /** DCI informativeness (held-out accuracy). */
  dciInformativeness: number;
}

/** The scores' keys, in the order of the report's table. */
export const SCORE_KEYS: readonly (keyof DisentanglementScores)[] = [
  "betaVae",
  "factorVae",
  "mig",
  "sap",
  "dciDisentanglement",
  "dciCompleteness",
  "dciInformativeness",
];

/** The scores' names as tables show them. */
export const SCORE_NAMES: Readonly<Record<keyof DisentanglementScores, string>> = {
  betaVae: "BetaVAE",
  factorVae: "FactorVAE",
  mig: "MIG",
  sap: "SAP",
  dciDisentanglement: "DCI disentanglement",
  dciCompleteness: "DCI completeness",
  dciInformativeness: "DCI informativeness",
};

/** How many draws the scores use: `points` codes and classifier points, DCI's `trees`. */
export interface ScoreSizes {
  points: number;
  trees: number;
}

/**
 * Scores a model on a factor data set. MIG, SAP and DCI read `points`
 * codes of images drawn uniformly; the BetaVAE and FactorVAE scores train
 * their classifiers on `points` votes and evaluate on `points / 2` (Locatello
 * et al. 2019 use 10,000 and 5,000), FactorVAE's scale from `points` codes.
 * Every draw is seeded from `seed`.
 *
 * @param model The trained model (its `embed`: a VAE's posterior mean).
 * @param data The factor data set.
 * @param sizes `points` and DCI's `trees`.
 * @param seed The seed of the draws.
 * @returns The scores.
 */
export async function disentanglementScores(
  model: TrainableModel,
  data: FactorDataset,
  sizes: ScoreSizes,
  seed: number,
): Promise<DisentanglementScores> {
  const D = data.imageSize ** 2;
  const encode = async (images: Float32Array, n: number) => {
    const x = tf.tensor2d(images.subarray(0, n * D), [n, D]);
    const z = model.embed(x);
    const rows = (await z.array()) as number[][];
    tf.dispose([x, z]);
    return rows;
  };
  const evalPoints = Math.max(1, Math.floor(sizes.points / 2));
  const { codes, factors } = await sampleCodes(data, encode, {
    n: sizes.points,
    seed: deriveSeed(seed, 11),
  });
  const d = dci(codes, factors, { trees: sizes.trees });
  return {
    betaVae: await betaVaeScore(data, encode, {
      seed: deriveSeed(seed, 12),
      numTrain: sizes.points,
      numEval: evalPoints,
    }),
    factorVae: await factorVaeScore(data, encode, {
      seed: deriveSeed(seed, 13),
      numTrain: sizes.points,
      numEval: evalPoints,
      numVarianceEstimate: sizes.points,
    }),
    mig: mig(codes, factors),
    sap: sapScore(codes, factors),
    dciDisentanglement: d.disentanglement,
    dciCompleteness: d.completeness,
    dciInformativeness: d.informativeness,
  };
}
