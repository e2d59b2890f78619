// Regressions of the defects tests/reliability/tensor_test.ts found in the
// tensor layer, one step each: the hostile call that showed it, refused by
// name and leaving no tensor (or, for the two numeric ones, answered right
// on every backend).
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as T from "../../tensor.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";
import { refuses } from "./_refuses.ts";

function read(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** A Normal, disposed. */
function disposedNormal(): T.Normal {
  const d = new T.Normal(0, 1);
  d.dispose();
  return d;
}

/** An Exp, disposed. */
function disposedExp(): T.Exp {
  const b = new T.Exp();
  b.dispose();
  return b;
}

Deno.test("tensor-layer defects found by the hostile-value fuzz", async (t) => {
  await T.useBackend("cpu");
  const start = tf.memory().numTensors;

  await t.step("each klXxx names p or q of another family, disposed, or not a distribution", () => {
    const n = new T.Normal(0, 1), diag = new T.DiagNormal([0, 1], 1), gamma = new T.Gamma(2, 1);
    const beta = new T.Beta(1, 1), laplace = new T.Laplace(0, 1), gone = disposedNormal();
    // Before: klNormal(DiagNormal, Normal) returned an unsummed KL without a word.
    refuses(() => T.klNormal(diag as never, n), TypeError, "klNormal", "p must be a tensor Normal");
    refuses(() => T.klBeta(null as never, beta), TypeError, "klBeta as p");
    refuses(() => T.klLaplace(laplace, gone as never), TypeError, "q (a Normal) was disposed");
    refuses(() => T.klGamma(gamma, n as never), TypeError, "q must be a tensor Gamma");
    refuses(() => T.klExponentialGamma(gamma as never, gamma), TypeError, "p must", "Exponential");
    refuses(() => T.klMultivariateNormal(n as never, diag), TypeError, "MultivariateNormal or");
    refuses(() => T.klLogNormal(n as never, n as never), TypeError, "p must be a tensor LogNormal");
    [n, diag, gamma, beta, laplace].forEach((d) => d.dispose());
  });

  await t.step("logProb names a disposed x, and reads an int32 or bool x as float32", () => {
    const g = new T.Gamma(2, 1), x = tf.zeros([2]);
    x.dispose();
    refuses(() => g.logProb(x), TypeError, "Gamma.logProb", "x to be a live tensor");
    const ints = tf.tensor1d([1, 2], "int32");
    // Before: "Argument 'x' passed to 'log' must be float32 tensor".
    assert.deepEqual(read(g.logProb(ints)), read(g.logProb([1, 2])));
    const p = new T.Poisson(2), flags = tf.tensor1d([1, 0], "bool");
    assert.deepEqual(read(p.logProb(flags)), read(p.logProb([1, 0])));
    tf.dispose([ints, flags]);
    g.dispose();
    p.dispose();
  });

  await t.step("Bernoulli without an event axis names logits or probs", () => {
    refuses(() => new T.Bernoulli({ logits: 0 }), TypeError, "as logits must have an event axis");
    refuses(() => new T.Bernoulli({ probs: 0.5 }), TypeError, "as probs must have an event axis");
  });

  await t.step("fromLogScale refuses a log σ whose σ is not a positive normal float32", () => {
    // Before: σ = exp(−2⁵³) = 0, and logProb at the mean was NaN.
    refuses(() => T.Normal.fromLogScale(0, -(2 ** 53)), RangeError, "logScale", "-87.33");
    refuses(() => T.DiagNormal.fromLogScale([0], [89]), RangeError, "logScale[0]", "88.72");
    const d = T.Normal.fromLogScale(0, [-87.33, 88.72]);
    assert.ok(read(d.scale.clone()).every((s) => s > 0 && Number.isFinite(s)));
    d.dispose();
  });

  await t.step("Mixture names weights without an axis and a disposed component", () => {
    const c = () => [new T.Normal(0, 1), new T.Normal(1, 1)];
    const [a, b] = c();
    refuses(() => new T.Mixture(1, [a!]), TypeError, "weights must have a last axis");
    refuses(() => new T.Mixture([1], [a!, b!]), TypeError, "weights has 1");
    refuses(() => new T.Mixture([0.5, 0.5], [a!, disposedNormal()]), TypeError, "components[1]");
    const m = new T.Mixture([0.5, 0.5], [a!, b!]);
    refuses(() => m.entropyMonteCarlo(2 ** 27, 1), RangeError, "samples × batch size");
    [m, a!, b!].forEach((d) => d.dispose());
  });

  await t.step("a transformed distribution, Chain and surrogates refuse disposed members", () => {
    const base = new T.DiagNormal([0, 0], 1);
    refuses(() => new T.TransformedDistribution(disposedNormal(), new T.Exp()), TypeError, "base");
    refuses(
      () => new T.TransformedDistribution(base, disposedExp()),
      TypeError,
      "bijector (an Exp) was disposed",
    );
    refuses(() => new T.Chain([new T.Exp(), disposedExp()]), TypeError, "bijectors[1]");
    refuses(() => T.meanFieldSurrogate(2, { bijector: disposedExp() }), TypeError, "bijector");
    // A bijector that does not fit the event is named as the bijector, not as "shape".
    refuses(
      () => new T.TransformedDistribution(base, new T.FillScaleTriL()),
      TypeError,
      "as bijector FillScaleTriL does not take the base's event shape [2]",
    );
    refuses(
      () => T.fullRankSurrogate(2, { bijector: new T.FillScaleTriL() }),
      TypeError,
      "as options.bijector FillScaleTriL does not give points of event shape [2]",
    );
    base.dispose();
  });

  await t.step("Shift and Scale name a point that does not broadcast with the parameter", () => {
    const s = new T.Shift([1, 2]), c = new T.Scale([1, 2]), x = tf.zeros([2, 3]);
    // Before: tfjs's "Operands could not be broadcast together with shapes 2,3 and 2."
    refuses(() => s.forward(x), TypeError, "Shift.forward as x must broadcast", "[2]", "[2,3]");
    refuses(() => c.inverseLogDetJacobian(x, 1), TypeError, "Scale.inverseLogDetJacobian as y");
    [s, c, x].forEach((v) => v.dispose());
  });

  await t.step("an event shape with a hole is refused", () => {
    // deno-lint-ignore no-sparse-arrays
    const holey = [1, , 3] as number[];
    refuses(() => new T.SoftmaxCentered().forwardEventShape(holey), TypeError, "shape");
    refuses(() => new T.Exp().inverseEventShape(holey), TypeError, "shape");
  });

  await t.step("FillScaleTriL refuses a diagShift float32 cannot hold", () => {
    // Before: 1e39 became ∞ on the device, and inverse(forward(x)) was NaN.
    refuses(() => new T.FillScaleTriL({ diagShift: 1e39 }), RangeError, "diagShift", "float32");
  });

  await t.step("the abstract bases cannot be constructed", () => {
    const D = T.TensorDistributionBase as unknown as new () => unknown;
    const B = T.ElementwiseBijector as unknown as new () => unknown;
    refuses(() => new D(), TypeError, "TensorDistributionBase as it is abstract");
    refuses(() => new B(), TypeError, "ElementwiseBijector as it is abstract");
  });

  await t.step("TensorDistributionBase.tidy names make, and frees what a refused make made", () => {
    const tidy = T.TensorDistributionBase.tidy;
    refuses(() => tidy(1 as never), TypeError, "make must be a function");
    refuses(() => tidy(() => (tf.zeros([3]), new T.Exp()) as never), TypeError, "an Exp");
    refuses(() => tidy(disposedNormal), TypeError, "it returned a disposed Normal");
  });

  await t.step("meanAndStandardError and stopGradient name their argument", () => {
    const one = tf.zeros([1, 3]);
    // Before: n = 1 gave a NaN standard error, n = 0 a NaN mean.
    refuses(() => T.meanAndStandardError(one), TypeError, "values must hold n ≥ 2", "[1,3]");
    refuses(() => T.meanAndStandardError(null as never), TypeError, "values");
    refuses(() => T.stopGradient(0 as never), TypeError, "stopGradient as x");
    one.dispose();
  });

  await t.step("klMonteCarlo reads options as an object and names samples past the limit", () => {
    const p = new T.Normal(0, 1);
    refuses(() => T.klMonteCarlo(p, p, [] as never), TypeError, "options must be");
    refuses(
      () => T.klMonteCarlo(p, p, { samples: 2 ** 27, seed: 1 }),
      RangeError,
      "samples × batch size × event size",
    );
    p.dispose();
  });

  await t.step("registerKL takes classes only; klDivergence refuses a non-tensor KL", () => {
    const pairs = T.registeredKLPairs().length;
    // Before: an arrow function was registered, and listed as the class "".
    refuses(
      () => T.registerKL((() => 1) as never, T.Normal, () => tf.scalar(0)),
      TypeError,
      "pClass",
    );
    assert.equal(T.registeredKLPairs().length, pairs);
    class Odd extends T.Normal {}
    T.registerKL(Odd, Odd, (() => 1) as never);
    const o = new Odd(0, 1);
    refuses(() => T.klDivergence(o, o), TypeError, "the registered function returned 1");
    o.dispose();
  });

  await t.step("SURROGATE_ESTIMATORS is frozen", () => {
    assert.ok(Object.isFrozen(T.SURROGATE_ESTIMATORS));
  });

  assert.equal(tf.memory().numTensors, start);
});

Deno.test("numeric defects found by the fuzz, on every backend", THREADED, async (t) => {
  await onEveryBackend(t, async (t) => {
    await t.step("a Categorical of one category, from logits", () => {
      // Before: logSoftmax's tf.oneHot refused depth 1.
      const c = new T.Categorical({ logits: [[3], [-1]] });
      assert.deepEqual(read(c.logProbs.clone()), [0, 0]);
      assert.deepEqual(read(c.sample(3, 1)), [0, 0, 0, 0, 0, 0]);
      c.dispose();
    });

    await t.step("a OneHotCategorical of one category draws [1]", () => {
      // Before: its draws went through tf.oneHot, which refuses depth 1.
      const c = new T.OneHotCategorical({ logits: [[3], [-1]] });
      assert.deepEqual(read(c.sample(2, 1)), [1, 1, 1, 1]);
      assert.deepEqual(read(c.logProb([[1], [1]])), [0, 0]);
      c.dispose();
    });

    await t.step("klMonteCarlo where q has more batch axes than p", () => {
      // Before: q.logProb read the draws' axis as a batch axis of size n ≠ 3.
      const p = new T.Normal(0, 1), q = new T.Normal([0, 1, 2], 1);
      const est = T.klMonteCarlo(p, q, { samples: 4000, seed: 1 });
      const value = read(est.value), se = read(est.standardError);
      const exact = read(T.klDivergence(p, q));
      value.forEach((v, i) => assert.ok(Math.abs(v - exact[i]!) <= 4 * se[i]! + 1e-6, `${v}`));
      p.dispose();
      q.dispose();
    });
  });
});
