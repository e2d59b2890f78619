// assertClose, assertAllClose and assertWithinSE: the bounds they promise, and nothing looser.
import assert from "node:assert/strict";
import { AssertionError } from "node:assert/strict";
import { assertAllClose, assertClose, assertWithinSE, FLOAT32 } from "../../testing.ts";

Deno.test("assertClose()", () => {
  assertClose(1 + 1e-13, 1);
  assertClose(Infinity, Infinity);
  assertClose(1.5, 1, { abs: 0.5, rel: 0 });
  assertClose(1.00009, 1, FLOAT32);
  assert.throws(() => assertClose(1.0002, 1, FLOAT32), AssertionError);
  assert.throws(() => assertClose(1 + 1e-11, 1), /expected 1, got 1\.00000000001/);
  assert.throws(() => assertClose(NaN, NaN), AssertionError);
  assert.throws(() => assertClose(-Infinity, Infinity), AssertionError);
  assert.throws(() => assertClose(1e308, Infinity), AssertionError);
  assert.throws(() => assertClose(2, 1, {}, "mean"), /^AssertionError.*mean: expected 1/s);
});

Deno.test("assertAllClose()", () => {
  assertAllClose(new Float64Array([1, 2]), [1, 2]);
  assert.throws(() => assertAllClose([1], [1, 2], {}, "v"), /length 1 ≠ 2/);
  assert.throws(() => assertAllClose([1, 3], [1, 2], {}, "v"), /v\[1\]/);
});

Deno.test("assertWithinSE()", () => {
  assertWithinSE({ value: 1.39, standardError: 0.1 }, 1);
  assert.throws(
    () => assertWithinSE({ value: 1.41, standardError: 0.1 }, 1),
    /4\.09.* standard errors from 1 \(allowed 4\)/,
  );
  assertWithinSE({ value: 1.41, standardError: 0.1 }, 1, 4.5);
  assertWithinSE({ value: 1e-20, standardError: 0 }, 0, 4, "", 1e-19);
  assert.throws(() => assertWithinSE({ value: NaN, standardError: 1 }, 0), AssertionError);
});
