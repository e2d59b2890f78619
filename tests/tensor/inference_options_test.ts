// Black-box VI reads its options the one way: an unknown key is a TypeError
// naming it, the function and every option, before anything is drawn or
// allocated.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  elbo,
  fitSurrogatePosterior,
  fullRankSurrogate,
  importanceWeightedBound,
  meanFieldSurrogate,
  useBackend,
} from "../../tensor.ts";
import { assertRefusesUnknownOption } from "../_options.ts";

await useBackend("cpu");

/** Called only by a bug: the refusals under test come before any draw. */
const never = (): tf.Tensor => {
  throw new Error("the target must not be called");
};

Deno.test("black-box VI refuses an unknown option in the one message style, and frees nothing", async (t) => {
  const q = meanFieldSurrogate(2);
  const cases = [
    {
      label: "elbo",
      what: "Cannot estimate elbo",
      keys: ["samples", "seed"],
      call: (o: Record<string, unknown>) => elbo(never, q, o as never),
    },
    {
      label: "importanceWeightedBound",
      what: "Cannot estimate importanceWeightedBound",
      keys: ["k", "samples", "seed"],
      call: (o: Record<string, unknown>) => importanceWeightedBound(never, q, o as never),
    },
    {
      label: "fitSurrogatePosterior",
      what: "Cannot run fitSurrogatePosterior",
      keys: ["steps", "learningRate", "samples", "seed", "estimator", "k", "alpha", "onStep"],
      call: (o: Record<string, unknown>) => fitSurrogatePosterior(never, q, o as never),
    },
    {
      label: "meanFieldSurrogate",
      what: "Cannot build meanFieldSurrogate",
      keys: ["bijector", "seed"],
      call: (o: Record<string, unknown>) => meanFieldSurrogate(2, o as never),
    },
    {
      label: "fullRankSurrogate",
      what: "Cannot build fullRankSurrogate",
      keys: ["bijector", "seed"],
      call: (o: Record<string, unknown>) => fullRankSurrogate(2, o as never),
    },
  ];
  const before = tf.memory().numTensors;
  for (const c of cases) {
    await t.step(`${c.label}() refuses options.sampels`, () => assertRefusesUnknownOption(c));
  }
  assert.equal(tf.memory().numTensors, before);
  q.dispose();
});
