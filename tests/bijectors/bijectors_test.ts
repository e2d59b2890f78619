import assert from "node:assert/strict";
import type { Bijector } from "../../lib/bijectors/bijector.ts";
import { Chain } from "../../lib/bijectors/chain.ts";
import { Exp } from "../../lib/bijectors/exp.ts";
import { FillScaleTriL } from "../../lib/bijectors/fill_scale_tril.ts";
import { Scale } from "../../lib/bijectors/scale.ts";
import { Shift } from "../../lib/bijectors/shift.ts";
import { Sigmoid } from "../../lib/bijectors/sigmoid.ts";
import { SoftmaxCentered } from "../../lib/bijectors/softmax_centered.ts";
import { Softplus } from "../../lib/bijectors/softplus.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";
import { assertBijectorLaws } from "../../testing.ts";

const x = (min = -20, max = 20) => fc.double({ min, max, noNaN: true });
const vec = (n: number, min = -5, max = 5) => fc.array(x(min, max), { minLength: n, maxLength: n });
/** Each elementwise bijector with the inputs where float64 keeps its round trip to ~1e-10. */
const ELEMENTWISE = (): Array<[Bijector, number, number]> => [
  [new Exp(), -20, 20],
  [new Softplus(), -20, 20],
  [new Sigmoid(), -8, 8], // σ(x) rounds 1 − σ(x) to a relative ~e^|x| ε
  [new Shift(2.5), -20, 20],
  [new Scale(-0.3), -20, 20],
  [new Chain([new Shift(1), new Scale(2), new Softplus()]), -4, 20],
];

Deno.test("elementwise bijectors", async (t) => {
  await t.step("round trip, opposite log-Jacobians, finite differences, density", () => {
    for (const [b, lo, hi] of ELEMENTWISE()) {
      // Numbers and pairs over the whole range; triples where finite differences are exact enough.
      assertBijectorLaws(b, x(lo, hi), { numRuns: 100 });
      assertBijectorLaws(b, vec(2, lo, hi), { numRuns: 100, density: false });
      assertBijectorLaws(b, vec(3, Math.max(lo, -4), Math.min(hi, 4)), { density: false });
    }
  });
  await t.step("Exp: e^x, log y, −log y; (0, ∞)", () => {
    const b = new Exp();
    assert.equal(b.forward(0), 1);
    assert.equal(b.forwardLogDetJacobian(3), 3);
    assert.equal(b.inverseLogDetJacobian(Math.E), -1);
    assert.equal(b.inRange(0), false);
    assert.equal(b.inRange(Infinity), false);
    assertThrowsNaming(() => b.inverse(-1), RangeError, "y", "(0, ∞)", "-1");
    assertThrowsNaming(() => b.inverse([1, 0]), RangeError, "y[1]", "0");
  });
  await t.step("Softplus: stable forward, inverse and log-Jacobians at the extremes", () => {
    const b = new Softplus();
    assert.equal(b.forward(1e4), 1e4);
    assert.equal(b.forward(-800), 0);
    assert.equal(b.forwardLogDetJacobian(-800), -800);
    assert.ok(b.forwardLogDetJacobian(800) === 0);
    // softplus⁻¹(y) = log(eʸ − 1): log y for tiny y, y for huge y (mpmath)
    assertClose(b.inverse(1e-300), Math.log(1e-300), { rel: 1e-15 });
    assert.equal(b.inverse(1e300), 1e300);
    assert.equal(b.inverse(40), 40); // 40 − 4.25e-18, which rounds to 40
    assertClose(b.inverseLogDetJacobian(1e-300), -Math.log(1e-300), { rel: 1e-15 });
    assertClose(b.inverseLogDetJacobian(40), 4.248354255291589e-18, { rel: 1e-15 });
    assertClose(b.inverse(Math.LN2), 0, { abs: 2e-16 });
  });
  await t.step("Sigmoid: log-Jacobian −softplus(−x) − softplus(x) without underflow", () => {
    const b = new Sigmoid();
    assert.equal(b.forward(0), 0.5);
    assert.equal(b.forwardLogDetJacobian(-1000), -1000);
    assert.equal(b.forwardLogDetJacobian(1000), -1000);
    assertClose(b.inverse(1e-300), Math.log(1e-300), { rel: 1e-15 });
    assertClose(b.inverseLogDetJacobian(0.5), Math.log(4), { rel: 1e-15 });
    assert.equal(b.inRange(1), false);
    assertThrowsNaming(() => b.inverse(1), RangeError, "y", "(0, 1)");
  });
  await t.step("Shift and Scale, by a number or per coordinate", () => {
    assert.deepEqual(new Shift([1, 2]).forward([0, 0]), new Float64Array([1, 2]));
    assertClose(new Scale([2, -3]).forwardLogDetJacobian([5, 5]), Math.log(6));
    assert.equal(new Scale(4).inverseLogDetJacobian(1), -Math.log(4));
    assertThrowsNaming(() => new Shift([1, 2]).forward([0, 0, 0]), TypeError, "x", "length 2");
    assertThrowsNaming(() => new Shift([1, 2]).forward(0), TypeError, "x");
    assertThrowsNaming(() => new Scale(0), RangeError, "scale", "0");
    assertThrowsNaming(() => new Scale([1, 1e-310]), RangeError, "scale[1]", "1e-310");
    assertThrowsNaming(() => new Shift(NaN), RangeError, "shift", "NaN");
    assertThrowsNaming(() => new Shift("1" as never), TypeError, "shift");
  });
  await t.step("Chain applies right to left and sums the log-Jacobians", () => {
    const c = new Chain([new Shift(1), new Exp()]);
    assert.equal(c.forward(0), 2);
    assert.equal(c.inverse(2), 0);
    assert.equal(c.forwardLogDetJacobian(0.5), 0.5);
    assert.equal(c.inRange(0.5), false);
    assert.equal(c.name, "Chain([Shift, Exp])");
    assert.equal(new Chain([]).forward(3), 3);
    assertThrowsNaming(() => new Chain([new Exp(), {} as never]), TypeError, "bijectors[1]");
    assertThrowsNaming(() => new Chain(null as never), TypeError, "bijectors");
  });
  await t.step("rejects NaN and what is not a point, naming it", () => {
    for (const [b] of ELEMENTWISE()) {
      assertThrowsNaming(() => b.forward(NaN), RangeError, "x", "NaN");
      assertThrowsNaming(() => b.forward([0, NaN]), RangeError, "x[1]", "NaN");
      assertThrowsNaming(() => b.forwardLogDetJacobian("1" as never), TypeError, "x");
      assertThrowsNaming(() => b.inverse([] as never), TypeError, "y");
      assert.equal(b.inRange(NaN), false);
      assert.equal(b.inRange({} as never), false);
    }
  });
});

