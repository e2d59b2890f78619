// Black-box VI when something goes wrong: work too big to start, targets that
// fail (throw, return the wrong thing, return non-finite values), surrogates
// disposed before or during a fit, and misspelt options. Every failure leaves
// the tensor count as it was, on the cpu and the wasm backend.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  elbo,
  fitSurrogatePosterior,
  fullRankSurrogate,
  importanceWeightedBound,
  meanFieldSurrogate,
  NonFiniteError,
  Normal,
  SURROGATE_ESTIMATORS,
  TrainableSurrogate,
  useBackend,
} from "../../tensor.ts";

await useBackend("cpu");

/** log N(z; 0, I), up to a constant: a target that works. */
const good = (z: tf.Tensor) => tf.tidy(() => tf.mul(-0.5, tf.sum(tf.square(z), 1)));

/** Called only by a bug: the refusals under test come before any draw. */
const never = (): tf.Tensor => {
  throw new Error("the target must not be called");
};

/** Targets that fail, each with what the error must say. */
const failing: Record<string, { target: (z: tf.Tensor) => unknown; error: RegExp }> = {
  "throws": {
    target: () => {
      throw new Error("boom");
    },
    error: /boom/,
  },
  "throws after making tensors": {
    target: (z) => {
      tf.mul(tf.square(z), 2);
      throw new Error("boom");
    },
    error: /boom/,
  },
  "returns the wrong shape": {
    target: (z) => tf.sum(tf.square(z)),
    error: /targetLogProb must return shape/,
  },
  "returns a number": { target: () => 3, error: /targetLogProb must return a tensor/ },
  "returns a Promise": {
    target: (z) => Promise.resolve(tf.sum(z, 1)),
    error: /targetLogProb must return a tensor.*Promise/,
  },
  "returns int32": {
    target: (z) => tf.cast(tf.sum(z, 1), "int32"),
    error: /targetLogProb must return a float32 tensor: it returned dtype int32/,
  },
  "returns bool": {
    target: (z) => tf.greater(tf.sum(z, 1), 0),
    error: /targetLogProb must return a float32 tensor: it returned dtype bool/,
  },
  "returns +∞": {
    target: (z) => tf.add(tf.sum(z, 1), Infinity),
    error: /targetLogProb (returned|became) Infinity/,
  },
  "returns NaN": {
    target: (z) => tf.add(tf.sum(z, 1), NaN),
    error: /targetLogProb (returned|became) NaN/,
  },
  "has no gradient": {
    // Round's gradient is zero, but this custom op's backward pass throws.
    target: tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.sum(tf.square(args[0] as tf.Tensor), 1),
      gradFunc: () => {
        throw new Error("no gradient here");
      },
    })) as (z: tf.Tensor) => tf.Tensor,
    error: /no gradient here/,
  },
};

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`fitSurrogatePosterior and the bounds leave no tensor behind on failure (${backend})`, async (t) => {
    await useBackend(backend);
    assert.equal(tf.getBackend(), backend);
    try {
      for (const [name, { target, error }] of Object.entries(failing)) {
        await t.step(`a target that ${name}`, async () => {
          const q = meanFieldSurrogate(2, { seed: 1 });
          const before = tf.memory().numTensors;
          for (const estimator of SURROGATE_ESTIMATORS) {
            const fit = () =>
              fitSurrogatePosterior(target as never, q, { steps: 3, samples: 4, estimator });
            // VIMCO, a score-function estimator, never differentiates the target.
            if (estimator === "vimco" && name === "has no gradient") await fit();
            else await assert.rejects(fit, error, `${estimator}`);
            assert.equal(tf.memory().numTensors, before, `tensors left by "${estimator}"`);
          }
          // The bounds draw without a tape: only targets that fail before the gradient.
          if (name !== "has no gradient") {
            await assert.rejects(() => elbo(target as never, q, { samples: 4 }), error);
            assert.equal(tf.memory().numTensors, before, "tensors left by elbo");
            await assert.rejects(
              () => importanceWeightedBound(target as never, q, { k: 3, samples: 2 }),
              error,
            );
            assert.equal(tf.memory().numTensors, before, "tensors left by importanceWeightedBound");
          }
          q.dispose();
        });
      }
      await t.step("a target that fails at step 3, after Adam has made its moments", async () => {
        for (const estimator of SURROGATE_ESTIMATORS) {
          const q = fullRankSurrogate(2, { seed: 2 });
          const before = tf.memory().numTensors;
          let calls = 0;
          const late = (z: tf.Tensor) => {
            if (++calls === 3) throw new Error("late failure");
            return good(z);
          };
          await assert.rejects(
            () => fitSurrogatePosterior(late, q, { steps: 5, samples: 2, estimator }),
            /late failure/,
          );
          assert.equal(tf.memory().numTensors, before, `tensors left by "${estimator}"`);
          q.dispose();
        }
      });
      await t.step("an onStep that throws", async () => {
        const q = meanFieldSurrogate(2);
        const before = tf.memory().numTensors;
        await assert.rejects(
          () =>
            fitSurrogatePosterior(good, q, {
              steps: 5,
              onStep: ({ step }) => {
                if (step === 2) throw new Error("stop here");
              },
            }),
          /stop here/,
        );
        assert.equal(tf.memory().numTensors, before);
        q.dispose();
      });
    } finally {
      await useBackend("cpu");
    }
  });
}

