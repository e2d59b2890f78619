// When a training setting has an effect: the predicates the settings
// declaration (settings_model.ts, settings_run.ts) names in `appliesTo`.

/** The fields a setting's applicability is decided by (a configuration, or part of one). */
export type Fields = Readonly<Record<string, unknown>>;

/** The VAE and the β-VAE (not the autoencoder). */
export const vaeModels = (c: Fields): boolean => c.model !== "ae";
/** The VAE and the β-VAE with the diagonal Gaussian posterior (no flow). */
export const diagonalPosterior = (c: Fields): boolean => c.model !== "ae" && c.posterior !== "iaf";
/** The VAE and the β-VAE with an inverse autoregressive flow posterior. */
export const iafPosterior = (c: Fields): boolean => c.model !== "ae" && c.posterior === "iaf";
/** The β-VAE. */
export const betaVae = (c: Fields): boolean => c.model === "beta-vae";
/** The β-VAE with a fixed β (no capacity annealing, no KL budget). */
export const fixedBeta = (c: Fields): boolean =>
  c.model === "beta-vae" && c.capacity === undefined && c.klBudget === undefined;
/** The constrained β-VAE (a KL budget). */
export const constrained = (c: Fields): boolean =>
  c.model === "beta-vae" && c.klBudget !== undefined;
/** Whether a data set name is one whose factors are known (dSprites). */
export const hasFactors = (dataset: unknown): boolean =>
  typeof dataset === "string" && /^dsprites(:\d+)?$/.test(dataset);
/** A data set with known factors. */
export const factorData = (c: Fields): boolean => hasFactors(c.dataset);
