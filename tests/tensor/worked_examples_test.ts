// The worked examples of docs/inference.md, each checked against an exact
// answer (or, for logistic regression, against the float64 core's fit).
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tensor.ts";
import * as gammaPoisson from "../../examples/gamma_poisson.ts";
import * as positive from "../../examples/positive_latent.ts";
import * as eightSchools from "../../examples/eight_schools.ts";
import * as logistic from "../../examples/logistic_regression.ts";
import * as banana from "../../examples/banana.ts";
import * as discrete from "../../examples/discrete_vae.ts";
import { assertClose } from "../_tolerance.ts";

await useBackend("cpu");

Deno.test("Gamma–Poisson: ELBO ≤ log p(y), and L_k climbs to log p(y)", async () => {
  const r = await gammaPoisson.run(800);
  const exact = r.exact.logEvidence;
  // log p(y) from scipy.special.gammaln (scipy.integrate.quad of the joint agrees to 2e-4).
  assertClose(exact, -22.0978455, { abs: 1e-6 }, "log p(y)");
  assert.ok(r.elbo.value < exact, "ELBO ≤ log p(y)");
  assertClose(r.fittedMean, r.exact.mean, { rel: 0.02 }, "posterior mean of λ");
  const values = r.bounds.map((b) => b.estimate);
  for (let i = 1; i < values.length; i++) {
    const gap = values[i]!.value - values[i - 1]!.value;
    const se = Math.hypot(values[i]!.standardError, values[i - 1]!.standardError);
    assert.ok(gap > -3 * se, `L_k does not fall: ${JSON.stringify(r.bounds)}`);
  }
  const last = values.at(-1)!;
  assert.ok(Math.abs(last.value - exact) < 4 * last.standardError + 1e-4, `L_1000 ${last.value}`);
  assert.ok(exact - values[0]!.value > 3 * values[0]!.standardError, "L_1 is strictly below");
});

Deno.test("the notes' example: a positive latent fits, an unconstrained one cannot", async () => {
  const r = await positive.run(800);
  // Exact: ½ − x + log Φ(x − 1) at x = ½ (scipy.stats.norm.logcdf(-0.5) = −1.175912…).
  assertClose(r.exact.logEvidence, -1.1759117, { abs: 1e-6 }, "log p(x)");
  assert.equal(r.constrained.negative, 0);
  assert.ok(r.unconstrained.negative > 0.6, "the notes' Gaussian puts most mass below 0");
  assertClose(r.unconstrained.mean, positive.X - 1, { abs: 0.05 }, "unconstrained optimum x − 1");
  assertClose(r.constrained.mean, r.exact.mean, { abs: 0.05 }, "constrained mean");
  assert.equal(r.unconstrained.elbo.value, -Infinity);
  assert.ok(r.constrained.elbo.value < r.exact.logEvidence);
  assert.ok(r.constrained.elbo.value > r.exact.logEvidence - 0.1);
});

Deno.test("eight schools: posterior means near the reference, τ shrunk as mean field does", async () => {
  const r = await eightSchools.run(2000);
  const ref = eightSchools.REFERENCE;
  assertClose(r.mu, ref.mu, { abs: 0.5 }, "E[μ]");
  assert.ok(r.tau > 1.5 && r.tau < ref.tau, `E[τ] = ${r.tau}`);
  r.theta.forEach((t, j) => assertClose(t, ref.theta[j]!, { abs: 1.2 }, `E[θ${j + 1}]`));
  // Partial pooling: the schools with the largest y keep the largest θ.
  const order = r.theta.map((t, j) => [t, j] as const).sort((a, b) => b[0] - a[0]);
  assert.deepEqual(new Set(order.slice(0, 2).map(([, j]) => j)), new Set([0, 6]));
});

Deno.test("logistic regression: every tensor estimator matches the core's hand-written fit", async () => {
  const r = await logistic.run(1000);
  const core = r["core, stickingTheLanding"]!;
  for (const [name, s] of Object.entries(r)) {
    // Same model, same yardstick: log p(y) agrees across all fits.
    assertClose(s.logEvidence.value, core.logEvidence.value, { abs: 0.03 }, `${name} log p(y)`);
    // "iwae", "dreg", "renyi" and "vimco" maximise L_k or L_α, not the ELBO: theirs may be lower.
    const slack = ["iwae", "dreg", "renyi", "vimco"].some((e) => name.includes(e)) ? 0.4 : 0.03;
    assertClose(s.elbo.value, core.elbo.value, { abs: slack }, `${name} ELBO`);
    assert.ok(s.elbo.value <= s.logEvidence.value + 3 * s.logEvidence.standardError);
  }
});

Deno.test("banana: the example fits its four surrogates and draws them (a short run)", async () => {
  // (The full run's numbers are checked by tests/tensor/flow_surrogate_test.ts.)
  const fits = await banana.run(0.05, 2000);
  assert.deepEqual(fits.map((f) => f.name), [
    "mean field",
    "full rank",
    "IAF, 4 layers",
    "RealNVP, 4 layers",
  ]);
  for (const f of fits) {
    assert.ok(f.elbo < 0.02 && f.standardError > 0, `${f.name}: ELBO ${f.elbo} ≤ 0`);
    assert.equal(f.draws.length, 800);
  }
  const svg = banana.figure(fits);
  assert.ok(svg.startsWith("<svg") && svg.split("<circle").length > 4 * 300);
});

Deno.test("discrete VAE: trains through the relaxation, scored with one-hot draws (a short run)", async () => {
  // On wasm (the cpu backend takes a second a step at these widths), then back.
  await useBackend("wasm", { threads: 1, blas: false });
  const before = tf.memory().numTensors;
  const sizes = { seed: 1, trainCount: 600, testCount: 200 };
  const untrained = await discrete.fit(0, true, sizes);
  const trained = await discrete.fit(3, true, sizes);
  // An untrained decoder gives every pixel ½: 784 log ½ = −543.4 nats per digit.
  assert.ok(Math.abs(untrained.discreteElbo + 543.4) < 5, `untrained ${untrained.discreteElbo}`);
  assert.ok(trained.discreteElbo > untrained.discreteElbo + 100, `trained ${trained.discreteElbo}`);
  assert.equal(trained.finalTemperature, 0.5, "annealed to ½");
  assert.ok(
    trained.kl > 0 && trained.kl <= 20 * Math.log(10),
    `KL ${trained.kl} in (0, 20 log 10]`,
  );
  assertClose(
    trained.discreteElbo,
    trained.reconstruction - trained.kl,
    { abs: 1e-3 },
    "ELBO = rec − KL",
  );
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
  await useBackend("cpu");
});
