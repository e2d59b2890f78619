// The tensor layer reads its options the one way, as the core does: an
// unknown key is a TypeError naming it, the function and every option, and
// a bad value is refused with the message its core twin gives. A refusal
// leaves no tensor behind.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { conv2d, conv2dTranspose, dense } from "../../models.ts";
import { assertRefusesUnknownOption, type OptionsCase } from "../_options.ts";

await T.useBackend("cpu");

/** Asserts that `c` refuses the misspelt key `typo`, and frees every tensor it made. */
async function refusesUnknown(c: OptionsCase, typo?: string): Promise<void> {
  const before = tf.memory().numTensors;
  await assertRefusesUnknownOption(c, typo);
  assert.equal(tf.memory().numTensors, before, `${c.label}: tensors left behind`);
}

/** Asserts that `fn` throws exactly `type` with `message`, and frees every tensor it made. */
async function refuses(
  fn: () => unknown,
  type: ErrorConstructor,
  message: string,
): Promise<void> {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof type, `expected a ${type.name}, got ${error}`);
  assert.equal(error.message, message);
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
}

/** The message a core call throws: the twin a tensor message must equal. */
function coreMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("the core call did not throw");
}

Deno.test("useBackend() reads its options the one way", async (t) => {
  await t.step("an unknown key (it used to run one thread, silently)", () =>
    refusesUnknown({
      label: "useBackend",
      what: "Cannot run useBackend",
      keys: ["threads", "blas"],
      call: (o) => T.useBackend("wasm", o as never),
    }, "thread"));
  await t.step("a thread count that is not a number", () =>
    refuses(
      () => T.useBackend("cpu", { threads: "2" as never }),
      TypeError,
      'Cannot run useBackend as options.threads must be an integer in [1, 8] (tfjs\'s threaded wasm binary runs at most 8): current value is "2"',
    ));
  assert.equal(tf.getBackend(), "cpu");
});

Deno.test("klMonteCarlo() reads its options the one way, as its core twin", async (t) => {
  const p = new T.Normal(0, 1), q = new T.Normal(1, 2);
  const cp = new core.Normal(0, 1), cq = new core.Normal(1, 2), rng = core.createRng(1);
  await t.step("an unknown key", () =>
    refusesUnknown({
      label: "klMonteCarlo",
      what: "Cannot compute klMonteCarlo",
      keys: ["samples", "seed"],
      valid: { samples: 10, seed: 1 },
      call: (o) => T.klMonteCarlo(p, q, o as never),
    }));
  for (const [samples, type] of [["4", TypeError], [1, RangeError]] as const) {
    await t.step(`samples ${JSON.stringify(samples)}: a ${type.name}`, () =>
      refuses(
        () => T.klMonteCarlo(p, q, { samples: samples as never, seed: 1 }),
        type,
        coreMessage(() => core.klMonteCarlo(cp, cq, { samples: samples as never, rng })),
      ));
  }
  await t.step("no seed", () =>
    refuses(
      () => T.klMonteCarlo(p, q, { samples: 10 } as never),
      TypeError,
      "Cannot compute klMonteCarlo as options.seed is required (a safe integer): current value is undefined",
    ));
  p.dispose();
  q.dispose();
});

Deno.test("new FillScaleTriL() reads its options the one way, as its core twin", async (t) => {
  await t.step("an unknown key", () =>
    refusesUnknown({
      label: "FillScaleTriL",
      what: "Cannot construct FillScaleTriL",
      keys: ["diagShift"],
      call: (o) => new T.FillScaleTriL(o as never),
    }, "diagshift"));
  await t.step("a negative diagShift", () =>
    refuses(
      () => new T.FillScaleTriL({ diagShift: -1 }),
      RangeError,
      coreMessage(() => new core.FillScaleTriL({ diagShift: -1 })),
    ));
  await t.step("a diagShift that float32 rounds to 0", () =>
    refuses(
      () => new T.FillScaleTriL({ diagShift: 1e-50 }),
      RangeError,
      "Cannot construct FillScaleTriL as options.diagShift must be representable in float32 (1.4e-45 to 3.4e38 in size): current value is 1e-50",
    ));
  // The smallest subnormal float32 and 0 are held exactly.
  assert.equal(new T.FillScaleTriL({ diagShift: 1.4e-45 }).diagShift, 1.4e-45);
  assert.equal(new T.FillScaleTriL({ diagShift: 0 }).diagShift, 0);
});

Deno.test("dense() reads its options the one way", async (t) => {
  const x = tf.zeros([2, 3]) as tf.Tensor2D, w = tf.zeros([3, 4]) as tf.Tensor2D;
  const b = tf.zeros([4]) as tf.Tensor1D;
  await t.step("an unknown key", () =>
    refusesUnknown({
      label: "dense",
      what: "Cannot compute dense",
      keys: ["inputGradient"],
      call: (o) => dense(x, w, b, o as never),
    }, "inputGradients"));
  await t.step("an inputGradient that is not a boolean", () =>
    refuses(
      () => dense(x, w, b, { inputGradient: "no" as never }),
      TypeError,
      'Cannot compute dense as options.inputGradient must be a boolean: current value is "no"',
    ));
  tf.dispose([x, w, b]);
});

Deno.test("conv2d() and conv2dTranspose() read their options the one way", async (t) => {
  const f = tf.zeros([4, 4, 3, 5]) as tf.Tensor4D;
  const cases = [
    ["conv2d", conv2d, tf.zeros([2, 8, 8, 3]), tf.zeros([5])],
    ["conv2dTranspose", conv2dTranspose, tf.zeros([2, 4, 4, 5]), tf.zeros([3])],
  ] as const;
  for (const [label, op, x, b] of cases) {
    const call = (o: unknown) => op(x as tf.Tensor4D, f, b as tf.Tensor1D, o as never);
    await t.step(`${label}: an unknown key`, () =>
      refusesUnknown({
        label,
        what: `Cannot compute ${label}`,
        keys: ["stride", "pad", "inputGradient"],
        valid: { stride: 2, pad: 1 },
        call,
      }, "padding"));
    await t.step(`${label}: a pad the filter cannot take`, () =>
      refuses(
        () => call({ stride: 2, pad: 4 }),
        RangeError,
        `Cannot compute ${label} as options.pad must be an integer in [0, 3] (one less than the filter's size 4×4): current value is 4`,
      ));
    await t.step(`${label}: no stride`, () =>
      refuses(
        () => call({ pad: 1 }),
        TypeError,
        `Cannot compute ${label} as options.stride is required (an integer ≥ 1): current value is undefined`,
      ));
  }
  tf.dispose([f, ...cases.flatMap(([, , x, b]) => [x, b])]);
});

Deno.test("new Bernoulli() and new Categorical() read their params as their core twins", async (t) => {
  const twins = [
    ["Bernoulli", T.Bernoulli, core.Bernoulli],
    ["Categorical", T.Categorical, core.Categorical],
  ] as const;
  for (const [label, Tensor, Core] of twins) {
    await t.step(`${label}: an unknown key`, () =>
      refusesUnknown({
        label,
        what: `Cannot construct ${label}`,
        name: "params",
        keys: ["logits", "probs"],
        valid: { probs: [0.5, 0.5] },
        call: (o) => new Tensor(o as never),
      }, "logit"));
    for (const params of [{}, { logits: [0, 0], probs: [0.5, 0.5] }, null]) {
      await t.step(`${label}: params ${JSON.stringify(params)}`, () =>
        refuses(
          () => new Tensor(params as never),
          TypeError,
          coreMessage(() => new Core(params as never)),
        ));
    }
  }
});
