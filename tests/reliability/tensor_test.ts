// Every public constructor and function of @elbo/elbo/tensor, fed hostile
// values one argument (or option) at a time, the others valid and tiny: the
// distributions (_tensor_distributions.ts), the bijectors
// (_tensor_bijectors.ts), black-box inference (_tensor_inference.ts), and
// here the divergences, the estimates, the backends and the errors. Each call must return a
// well-formed result — no NaN out of finite input in the argument's domain —
// or throw a TypeError or RangeError whose message names the argument (or a
// documented domain error: BackendError, NonFiniteError); never hang, and
// leave tf.memory().numTensors as it was once its results are disposed.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as T from "../../tensor.ts";
import {
  type Case,
  countsUpTo,
  errorCheck,
  FIELDS,
  hostileValues,
  MakeValue,
  names,
  tensorResult,
  uncovered,
} from "./_hostile.ts";
import { bijectorCases, disposeBijectors } from "./_tensor_bijectors.ts";
import { disposeDistributions, distributionCases } from "./_tensor_distributions.ts";
import { disposeInference, inferenceCases } from "./_tensor_inference.ts";
import { hostileN, NOT_DISTRIBUTIONS, O, options } from "./_tensor_values.ts";

await T.useBackend("cpu");
const start = tf.memory().numTensors;
const pairsBefore = T.registeredKLPairs();

/** A KL function and a valid pair for it. */
const kl = (
  covers: string,
  f: (p: never, q: never) => unknown,
  p: () => T.TensorDistribution,
  q: () => T.TensorDistribution,
): Case => ({
  covers,
  label: covers,
  slots: [
    { name: "p", valid: p, extra: NOT_DISTRIBUTIONS },
    { name: "q", valid: q, extra: NOT_DISTRIBUTIONS },
  ],
  call: (v) => f(v.p as never, v.q as never),
  check: tensorResult(),
});
const normal = () => new T.Normal(0.3, 1.5);
const diag = () => new T.DiagNormal([0, 0.5], [1, 2]);
const lognormal = () => new T.LogNormal(0.3, 1.5);

/** Throwaway classes for registerKL: its registrations stay, so they touch nothing else. */
class ThrowawayP extends T.Normal {}
class ThrowawayQ extends T.Normal {}

