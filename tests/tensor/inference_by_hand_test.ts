// The "elbo" step of meanFieldSurrogate and fullRankSurrogate differentiates
// the Gaussian's reparameterization by hand and tapes only the target: it must
// give what tfjs autodiff of the composed ops gives — the same loss, the same
// gradients, the same fit — on every backend it runs on.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  DiagNormal,
  FillScaleTriL,
  fitSurrogatePosterior,
  fullRankSurrogate,
  meanFieldSurrogate,
  MultivariateNormal,
  TrainableSurrogate,
} from "../../tensor.ts";
import { gaussianForm, gaussianStep } from "../../lib/tensor/inference/_gaussian_step.ts";
import { objective } from "../../lib/tensor/inference/_objective.ts";
import { taped } from "../../lib/tensor/inference/_taped.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";

// A target with curvature and cross terms, so every entry of the gradient matters.
const target = (z: tf.Tensor) =>
  tf.tidy(() => {
    const d = z.shape[1]!;
    const shifted = tf.sub(z, tf.linspace(-1, 1, d));
    const pair = tf.mul(tf.slice(z, [0, 0], [-1, 1]), tf.slice(z, [0, d - 1], [-1, 1]));
    return tf.add(
      tf.sum(tf.sub(tf.tanh(z), tf.mul(0.5, tf.square(shifted))), 1),
      tf.mul(0.3, tf.squeeze(pair, [1])),
    );
  });

const PLAN = { estimator: "elbo", samples: 5, k: 1, alpha: 0.5, analyticEntropy: true } as const;

/** Both surrogates of size d, their variables set to spread values (negative raw scales too). */
function surrogates(d: number) {
  const qs = [meanFieldSurrogate(d, { seed: 3 }), fullRankSurrogate(d, { seed: 3 })];
  for (const q of qs) {
    for (const [i, v] of q.trainableVariables.entries()) {
      const n = v.size;
      v.assign(tf.tensor1d(Array.from({ length: n }, (_, j) => Math.sin(3 * j + i + 1) * 1.5)));
    }
  }
  return qs;
}

Deno.test(
  "a Gaussian surrogate's hand-differentiated step equals autodiff's, on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, () => {
      for (const q of surrogates(4)) {
        const form = gaussianForm(q);
        assert.ok(form, "the factories' surrogates take the hand-differentiated step");
        const before = tf.memory().numTensors;
        const hand = gaussianStep("test", target, q, form, 5, 11);
        const tape = taped(q.trainableVariables, () => objective("test", target, q, PLAN, 11));
        const [lossHand, lossTape] = [hand.reported.dataSync()[0]!, tape.reported.dataSync()[0]!];
        assert.ok(
          Math.abs(lossHand - lossTape) <= 1e-5 * (1 + Math.abs(lossTape)),
          `${lossHand} vs ${lossTape}`,
        );
        assert.deepEqual(
          Array.from(hand.lp.dataSync()).map((v) => v.toFixed(3)),
          Array.from(tape.lp.dataSync()).map((v) => v.toFixed(3)),
        );
        for (const [i, g] of hand.grads.entries()) {
          const a = g!.dataSync(), b = tape.grads[i]!.dataSync();
          assert.equal(a.length, b.length);
          for (let j = 0; j < a.length; j++) {
            assert.ok(
              Math.abs(a[j]! - b[j]!) <= 2e-5 * (1 + Math.abs(b[j]!)),
              `${q.family} gradient ${i}[${j}]: ${a[j]} by hand, ${b[j]} by autodiff`,
            );
          }
        }
        tf.dispose([
          ...hand.grads,
          hand.reported,
          hand.lp,
          ...tape.grads.filter((g) => g),
          tape.reported,
          tape.lp,
        ]);
        assert.equal(tf.memory().numTensors, before);
        q.dispose();
      }
    });
  },
);

Deno.test(
  "a fit through the hand-differentiated step follows the autodiff fit, on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, async () => {
      for (const kind of ["diag", "tril"] as const) {
        const fast = kind === "diag"
          ? meanFieldSurrogate(3, { seed: 5 })
          : fullRankSurrogate(3, { seed: 5 });
        // The same surrogate built by hand: unmarked, so its fit tapes everything.
        const fill = new FillScaleTriL({ diagShift: 1e-5 });
        const slow = new TrainableSurrogate(
          fast.trainableVariables.map((v) => tf.variable(v)),
          ([m, r]) =>
            kind === "diag"
              ? new DiagNormal(m!, tf.add(tf.softplus(r!), 1e-5))
              : new MultivariateNormal(m!, fill.forward(r!)),
        );
        assert.equal(gaussianForm(slow), undefined);
        const options = { steps: 30, samples: 4, seed: 2, learningRate: 0.05 };
        const a = await fitSurrogatePosterior(target, fast, options);
        const b = await fitSurrogatePosterior(target, slow, options);
        for (let s = 0; s < 30; s++) {
          assert.ok(
            Math.abs(a.losses[s]! - b.losses[s]!) < 1e-3,
            `${kind} step ${s + 1}: ${a.losses[s]} vs ${b.losses[s]}`,
          );
        }
        for (const [i, v] of fast.trainableVariables.entries()) {
          const x = v.dataSync(), y = slow.trainableVariables[i]!.dataSync();
          x.forEach((xv, j) =>
            assert.ok(Math.abs(xv - y[j]!) < 1e-3, `${kind} variable ${i}[${j}]`)
          );
        }
        fast.dispose();
        slow.dispose();
      }
    });
  },
);