Deno.test("FillScaleTriL", async (t) => {
  const proj = (d: number) => (y: Float64Array) => {
    const out: number[] = [];
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) out.push(y[i * d + j]!);
    return out;
  };
  await t.step("round-trips and its log-Jacobian agrees with a finite difference", () => {
    for (let d = 1; d <= 4; d++) {
      assertBijectorLaws(new FillScaleTriL(), vec((d * (d + 1)) / 2), {
        project: proj(d),
        tolerance: 1e-9,
        numRuns: 25,
      });
    }
  });
  await t.step("fills row by row, lower triangle, softplus + diagShift on the diagonal", () => {
    const L = new FillScaleTriL().forward([0, 2, 0, 3, 4, 0]);
    const sp0 = Math.LN2 + 1e-5;
    assert.deepEqual(Array.from(L), [sp0, 0, 0, 2, sp0, 0, 3, 4, sp0]);
    const b = new FillScaleTriL();
    assert.equal(b.forwardEventSize(6), 9);
    assert.equal(b.inverseEventSize(9), 6);
    assert.equal(b.inRange([1, 0, 2, 1]), true);
    assert.equal(b.inRange([1, 0.5, 2, 1]), false);
    assert.equal(b.inRange([1e-6, 0, 2, 1]), false);
  });
  await t.step("rejects bad sizes, shifts and matrices, naming them", () => {
    const b = new FillScaleTriL();
    assertThrowsNaming(() => b.forward([1, 2]), TypeError, "x", "triangular", "2");
    assertThrowsNaming(() => b.forward(1 as never), TypeError, "x");
    assertThrowsNaming(() => b.forwardEventSize(4), TypeError, "size");
    assertThrowsNaming(() => b.inverseEventSize(5), TypeError, "size");
    assertThrowsNaming(() => b.inverse([1, 2, 3]), TypeError, "y", "d × d");
    assertThrowsNaming(() => b.inverse([1, 1, 0, 1]), RangeError, "y[1]", "above the diagonal");
    assertThrowsNaming(() => b.inverse([1, 0, 0, -1]), RangeError, "y[3]", "diagShift");
    assertThrowsNaming(() => new FillScaleTriL({ diagShift: -1 }), RangeError, "diagShift", "-1");
    assertThrowsNaming(() => new FillScaleTriL(3 as never), TypeError, "options");
  });
});

Deno.test("SoftmaxCentered", async (t) => {
  const firstK = (y: Float64Array) => Array.from(y.subarray(0, y.length - 1));
  await t.step("round-trips and its log-Jacobian agrees with a finite difference", () => {
    for (let k = 1; k <= 5; k++) {
      assertBijectorLaws(new SoftmaxCentered(), vec(k), {
        project: firstK,
        tolerance: 1e-9,
        numRuns: 20,
      });
    }
  });
  await t.step("maps onto the simplex, stably for huge logits", () => {
    const b = new SoftmaxCentered();
    const y = b.forward([800, -800]);
    assert.ok(y.every((v) => v >= 0) && Math.abs(y[0]! + y[1]! + y[2]! - 1) < 1e-15);
    assert.ok(Number.isFinite(b.forwardLogDetJacobian([800, -800])));
    assert.equal(b.forwardEventSize(2), 3);
    assert.equal(b.inRange([0.5, 0.5, 0]), false);
    assert.equal(b.inRange([0.5, 0.6]), false);
  });
  await t.step("rejects what is not on the open simplex, naming it", () => {
    const b = new SoftmaxCentered();
    assertThrowsNaming(() => b.inverse([0.5, 0.6]), RangeError, "y", "1.1");
    assertThrowsNaming(() => b.inverse([1, 0]), RangeError, "y[1]", "> 0");
    assertThrowsNaming(() => b.inverse([1]), TypeError, "y", "at least 2");
    assertThrowsNaming(() => b.forward([Infinity]), RangeError, "x[0]", "Infinity");
    assertThrowsNaming(() => b.inverseEventSize(1), TypeError, "size", "1");
  });
});
