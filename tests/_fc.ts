// Shared fast-check settings: a fixed seed so every run is reproducible (set
// FC_SEED to replay another), and a run count that keeps the suite fast.
// fast-check prints the seed and path of any failure.
import fc from "fast-check";

const fromEnv = (() => {
  try {
    return Deno.env.get("FC_SEED");
  } catch {
    return undefined;
  }
})();

/** The seed every property test runs with. */
export const FC_SEED: number = fromEnv ? Number(fromEnv) : 20261122;
fc.configureGlobal({ seed: FC_SEED, numRuns: 100 });

export { fc };