Deno.test("fitSurrogatePosterior and importanceWeightedBound refuse at once a step too big to hold", async (t) => {
  await t.step(
    "samples × event size: the draws of one step, named with their product",
    async () => {
      const q = meanFieldSurrogate(4096);
      const before = tf.memory().numTensors;
      const started = performance.now();
      await assert.rejects(
        () => fitSurrogatePosterior(never, q, { steps: 1, samples: 2 ** 20 }),
        (e: Error) =>
          e instanceof RangeError &&
          /samples × k × event size must be at most 67108864 \(2²⁶\) values per step/.test(
            e.message,
          ) &&
          /1048576 × 1 × 4096 = 4294967296/.test(e.message),
      );
      assert.ok(performance.now() - started < 1000, "refused before any draw");
      assert.equal(tf.memory().numTensors, before);
      q.dispose();
    },
  );
  await t.step("samples × k × event size with an importance-weighted estimator", async () => {
    const q = meanFieldSurrogate(128);
    for (const estimator of ["iwae", "dreg"] as const) {
      await assert.rejects(
        () => fitSurrogatePosterior(never, q, { samples: 1024, k: 1024, estimator }),
        (e: Error) => e instanceof RangeError && /1024 × 1024 × 128 = 134217728/.test(e.message),
      );
    }
    q.dispose();
  });
  await t.step("importanceWeightedBound: k × event size, the draws of one bound", async () => {
    const q = meanFieldSurrogate(4096);
    await assert.rejects(
      () => importanceWeightedBound(never, q, { k: 2 ** 20, samples: 2 }),
      (e: Error) =>
        e instanceof RangeError &&
        /k × event size must be at most 67108864 \(2²⁶\) values/.test(e.message) &&
        /1048576 × 4096 = 4294967296/.test(e.message),
    );
    q.dispose();
  });
});

Deno.test("TrainableSurrogate and the inference functions say what was disposed", async (t) => {
  await t.step("each method of a disposed surrogate", () => {
    const q = meanFieldSurrogate(2);
    q.dispose();
    assert.equal(q.isDisposed, true);
    const calls: Record<string, () => unknown> = {
      sample: () => q.sample(2, 1),
      logProb: () => q.logProb([0, 0]),
      entropy: () => q.entropy(),
      mean: () => q.mean(),
      variance: () => q.variance(),
      withDistribution: () => q.withDistribution((d) => d.entropy()),
      withDetached: () => q.withDetached((d) => d.entropy()),
    };
    for (const [name, call] of Object.entries(calls)) {
      assert.throws(
        call,
        (e: Error) =>
          e instanceof TypeError &&
          e.message === `TrainableSurrogate.${name} was called after dispose()`,
        name,
      );
    }
  });
  await t.step("fit, elbo and importanceWeightedBound of a disposed surrogate", async () => {
    const q = meanFieldSurrogate(2);
    q.dispose();
    await assert.rejects(
      () => fitSurrogatePosterior(good, q),
      /Cannot run fitSurrogatePosterior as surrogate was disposed/,
    );
    await assert.rejects(() => elbo(good, q), /Cannot estimate elbo as surrogate was disposed/);
    await assert.rejects(
      () => importanceWeightedBound(good, q),
      /Cannot estimate importanceWeightedBound as surrogate was disposed/,
    );
  });
  await t.step("disposing the surrogate inside onStep stops the fit, naming the step", async () => {
    const q = meanFieldSurrogate(2);
    const before = tf.memory().numTensors;
    await assert.rejects(
      () =>
        fitSurrogatePosterior(good, q, {
          steps: 10,
          onStep: ({ step }) => {
            if (step === 3) q.dispose();
          },
        }),
      (e: Error) =>
        e instanceof TypeError &&
        /fitSurrogatePosterior as surrogate was disposed in onStep at step 3/.test(e.message),
    );
    // Its two variables are gone, and nothing else is left.
    assert.equal(tf.memory().numTensors, before - 2);
  });
});

