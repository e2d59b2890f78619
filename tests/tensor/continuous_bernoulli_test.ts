// The tensor continuous Bernoulli where float32 and autodiff are tested
// hardest: at and near λ = ½ (η = 0) its log-density's gradient in η is
// x − E[x] (an exponential family's), finite and exact; its draws are
// reparameterized, ∂E[x]/∂η = Var[x]; on every backend.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ContinuousBernoulli } from "../../tensor.ts";
import * as core from "../../mod.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";

const ETAS = [0, 1e-7, -3e-5, 0.05, -0.2, 3, -12];

Deno.test(
  "ContinuousBernoulli: ∂ log p/∂η = x − E[x], exact at and near λ = ½, on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, () => {
      const x = 0.3;
      const g = tf.tidy(() =>
        tf.grad((eta: tf.Tensor) =>
          new ContinuousBernoulli({ logits: eta }).logProb(tf.fill([1, ETAS.length], x)).sum()
        )(
          tf.tensor2d([ETAS]),
        ).dataSync()
      );
      ETAS.forEach((eta, i) => {
        const want = x - new core.ContinuousBernoulli({ logits: [eta] }).mean()[0]!;
        assert.ok(Number.isFinite(g[i]!), `η = ${eta}: gradient ${g[i]}`);
        assert.ok(Math.abs(g[i]! - want) < 2e-6, `η = ${eta}: ${g[i]} against ${want}`);
      });
    });
  },
);

Deno.test(
  "ContinuousBernoulli: draws are reparameterized, ∂E[x]/∂η = Var[x], on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, () => {
      const etas = [0, 0.5, -2, 6];
      const g = tf.tidy(() =>
        tf.grad((eta: tf.Tensor) =>
          tf.mean(new ContinuousBernoulli({ logits: eta }).sample(8000, 3), 0).sum()
        )(
          tf.tensor1d(etas),
        ).dataSync()
      );
      etas.forEach((eta, i) => {
        const want = new core.ContinuousBernoulli({ logits: [eta] }).variance()[0]!;
        assert.ok(
          Math.abs(g[i]! - want) < 0.08 * want + 3e-4,
          `η = ${eta}: ${g[i]} against ${want}`,
        );
      });
      const d = new ContinuousBernoulli({ logits: [[-700, 0, 80]] });
      const z = d.sample(2000, 1);
      assert.ok(z.dataSync().every((v) => v >= 0 && v <= 1), "draws in [0, 1]");
      tf.dispose(z);
      d.dispose();
    });
  },
);
