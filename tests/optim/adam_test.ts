import assert from "node:assert/strict";
import { Adam } from "../../mod.ts";
import { assertThrowsNaming } from "../_tolerance.ts";
import { assertRefusesUnknownOption } from "../_options.ts";

Deno.test("Adam", async (t) => {
  await t.step(
    "refuses an unknown option, naming it and the options",
    () =>
      assertRefusesUnknownOption({
        label: "Adam",
        what: "Cannot construct Adam",
        keys: ["learningRate", "beta1", "beta2", "epsilon"],
        call: (o) => new Adam(1, o as never),
      }, "lr"),
  );
  await t.step("rejects every bad setting, naming it and its value", () => {
    for (const v of [0, -1, NaN, Infinity]) {
      assertThrowsNaming(
        () => new Adam(1, { learningRate: v }),
        RangeError,
        "learningRate",
        String(v),
      );
      assertThrowsNaming(() => new Adam(1, { epsilon: v }), RangeError, "epsilon", String(v));
    }
    for (const v of [-0.1, 1, 1.5, NaN]) {
      assertThrowsNaming(() => new Adam(1, { beta1: v }), RangeError, "beta1", String(v));
      assertThrowsNaming(() => new Adam(1, { beta2: v }), RangeError, "beta2", String(v));
    }
    assertThrowsNaming(
      () => new Adam(1, { learningRate: "x" as never }),
      TypeError,
      "learningRate",
      '"x"',
    );
    assertThrowsNaming(() => new Adam(1, null as never), TypeError, "options", "null");
    for (const n of [0, -1, 1.5, NaN, 2 ** 53, 1e15]) {
      assertThrowsNaming(() => new Adam(n), RangeError, "size", String(n));
    }
    assertThrowsNaming(() => new Adam("3" as never), TypeError, "size", '"3"');
  });
  await t.step("learningRate can be changed, but only to a valid value", () => {
    const adam = new Adam(1);
    adam.learningRate = 0.01;
    assert.equal(adam.learningRate, 0.01);
    assertThrowsNaming(() => (adam.learningRate = NaN), RangeError, "learningRate", "NaN");
    assert.equal(adam.learningRate, 0.01);
  });
  await t.step("ascend() checks both vectors before changing anything", () => {
    const adam = new Adam(2), theta = new Float64Array([1, 2]);
    assertThrowsNaming(() => adam.ascend(theta, [1, NaN]), RangeError, "grad[1]", "NaN");
    assertThrowsNaming(() => adam.ascend(theta, [1]), TypeError, "grad", "length 2");
    assertThrowsNaming(() => adam.ascend([1, 2] as never, [1, 1]), TypeError, "params");
    assertThrowsNaming(
      () => adam.ascend(new Float64Array([NaN, 0]), [1, 1]),
      RangeError,
      "params[0]",
    );
    assert.deepEqual(Array.from(theta), [1, 2]);
    adam.ascend(theta, [1, -1]);
    // The first step moves each coordinate by the learning rate, along the gradient's sign.
    assert.ok(Math.abs(theta[0]! - 1.05) < 1e-9 && Math.abs(theta[1]! - 1.95) < 1e-9);
  });
});