const CASES: Case[] = [
  ...distributionCases(),
  ...bijectorCases(),
  ...inferenceCases(),
  {
    covers: "TensorDistributionBase",
    label: "TensorDistributionBase.tidy",
    slots: [{
      name: "make",
      valid: () => () => new T.Normal(tf.zeros([2]), tf.ones([2])),
      extra: [
        new MakeValue("a maker of an Exp", () => () => new T.Exp()),
        new MakeValue("a maker of tensors and 1", () => () => (tf.zeros([3]), 1)),
        new MakeValue("a maker of a disposed Normal", () => () => {
          const d = new T.Normal(tf.zeros([2]), 1);
          d.dispose();
          return d;
        }),
      ],
    }],
    call: (v) => T.TensorDistributionBase.tidy(v.make as () => T.Normal),
    check: tensorResult(1),
  },
  {
    covers: "TensorDistributionBase",
    label: "new TensorDistributionBase (abstract)",
    slots: [],
    call: () => new (T.TensorDistributionBase as unknown as new () => unknown)(),
    check: () => assert.fail("an abstract class was constructed"),
    domain: (e) => e instanceof TypeError && names(e.message, "TensorDistributionBase"),
  },
  // Divergences.
  kl("klDivergence", T.klDivergence, normal, () => new T.Normal(-1, 0.5)),
  kl("klNormal", T.klNormal, normal, () => new T.Normal(-1, 0.5)),
  kl("klDiagNormal", T.klDiagNormal, diag, () => new T.DiagNormal([1, 0], 0.5)),
  kl(
    "klMultivariateNormal",
    T.klMultivariateNormal,
    () => new T.MultivariateNormal([0, 1], [[1, 0], [0.5, 2]]),
    diag,
  ),
  kl(
    "klBernoulli",
    T.klBernoulli,
    () => new T.Bernoulli({ logits: [0.3, -1] }),
    () => new T.Bernoulli({ probs: [0.2, 0.9] }),
  ),
  kl(
    "klContinuousBernoulli",
    T.klContinuousBernoulli,
    () => new T.ContinuousBernoulli({ logits: [0.3, -1] }),
    () => new T.ContinuousBernoulli({ probs: [0.2, 0.5] }),
  ),
  kl("klExponential", T.klExponential, () => new T.Exponential(2), () => new T.Exponential(0.5)),
  kl(
    "klExponentialGamma",
    T.klExponentialGamma,
    () => new T.Exponential(2),
    () => new T.Gamma(2, 1),
  ),
  kl("klGamma", T.klGamma, () => new T.Gamma(2, 3), () => new T.Gamma(0.5, 1)),
  kl("klBeta", T.klBeta, () => new T.Beta(2, 3), () => new T.Beta(0.5, 1)),
  kl(
    "klDirichlet",
    T.klDirichlet,
    () => new T.Dirichlet([1, 2, 3]),
    () => new T.Dirichlet([0.5, 0.5, 2]),
  ),
  kl(
    "klCategorical",
    T.klCategorical,
    () => new T.Categorical({ probs: [0.2, 0.3, 0.5] }),
    () => new T.Categorical({ logits: [0, 1, 2] }),
  ),
  kl("klLaplace", T.klLaplace, () => new T.Laplace(0, 1), () => new T.Laplace(1, 2)),
  kl("klUniform", T.klUniform, () => new T.Uniform(0, 1), () => new T.Uniform(-1, 2)),
  kl("klPoisson", T.klPoisson, () => new T.Poisson(2), () => new T.Poisson(0.5)),
  kl("klLogNormal", T.klLogNormal, lognormal, () => new T.LogNormal(-1, 0.5)),
  {
    covers: "klMonteCarlo",
    label: "klMonteCarlo",
    slots: [
      { name: "p", valid: normal, extra: NOT_DISTRIBUTIONS },
      { name: "q", valid: () => new T.Laplace(0, 1), extra: NOT_DISTRIBUTIONS },
      { name: "options", valid: () => FIELDS, names: ["options", "samples", "seed"] },
      O("samples", 4, hostileN),
      O("seed", 1),
    ],
    call: (v) =>
      T.klMonteCarlo(
        v.p as T.TensorDistribution,
        v.q as T.TensorDistribution,
        options(v) as { samples: number; seed: number },
      ),
    check: tensorResult(),
  },
  {
    covers: "registerKL",
    label: "registerKL (of throwaway classes)",
    slots: [
      { name: "pClass", valid: () => ThrowawayP },
      { name: "qClass", valid: () => ThrowawayQ },
      {
        name: "fn",
        valid: () => (p: T.Normal, q: T.Normal) => tf.square(tf.sub(p.loc, q.loc)),
      },
    ],
    // Registered, the pair's KL is the function's (a tensor, or refused by klDivergence).
    call: (v) => {
      T.registerKL(v.pClass as never, v.qClass as never, v.fn as never);
      const p = new ThrowawayP(0, 1), q = new ThrowawayQ(2, 1);
      try {
        return T.klDivergence(p, q);
      } finally {
        p.dispose();
        q.dispose();
      }
    },
    check: tensorResult(),
    domain: (e) => e instanceof TypeError && e.message.includes("the registered function"),
  },
  {
    covers: "registeredKLPairs",
    label: "registeredKLPairs",
    slots: [],
    call: () => T.registeredKLPairs(),
    check: (r) =>
      assert.ok(
        Array.isArray(r) &&
          r.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => n !== "")),
        `pairs: ${JSON.stringify(r)}`,
      ),
  },
  {
    covers: "meanAndStandardError",
    label: "meanAndStandardError",
    slots: [{ name: "values", valid: () => tf.tensor2d([[1, 2], [4, 3], [0, 1]]) }],
    call: (v) => T.meanAndStandardError(v.values as tf.Tensor),
    check: tensorResult(),
  },
  // Backends (cpu and wasm: the others are checked in tests/tensor/ and the browser).
  {
    covers: "useBackend",
    label: "useBackend",
    slots: [{ name: "name", valid: () => "cpu" }],
    call: (v) => T.useBackend(v.name as "cpu"),
    check: (r) => assert.equal(r, "cpu"),
    domain: (e) => e instanceof T.BackendError,
  },
  {
    covers: "useBackend",
    label: 'useBackend("wasm", options)',
    slots: [
      { name: "options", valid: () => FIELDS, names: ["useBackend", "options", "threads"] },
      // One thread: more start workers that stay for the process's life.
      O("threads", 1, countsUpTo(1, T.MAX_WASM_THREADS)),
    ],
    call: (v) => T.useBackend("wasm", options(v) as T.BackendOptions),
    check: (r) => assert.equal(r, "wasm"),
  },
  {
    covers: "wasmThreads",
    label: "wasmThreads",
    slots: [],
    call: () => T.wasmThreads(),
    check: (r) => assert.ok(r === undefined || (r as T.WasmThreads).active === 1),
  },
  {
    covers: "blasStatus",
    label: "blasStatus",
    slots: [],
    call: () => T.blasStatus(),
    // BLAS is off unless asked for.
    check: (r) => assert.equal(r, undefined),
  },
  {
    covers: "MAX_WASM_THREADS",
    label: "MAX_WASM_THREADS",
    slots: [],
    call: () => T.MAX_WASM_THREADS,
    check: (r) => assert.equal(r, 8),
  },
  {
    covers: "BACKENDS",
    label: "BACKENDS is frozen",
    slots: [{ name: "value", valid: () => "x" }],
    call: (v) => {
      try {
        (T.BACKENDS as Record<string, unknown>).tpu = v.value;
      } catch { /* strict mode: assigning to a frozen object throws */ }
      return Object.keys(T.BACKENDS).join();
    },
    check: (r) => assert.equal(r, "cpu,wasm,webgpu,webgl"),
  },
  ...([["BackendError", T.BackendError], ["NonFiniteError", T.NonFiniteError]] as const)
    .map(([covers, E]): Case => ({
      covers,
      label: `new ${covers}`,
      // (BackendError takes the first two.)
      slots: [
        { name: "first", valid: () => "batch" },
        { name: "second", valid: () => 1 },
        { name: "third", valid: () => 2 },
        { name: "fourth", valid: () => "detail" },
      ],
      call: (v) =>
        new (E as unknown as new (...a: unknown[]) => Error)(v.first, v.second, v.third, v.fourth),
      check: errorCheck,
    })),
];

Deno.test("every export of tensor.ts is in the table", () => {
  assert.deepEqual(uncovered(T, CASES), [], "exports with no case: add them to CASES");
});

Deno.test("hostile values: a result or a TypeError/RangeError naming the argument", async (t) => {
  await hostileValues(t, CASES, { numRuns: 8 });
});

Deno.test("the instances are freed and registerKL left only its throwaway pair", () => {
  disposeDistributions();
  disposeBijectors();
  disposeInference();
  assert.equal(tf.memory().numTensors, start);
  const added = T.registeredKLPairs().filter((p) =>
    !pairsBefore.some((q) => q.join() === p.join())
  );
  assert.deepEqual(added, [["ThrowawayP", "ThrowawayQ"]]);
});
