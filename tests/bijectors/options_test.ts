// Bijectors that take options refuse a key they do not take, naming it.
import { FillScaleTriL } from "../../mod.ts";
import { assertRefusesUnknownOption } from "../_options.ts";

Deno.test("new FillScaleTriL() refuses an unknown option, naming it", () =>
  assertRefusesUnknownOption({
    label: "FillScaleTriL",
    what: "Cannot construct FillScaleTriL",
    keys: ["diagShift"],
    call: (o) => new FillScaleTriL(o as never),
  }, "diagshift"));
