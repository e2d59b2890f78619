// The end of a run: the final evaluation (with the disentanglement scores
// when the data's factors are known), metrics.jsonl's last line, the model
// in out/model and the configuration in out/config.json.
import type { Split } from "../data/dataset.ts";
import type { FactorDataset } from "../data/factor_dataset.ts";
import { temporaryName, writeAtomic } from "../io/write_atomic.ts";
import { deriveSeed } from "../math/rng.ts";
import type { TrainableModel } from "../models/trainable_model.ts";
import type { TrainerState } from "./checkpoint.ts";
import type { TrainConfig } from "./config.ts";
import { metricsLines } from "./epochs.ts";
import { disentanglementScores } from "./scores.ts";
import { applies, setting } from "./settings.ts";
import { evaluateModel } from "./setup.ts";
import type { FinalMetrics, TrainResult } from "./trainer.ts";

/**
 * The final evaluation (with the disentanglement scores when the data's
 * factors are known), metrics.jsonl's last line, and the model in out/model.
 */
export async function finish(
  model: TrainableModel,
  state: TrainerState,
  c: TrainConfig,
  { data, testInput, factors }: { data: Split; testInput: Float32Array; factors?: FactorDataset },
  out: string,
  log: (line: string) => void,
): Promise<TrainResult> {
  log(
    `Evaluating on ${data.test.count} test images${
      applies(setting("evalSamples"), c) ? ` with k = ${c.evalSamples} importance samples` : ""
    }…`,
  );
  const e0 = performance.now();
  const ev = await evaluateModel(model, c, testInput, c.evalSamples);
  if (factors) {
    log(`Scoring the codes on ${factors.name} (${c.scorePoints} points)…`);
    Object.assign(
      ev,
      await disentanglementScores(
        model,
        factors,
        { points: c.scorePoints, trees: c.scoreTrees },
        deriveSeed(c.seed, 7),
      ),
    );
  }
  const final: FinalMetrics = {
    kind: "final",
    ...ev,
    trainSeconds: state.seconds,
    evalSeconds: (performance.now() - e0) / 1000,
  };
  await writeAtomic(`${out}/metrics.jsonl`, metricsLines(state.metrics, final));
  const tmp = temporaryName(`${out}/model`);
  await model.save(tmp);
  await Deno.remove(`${out}/model`, { recursive: true }).catch(() => {});
  await Deno.rename(tmp, `${out}/model`);
  await writeAtomic(`${out}/config.json`, JSON.stringify(c, null, 2));
  return { model, config: c, metrics: state.metrics, final, data, testInput };
}
