// The continuous Bernoulli (Loaiza-Ganem & Cunningham 2019): log-density,
// mean and variance against mpmath (50 digits: C(λ) = 2 atanh(1 − 2λ)/(1 − 2λ),
// the moments by quadrature), stable at and near λ = ½; the laws of a
// distribution; its KL against mpmath to 10⁻¹² relative, near-identical
// pairs included.
import assert from "node:assert/strict";
import { ContinuousBernoulli, createRng, klContinuousBernoulli, klDivergence } from "../../mod.ts";
import { assertDistributionLaws, assertKLLaws, continuousBernoulli } from "../../testing.ts";
import "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

// [η, log C(λ), log p(0.3), E[x], Var[x]] by mpmath.
const REFERENCE = [
  [-30, 3.4011973816623424, -5.598802618337751, 0.033333333333239755, 0.001111111111017535],
  [-5, 1.622914010372707, 0.11619866188358893, 0.19321634509369576, 0.03317032711980794],
  [-0.7, 0.7328521077551107, 0.11966605886965273, 0.44213756493696527, 0.08133069557133402],
  [-1e-6, 0.6931471805600287, 1.9999995833333332e-7, 0.49999991666666666, 0.08333333333332917],
  [0, 0.6931471805599453, 0, 0.5, 0.08333333333333333],
  [1e-9, 0.6931471805599453, -2.0000000004166667e-10, 0.5000000000833333, 0.08333333333333333],
  [1e-3, 0.6931472638932737, -0.00020004166666631946, 0.5000833333319444, 0.08333332916666683],
  [0.3, 0.7006080529574378, -0.06374719151108932, 0.5249625801767492, 0.0829596684125909],
  [2, 0.9654886494717768, -0.5614393615711957, 0.6565176427496656, 0.06898458475842238],
  [12, 2.484918938212707, -5.915087205980771, 0.9166728109167716, 0.0069383001565877294],
  [40, 3.6888794541139363, -24.311120545886062, 0.975, 0.0006249999999999958],
];

// [η_p, η_q, KL(p ‖ q)] by mpmath at 60 digits, for the float64 values of the logits
// (the closed form A(η_q) − A(η_p) − (η_q − η_p) E_p[x], E_p[x] by quadrature).
const KL = [
  [0, 0.3, 0.0037471915110893128113],
  [-5, 2, 1.4251236077989141837],
  [3, -3, 1.3143741789475357118],
  [0.7, 0.7000001, 4.0665347739616730978e-16],
  [0, 1e-9, 4.1666666666666671856e-20],
  [12, 40, 1.1291946342356890577],
  [-30, -29.9999, 5.5555679007716400146e-12],
  [1e-6, -1e-6, 1.666666666666638738e-13],
  [2, 2.5, 0.0083606014377782941273],
];

Deno.test("ContinuousBernoulli", async (t) => {
  await t.step("log-density, mean and variance match mpmath, at and near λ = ½", () => {
    for (const [eta, , lp, mean, variance] of REFERENCE) {
      const d = new ContinuousBernoulli({ logits: [eta!] });
      assertClose(d.logProb([0.3]), lp!, { abs: 1e-15, rel: 1e-13 }, `logProb at η = ${eta}`);
      assertClose(d.mean()[0]!, mean!, { rel: 1e-13 }, `mean at η = ${eta}`);
      assertClose(d.variance()[0]!, variance!, { rel: 1e-12 }, `variance at η = ${eta}`);
    }
    // From probabilities: the same distribution.
    const a = new ContinuousBernoulli({ probs: [0.2, 0.5] });
    const b = new ContinuousBernoulli({ logits: [Math.log(0.25), 0] });
    assertClose(a.logProb([0.1, 0.9]), b.logProb([0.1, 0.9]), { rel: 1e-14 }, "probs = logits");
  });
  await t.step("the laws of a distribution: normalized, moments and entropy by its draws", () => {
    // Simpson's rule on [0, 1] (the density is smooth there), 2000 intervals.
    for (const eta of [-30, -3, -1e-7, 0, 1e-7, 0.5, 8]) {
      const d = new ContinuousBernoulli({ logits: [eta] }), n = 2000;
      let sum = 0;
      for (let i = 0; i <= n; i++) {
        const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
        sum += w * Math.exp(d.logProb([i / n]));
      }
      assertClose(sum / (3 * n), 1, { abs: 1e-8 }, `∫ p at η = ${eta}`);
    }
    assertDistributionLaws(continuousBernoulli(3), { numRuns: 20 });
  });
  await t.step("−∞ off [0, 1]; draws stay in [0, 1], even for extreme logits", () => {
    const d = new ContinuousBernoulli({ logits: [-700, 0, 700] });
    assert.equal(d.logProb([-1e-300, 0.5, 0.5]), -Infinity);
    assert.equal(d.logProb([0.5, 0.5, 1 + 1e-15]), -Infinity);
    const xs = d.sampleN(createRng(1), 1000);
    assert.ok(xs.every((x) => x >= 0 && x <= 1));
    assert.ok(Number.isFinite(d.logProb([0, 0.5, 1])));
    assert.ok(d.entropy() <= 0 && Number.isFinite(d.entropy()));
  });
  await t.step("KL matches mpmath to 10⁻¹², near-identical pairs included", () => {
    for (const [a, b, want] of KL) {
      const p = new ContinuousBernoulli({ logits: [a!] }),
        q = new ContinuousBernoulli({ logits: [b!] });
      assertClose(klContinuousBernoulli(p, q), want!, { rel: 1e-12 }, `KL(${a} ‖ ${b})`);
      assert.equal(klDivergence(p, q), klContinuousBernoulli(p, q), "registered");
    }
    assertKLLaws(continuousBernoulli(2), continuousBernoulli(2), { numRuns: 10 });
  });
  await t.step("bad parameters are named", () => {
    assertThrowsNaming(() => new ContinuousBernoulli({ probs: [0] }), RangeError, "probs[0]");
    assertThrowsNaming(() => new ContinuousBernoulli({ probs: [1] }), RangeError, "probs[0]");
    assertThrowsNaming(() => new ContinuousBernoulli({ logits: [NaN] }), RangeError, "logits");
    assertThrowsNaming(() => new ContinuousBernoulli({} as never), TypeError, "logits or probs");
    assertThrowsNaming(
      () =>
        klContinuousBernoulli(
          new ContinuousBernoulli({ logits: [0] }),
          new ContinuousBernoulli({ logits: [0, 1] }),
        ),
      TypeError,
      "differ in size",
    );
  });
});
