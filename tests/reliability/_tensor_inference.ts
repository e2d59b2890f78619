// The black-box inference cases of tensor_test.ts: the surrogates (built
// and put through their methods), TrainableSurrogate, stopGradient, elbo,
// importanceWeightedBound and fitSurrogatePosterior, with hostile targets,
// surrogates, options and counts.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as T from "../../tensor.ts";
import { type Case, countsUpTo, FIELDS, MakeValue, type Slot, tensorResult } from "./_hostile.ts";
import {
  hostileN,
  moments,
  NOT_BIJECTORS,
  NOT_DISTRIBUTIONS,
  O,
  options,
  P,
} from "./_tensor_values.ts";

/** A variable of two zeros (its initial tensor freed). */
const variable = () => tf.tidy(() => tf.variable(tf.zeros([2])));

/** A standard normal target over 2 latents, and targets that break the contract. */
const target = () => (z: tf.Tensor) => tf.sum(tf.mul(-0.5, tf.square(z)), -1);
const BAD_TARGETS: readonly MakeValue[] = [
  new MakeValue("z ↦ NaN", () => (z: tf.Tensor) => tf.fill([z.shape[0]!], NaN)),
  new MakeValue("z ↦ +∞", () => (z: tf.Tensor) => tf.fill([z.shape[0]!], Infinity)),
  new MakeValue("z ↦ a scalar", () => (z: tf.Tensor) => tf.sum(z)),
  new MakeValue("z ↦ int32", () => (z: tf.Tensor) => tf.zeros([z.shape[0]!], "int32")),
  new MakeValue("an async target", () => async (z: tf.Tensor) => await tf.sum(z, -1)),
  new MakeValue("z ↦ undefined", () => () => undefined),
];
const surrogate = () => T.meanFieldSurrogate(2, { seed: 1 });
const NOT_SURROGATES: readonly MakeValue[] = [
  ...NOT_DISTRIBUTIONS,
  new MakeValue("a disposed surrogate", () => {
    const s = surrogate();
    s.dispose();
    return s;
  }),
];
const surrogateSlots = (): Slot[] => [
  { name: "targetLogProb", valid: target, extra: BAD_TARGETS },
  // (A surrogate of another event shape than the target's: the target's result is named.)
  {
    name: "surrogate",
    valid: surrogate,
    extra: NOT_SURROGATES,
    names: ["surrogate", "targetLogProb"],
  },
  { name: "options", valid: () => FIELDS },
];
/** An estimate of a bound: its value and standard error not NaN. */
const estimate = (r: unknown) => {
  const { value, standardError } = r as T.Estimate;
  assert.ok(!Number.isNaN(value) && !Number.isNaN(standardError), `${value} ± ${standardError}`);
};
/** A surrogate just built, with draws, their log-density and its moments. */
const drawn = (s: T.TrainableSurrogate) => {
  const z = s.sample(3, 1);
  return { s, z, lp: s.logProb(z), ...moments(s) };
};
/** A bijector that fits, and those that do not. */
const SURROGATE_BIJECTORS = [new MakeValue("an Exp", () => new T.Exp()), ...NOT_BIJECTORS];
/** meanFieldSurrogate or fullRankSurrogate, the surrogate built put through its methods. */
const surrogateBuilder = (
  covers: "meanFieldSurrogate" | "fullRankSurrogate",
): Case => ({
  covers,
  label: covers,
  slots: [
    { name: "eventSize", valid: () => 2, hostile: countsUpTo(8, 4096) },
    { name: "options", valid: () => FIELDS },
    { ...O("bijector", undefined), extra: SURROGATE_BIJECTORS },
    O("seed", 1),
  ],
  call: (v) => drawn(T[covers](v.eventSize as number, options(v) as T.SurrogateOptions)),
  check: tensorResult(),
});

/** The surrogate whose methods are tried; freed by {@linkcode disposeInference}. */
let live: T.TrainableSurrogate | undefined;

