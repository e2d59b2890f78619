/// <reference lib="dom" />
// Bundled for the browser by webgl_test.ts (deno bundle --platform browser).
// Loads a VAE saved by Deno through fetch, on the WebGL backend, and reports
// its reconstruction of a fixed input and three training steps: shown in
// #result and posted to /result for the test.
import { tf } from "../../lib/tensor/_tf.ts";
import { useBackend } from "../../lib/tensor/backend.ts";
import { VAE } from "../../lib/models/vae.ts";

const result = document.getElementById("result")!;
const report = async (body: unknown) => {
  result.textContent = JSON.stringify(body);
  await fetch("/result", { method: "POST", body: result.textContent });
};
try {
  const backend = await useBackend("webgl");
  const vae = await VAE.load(new URL("model/", location.href));
  const input = await (await fetch("input.json")).json() as { x: number[]; batch: number[] };
  const x = tf.tensor2d(input.x, [input.x.length / vae.inputSize, vae.inputSize]);
  const reconstruction = Array.from(await vae.reconstruct(x).data());
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) {
    losses.push((await vae.trainStep(new Float32Array(input.batch))).loss);
  }
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
  const renderer = gl ? String(gl.getParameter(gl.RENDERER)) : "unknown";
  await report({ backend, renderer, reconstruction, losses });
} catch (e) {
  await report({ error: String((e as Error).stack ?? e) });
}
