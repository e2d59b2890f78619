import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Autoencoder, VAE, type VAEOptions } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

await useBackend("cpu");

const tiny = { inputSize: 4, hiddenSizes: [3], latentSize: 2 };

/** [option, bad value, error class, fragment of the message]. */
const BAD_VAE_OPTIONS: [string, unknown, typeof TypeError | typeof RangeError, string][] = [
  ["inputSize", 0, RangeError, "options.inputSize must be an integer in [1, 33554432]"],
  ["inputSize", 2.5, RangeError, "2.5"],
  ["inputSize", "784", TypeError, '"784"'],
  ["inputSize", 2 ** 40, RangeError, "(at most 2²⁵ parameters)"],
  ["hiddenSizes", 400, TypeError, "array"],
  ["hiddenSizes", [[3]], TypeError, "hiddenSizes[0]"],
  ["hiddenSizes", [3, -1], RangeError, "hiddenSizes[1]"],
  ["hiddenSizes", [3, NaN], RangeError, "hiddenSizes[1]"],
  // deno-lint-ignore no-sparse-arrays
  ["hiddenSizes", [3, , 4], TypeError, "hiddenSizes[1]"],
  ["hiddenSizes", [1e5, 1e5], RangeError, "parameters"],
  ["hiddenSizes", Array(65).fill(1), RangeError, "at most 64 layers"],
  ["latentSize", 0, RangeError, "latentSize"],
  ["latentSize", Infinity, RangeError, "latentSize"],
  ["learningRate", 0, RangeError, "learningRate must be > 0"],
  ["learningRate", -1, RangeError, "learningRate"],
  ["learningRate", NaN, RangeError, "learningRate"],
  ["learningRate", "x", TypeError, "learningRate"],
  ["learningRate", 1e-50, RangeError, "float32"],
  ["observationScale", 0, RangeError, "observationScale"],
  ["observationScale", -Infinity, RangeError, "observationScale"],
  ["seed", 1.5, RangeError, "seed must be a safe integer"],
  ["seed", 2 ** 53, RangeError, "seed"],
  ["seed", "1", TypeError, "seed"],
  ["likelihood", "poisson", TypeError, "likelihood"],
  ["klEstimator", "exact", TypeError, "klEstimator"],
  ["denseGradient", "fast", TypeError, "denseGradient"],
  ["objective", { kind: "elbo2" }, TypeError, "objective.kind"],
  ["objective", "elbo", TypeError, "objective.kind"],
  ["objective", { kind: "beta", beta: -1 }, RangeError, "objective.beta must be ≥ 0"],
  ["objective", { kind: "beta" }, TypeError, "objective.beta"],
  ["objective", { kind: "beta", beta: 4, gamma: 1 }, TypeError, "objective.gamma"],
  [
    "objective",
    { kind: "capacity", gamma: 0, maxCapacity: 1, annealSteps: 1 },
    RangeError,
    "gamma",
  ],
  [
    "objective",
    { kind: "capacity", gamma: 1, maxCapacity: -1, annealSteps: 1 },
    RangeError,
    "maxCapacity",
  ],
  [
    "objective",
    { kind: "capacity", gamma: 1, maxCapacity: 1, annealSteps: 0 },
    RangeError,
    "annealSteps",
  ],
  ["objective", { kind: "constrained", budget: NaN }, RangeError, "objective.budget"],
  ["objective", { kind: "constrained", budget: 1, dualStepSize: 0 }, RangeError, "dualStepSize"],
  ["objective", { kind: "constrained", budget: 1, initialBeta: -1 }, RangeError, "initialBeta"],
  ["objective", { kind: "iwae", k: 0 }, RangeError, "objective.k"],
  ["objective", { kind: "iwae", k: 2.5 }, RangeError, "objective.k"],
  ["objective", { kind: "iwae", k: 2 ** 53 }, RangeError, "objective.k"],
  ["latentsize", 2, TypeError, "options.latentsize is not an option"],
];

Deno.test("VAE options", async (t) => {
  await t.step("every bad option gets a RangeError or TypeError naming it and its value", () => {
    const before = tf.memory().numTensors;
    for (const [name, value, type, fragment] of BAD_VAE_OPTIONS) {
      const options = { ...tiny, [name]: value } as unknown as VAEOptions;
      assertThrowsNaming(() => new VAE(options), type, name, fragment);
    }
    for (const bad of [undefined, null, 5, "x", []]) {
      assertThrowsNaming(() => new VAE(bad as never), TypeError, "options");
    }
    assert.equal(tf.memory().numTensors, before, "a refused model allocates nothing");
  });
  await t.step("the configuration is a copy: changing the options later changes nothing", () => {
    const options = { ...tiny, hiddenSizes: [3], objective: { kind: "beta" as const, beta: 2 } };
    const vae = new VAE(options);
    options.hiddenSizes.push(5);
    options.objective.beta = -1;
    assert.deepEqual(vae.config.hiddenSizes, [3]);
    assert.deepEqual(vae.config.objective, { kind: "beta", beta: 2 });
    vae.dispose();
  });
  await t.step("no hidden layer is a linear model, and runs", async () => {
    const vae = new VAE({ ...tiny, hiddenSizes: [] });
    const r = await vae.trainStep(new Float32Array([1, 0, 1, 0]));
    assert.ok(Number.isFinite(r.loss));
    vae.dispose();
  });
});

Deno.test("Autoencoder options", async (t) => {
  await t.step('learningRate -1, 0, NaN and "x" are refused, naming it', () => {
    for (const lr of [-1, 0, NaN, Infinity]) {
      assertThrowsNaming(
        () => new Autoencoder({ ...tiny, learningRate: lr }),
        RangeError,
        "Cannot construct Autoencoder as options.learningRate",
        String(lr),
      );
    }
    assertThrowsNaming(
      () => new Autoencoder({ ...tiny, learningRate: "x" as never }),
      TypeError,
      "learningRate",
      '"x"',
    );
  });
  await t.step("sizes, seed, denseGradient and unknown keys", () => {
    for (const [name, value, type] of BAD_VAE_OPTIONS) {
      if (["observationScale", "likelihood", "klEstimator", "objective"].includes(name)) continue;
      const options = { ...tiny, [name]: value } as never;
      assertThrowsNaming(() => new Autoencoder(options), type, name);
    }
  });
});
