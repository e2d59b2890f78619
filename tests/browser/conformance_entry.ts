/// <reference lib="dom" />
// Bundled for the browser by webgl_conformance_test.ts: draws the
// conformance suite's cases with the seed it is given (fast-check draws the
// same cases here as in Deno), evaluates each on the webgl backend, and
// posts the values to /result; Deno compares them with the float64 core.
import { fc } from "../_fc.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { useBackend } from "../../lib/tensor/backend.ts";
import { FAMILIES } from "../tensor/_family_cases.ts";
import { KL_CASES } from "../tensor/_kl_cases.ts";
import { evaluateFamily, evaluateKL } from "../tensor/_evaluate.ts";

const result = document.getElementById("result")!;
// ±∞ and NaN as strings: JSON has no numbers for them.
const report = async (body: unknown) => {
  result.textContent = JSON.stringify(
    body,
    (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v),
  );
  await fetch("/result", { method: "POST", body: result.textContent });
};
try {
  const spec = await (await fetch("spec.json")).json() as { seed: number; runs: number };
  // One shader per op rather than per shape: the cases come in many shapes,
  // and SwiftShader compiles each shader on the CPU.
  tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
  const backend = await useBackend("webgl");
  const draw = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { seed: spec.seed, numRuns: spec.runs });
  const started = performance.now();
  const families = Object.fromEntries(
    Object.entries(FAMILIES).map(([name, arb]) => [name, draw(arb).map(evaluateFamily)]),
  );
  const kls = Object.fromEntries(
    Object.entries(KL_CASES).map(([name, arb]) => [name, draw(arb).map(evaluateKL)]),
  );
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
  const renderer = gl ? String(gl.getParameter(gl.RENDERER)) : "unknown";
  await report({
    backend,
    renderer,
    seconds: (performance.now() - started) / 1000,
    tensors: tf.memory().numTensors,
    families,
    kls,
  });
} catch (e) {
  await report({ error: String((e as Error).stack ?? e) });
}