Deno.test("meanFieldSurrogate and fullRankSurrogate refuse options they do not take", () => {
  for (const factory of [meanFieldSurrogate, fullRankSurrogate]) {
    const before = tf.memory().numTensors;
    assert.throws(
      () => factory(3, { bijektor: 1 } as never),
      (e: Error) =>
        e instanceof TypeError &&
        e.message ===
          `Cannot build ${factory.name} as options.bijektor is not an option (choose from bijector, seed): current value is 1`,
    );
    assert.equal(tf.memory().numTensors, before);
  }
});

Deno.test("fitSurrogatePosterior names the target when its log-density is not finite", async (t) => {
  await t.step("+∞ and NaN: a NonFiniteError naming targetLogProb and the step", async () => {
    for (const [value, shown] of [[Infinity, "Infinity"], [NaN, "NaN"]] as const) {
      const q = meanFieldSurrogate(2, { seed: 3 });
      let calls = 0;
      const bad = (z: tf.Tensor) => ++calls === 2 ? tf.tidy(() => tf.add(good(z), value)) : good(z);
      await assert.rejects(
        () => fitSurrogatePosterior(bad, q, { steps: 4, samples: 2 }),
        (e: Error) =>
          e instanceof NonFiniteError && e.step === 2 && e.term === "targetLogProb" &&
          new RegExp(`Training step 2: the target log-density \\(targetLogProb\\) became ${shown}`)
            .test(
              e.message,
            ) &&
          !/loss term loss/.test(e.message),
      );
      q.dispose();
    }
  });
  await t.step("an int32 or bool target is refused, not cast", async () => {
    const q = meanFieldSurrogate(2);
    for (const dtype of ["int32", "bool"] as const) {
      const cast = (z: tf.Tensor) => tf.tidy(() => tf.cast(good(z), dtype));
      await assert.rejects(
        () => fitSurrogatePosterior(cast, q, { steps: 1 }),
        (e: Error) => e instanceof TypeError && new RegExp(`dtype ${dtype}`).test(e.message),
      );
      await assert.rejects(
        () => elbo(cast, q, { samples: 2 }),
        (e: Error) => e instanceof TypeError && new RegExp(`dtype ${dtype}`).test(e.message),
      );
    }
    q.dispose();
  });
  await t.step("the bounds refuse a log weight of +∞", async () => {
    const q = new Normal(0, 1);
    const inf = (z: tf.Tensor) => tf.add(z, Infinity);
    await assert.rejects(
      () => elbo(inf, q, { samples: 4 }),
      (e: Error) =>
        e instanceof RangeError && /log p\(z\) − log q\(z\) is Infinity/.test(e.message),
    );
    q.dispose();
  });
});

Deno.test("fitSurrogatePosterior and elbo free only their own tensors", async () => {
  // A target that returns a tensor of its own (here a constant): still alive after.
  const own = tf.tensor1d([0, 0]);
  const q = meanFieldSurrogate(2);
  await fitSurrogatePosterior(() => own, q, { steps: 2, samples: 2 });
  await elbo(() => own, q, { samples: 2 });
  assert.equal(own.isDisposed, false);
  q.dispose();
  own.dispose();
});

// A custom TrainableSurrogate is refused the same way as the factories' ones.
Deno.test("TrainableSurrogate built by hand reports its own disposal", () => {
  const q = new TrainableSurrogate([tf.variable(tf.scalar(0))], ([m]) => new Normal(m!, 1));
  assert.equal(q.isDisposed, false);
  q.dispose();
  assert.throws(() => q.sample(1, 0), /TrainableSurrogate.sample was called after dispose\(\)/);
});
