// Saving and restoring a model: its weights and Adam's state become plain
// arrays, which lib/io/checkpoint.ts writes and reads back fully checked;
// only then are they put into tensors, so a refused checkpoint leaves the
// model as it was.
import { tf } from "../tensor/_tf.ts";
import type { TensorAdam } from "../tensor/adam.ts";
import {
  type NamedValues,
  readCheckpoint,
  readModelJson,
  type SavedModel,
  writeCheckpoint,
} from "../io/checkpoint.ts";
import { fileName, folderPath } from "../io/file_url.ts";
import { CheckpointError } from "./errors.ts";

/** What saving and restoring touch of a model. */
export interface ModelParts {
  /** The trainable variables, in a fixed order. */
  variables: tf.Variable[];
  /** Their names in the files (without the instance's prefix). */
  names: string[];
  /** Adam. */
  optimizer: TensorAdam;
}

/**
 * What is wrong with the training state every model saves, if anything
 * (every value is already known to be a finite number): the step count and
 * Adam's running products β₁ᵗ, β₂ᵗ.
 */
export function checkSavedState(state: Record<string, number>): string | undefined {
  if (state.step !== undefined && !(Number.isSafeInteger(state.step) && state.step >= 0)) {
    return `trainingState.step = ${state.step}, which must be an integer ≥ 0`;
  }
  for (const key of ["adamBeta1Power", "adamBeta2Power"]) {
    const v = state[key];
    if (v !== undefined && !(v > 0 && v <= 1)) {
      return `trainingState.${key} = ${v}, which must be in (0, 1]`;
    }
  }
  return undefined;
}

/** A tensor's values with its name and shape. */
async function valuesOf(name: string, t: tf.Tensor): Promise<NamedValues> {
  return { name, shape: t.shape, values: (await t.data()) as Float32Array | Int32Array };
}

/**
 * Writes a model: its weights, Adam's state (its step count and moments),
 * and model.json with the topology and the training state. Adam keeps β₁ᵗ
 * and β₂ᵗ as running float32 products, which a power computed on restoring
 * would miss in the last bit: they are saved too, so that a resumed run is
 * bit-identical.
 */
export async function saveModel(
  dir: string,
  parts: ModelParts,
  topology: SavedModel["modelTopology"],
  trainingState: Record<string, number>,
): Promise<void> {
  const adam = await parts.optimizer.state();
  const weights = await Promise.all(parts.variables.map((v, i) => valuesOf(parts.names[i]!, v)));
  const optimizer: NamedValues[] = [
    { name: "iter", shape: [], values: Int32Array.of(adam.iterations) },
    ...adam.slots.map((values, i) => ({
      name: `slot${i + 1}`,
      shape: parts.variables[i % parts.variables.length]!.shape,
      values,
    })),
  ];
  const powers = { adamBeta1Power: adam.beta1Power, adamBeta2Power: adam.beta2Power };
  await writeCheckpoint(dir, topology, { ...powers, ...trainingState }, weights, optimizer);
}

/**
 * Checks a saved checkpoint completely against the model's variables and
 * only then restores the weights, Adam's state and its running products.
 * Returns the training state for the model to restore.
 */
export async function restoreModel(
  json: SavedModel,
  base: URL,
  parts: ModelParts,
  checkState: (state: Record<string, number>) => string | undefined,
): Promise<Record<string, number>> {
  const file = fileName(new URL("model.json", base));
  const state = json.trainingState ?? {};
  const problem = checkState(state);
  if (problem) throw new CheckpointError(`Cannot load model: ${file} has ${problem}`, { file });
  const { variables: vars, optimizer } = parts;
  const specs = vars.map((v, i) => ({ name: parts.names[i]!, shape: v.shape }));
  const values = await readCheckpoint(json, base, specs);
  // Everything is checked: from here on nothing can fail half-way.
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(values.weights[i]!, v.shape))));
  if (values.optimizer) {
    optimizer.restore({
      ...values.optimizer,
      beta1Power: state.adamBeta1Power,
      beta2Power: state.adamBeta2Power,
    }, specs.map((s) => s.shape));
  }
  return state;
}

/**
 * Loads a model of a class from a folder or URL: reads model.json, builds
 * the model from its configuration (a configuration the constructor refuses
 * is a CheckpointError), then restores it, disposing it if that fails.
 */
export async function loadModel<M extends { dispose(): void }>(
  dirOrUrl: string | URL,
  className: string,
  build: (config: Record<string, unknown>) => M,
  restore: (model: M, json: SavedModel, base: URL) => Promise<void>,
): Promise<M> {
  if (!(dirOrUrl instanceof URL)) folderPath(`${className}.load`, dirOrUrl);
  const { json, base } = await readModelJson(dirOrUrl, className);
  const file = fileName(new URL("model.json", base));
  let model: M;
  try {
    model = build(json.modelTopology.config);
  } catch (e) {
    if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
    throw new CheckpointError(
      `Cannot load model: ${file} holds a configuration that cannot be built (${e.message})`,
      { file, cause: e },
    );
  }
  try {
    await restore(model, json, base);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
