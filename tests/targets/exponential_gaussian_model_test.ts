import assert from "node:assert/strict";
import { DiagNormal, exponentialGaussianModel } from "../../mod.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

Deno.test("exponentialGaussianModel()", () => {
  const m = exponentialGaussianModel();
  assertThrowsNaming(() => m.logJoint(NaN, [0]), RangeError, "x", "NaN");
  assertThrowsNaming(() => m.logJoint("1" as never, [0]), TypeError, "x", '"1"');
  assertThrowsNaming(() => m.gradLogJoint(1, [NaN]), RangeError, "z[0]");
  assertThrowsNaming(() => m.optimalLoc(Infinity), RangeError, "x");
  assert.equal(m.logJoint(1, new DiagNormal([0], [1]).loc), -0.5 * Math.log(2 * Math.PI) - 0.5);
});