/** The cases of black-box inference. */
export function inferenceCases(): Case[] {
  const s = live = T.meanFieldSurrogate(2, { seed: 3 });
  return [
    {
      covers: "stopGradient",
      label: "stopGradient",
      slots: [{ name: "x", valid: () => tf.fill([2], 0.5) }],
      call: (v) => T.stopGradient(v.x as tf.Tensor),
      check: tensorResult(),
    },
    surrogateBuilder("meanFieldSurrogate"),
    surrogateBuilder("fullRankSurrogate"),
    {
      covers: "TrainableSurrogate",
      label: "new TrainableSurrogate",
      slots: [
        {
          name: "variables",
          valid: () => [variable(), variable()],
          extra: [
            new MakeValue("tensors", () => [tf.zeros([2]), tf.zeros([2])]),
            new MakeValue("a disposed variable", () => {
              const x = variable();
              x.dispose();
              return [x, variable()];
            }),
          ],
        },
        {
          name: "build",
          valid: () => ([m, r]: tf.Tensor[]) => new T.DiagNormal(m!, tf.exp(r!)),
          extra: [
            new MakeValue("a builder of an Exp", () => () => new T.Exp()),
            new MakeValue("a builder of tensors and 1", () => () => (tf.zeros([3]), 1)),
            new MakeValue("a builder of a batch", () => ([m]: tf.Tensor[]) => new T.Normal(m!, 1)),
          ],
        },
      ],
      call: (v) => drawn(new T.TrainableSurrogate(v.variables as tf.Variable[], v.build as never)),
      check: tensorResult(),
    },
    {
      covers: "TrainableSurrogate",
      label: "TrainableSurrogate#logProb",
      slots: [{ name: "x", valid: () => tf.fill([3, 2], 0.5) }],
      call: (v) => s.logProb(v.x as tf.Tensor),
      check: tensorResult(1),
    },
    {
      covers: "TrainableSurrogate",
      label: "TrainableSurrogate#sample",
      slots: [{ name: "n", valid: () => 2, hostile: hostileN }, P("seed", 1)],
      call: (v) => s.sample(v.n as number, v.seed as number),
      check: tensorResult(2),
    },
    ...(["withDistribution", "withDetached"] as const).map((m): Case => ({
      covers: "TrainableSurrogate",
      label: `TrainableSurrogate#${m}`,
      slots: [{ name: "f", valid: () => (d: T.TensorDistribution) => d.mean() }],
      call: (v) => s[m](v.f as (d: T.TensorDistribution) => tf.Tensor),
      // What f returns, passed on: tensors live and, for a finite f, not NaN.
      check: (r, finite) => r instanceof tf.Tensor ? tensorResult(1)(r, finite) : undefined,
    })),
    {
      covers: "elbo",
      label: "elbo",
      slots: [...surrogateSlots(), O("samples", 4, hostileN), O("seed", 1)],
      call: (v) =>
        T.elbo(v.targetLogProb as T.TargetLogProb, v.surrogate as T.TensorDistribution, options(v)),
      check: estimate,
    },
    {
      covers: "importanceWeightedBound",
      label: "importanceWeightedBound",
      slots: [
        ...surrogateSlots(),
        O("k", 2, hostileN),
        O("samples", 2, hostileN),
        O("seed", 1),
      ],
      call: (v) =>
        T.importanceWeightedBound(
          v.targetLogProb as T.TargetLogProb,
          v.surrogate as T.TensorDistribution,
          options(v),
        ),
      check: estimate,
    },
    {
      covers: "fitSurrogatePosterior",
      label: "fitSurrogatePosterior (1 step)",
      slots: [
        ...surrogateSlots(),
        O("steps", 1, countsUpTo(1, 1e9)),
        O("learningRate", 0.05),
        O("samples", 1, hostileN),
        O("seed", 1),
        O("estimator", "elbo"),
        O("k", undefined, hostileN),
        O("alpha", undefined),
        O("onStep", undefined),
      ],
      call: (v) =>
        T.fitSurrogatePosterior(
          v.targetLogProb as T.TargetLogProb,
          v.surrogate as T.TrainableSurrogate,
          options(v),
        ),
      check: (r) => {
        const { losses } = r as T.FitSurrogateResult;
        assert.ok(losses.length >= 1 && losses.every(Number.isFinite), `losses ${losses}`);
      },
      domain: (e) => e instanceof T.NonFiniteError,
    },
    {
      covers: "SURROGATE_ESTIMATORS",
      label: "SURROGATE_ESTIMATORS is frozen",
      slots: [{ name: "value", valid: () => "x" }],
      call: (v) => {
        try {
          (T.SURROGATE_ESTIMATORS as unknown as unknown[]).push(v.value);
        } catch { /* a frozen array throws */ }
        return T.SURROGATE_ESTIMATORS.join();
      },
      check: (r) => assert.equal(r, "elbo,stl,iwae,dreg,renyi,vimco"),
    },
    {
      covers: "SURROGATE_FLOWS",
      label: "SURROGATE_FLOWS is frozen",
      slots: [{ name: "value", valid: () => "x" }],
      call: (v) => {
        try {
          (T.SURROGATE_FLOWS as unknown as unknown[]).push(v.value);
        } catch { /* a frozen array throws */ }
        return T.SURROGATE_FLOWS.join();
      },
      check: (r) => assert.equal(r, "iaf,realnvp"),
    },
    {
      covers: "flowSurrogate",
      label: "flowSurrogate",
      slots: [
        { name: "eventSize", valid: () => 2, hostile: countsUpTo(8, 4096) },
        { name: "options", valid: () => FIELDS },
        O("flow", "iaf"),
        O("layers", 1, countsUpTo(4, 32)),
        O("hiddenSizes", [4]),
        { ...O("bijector", undefined), extra: SURROGATE_BIJECTORS },
        O("seed", 1),
      ],
      call: (v) =>
        drawn(T.flowSurrogate(v.eventSize as number, options(v) as T.FlowSurrogateOptions)),
      check: tensorResult(),
    },
    {
      covers: "renyiBound",
      label: "renyiBound",
      slots: [
        ...surrogateSlots(),
        O("alpha", 0.5),
        O("k", 2, hostileN),
        O("samples", 2, hostileN),
        O("seed", 1),
      ],
      call: (v) =>
        T.renyiBound(
          v.targetLogProb as T.TargetLogProb,
          v.surrogate as T.TensorDistribution,
          options(v),
        ),
      check: estimate,
    },
  ];
}

/** Frees the surrogate the method cases used. */
export function disposeInference(): void {
  live?.dispose();
}
