// Run by webgpu_test.ts (with --unstable-webgpu, for Deno before 2.9): trains the same VAE
// for a few steps on wasm and on webgpu and prints both runs as JSON, or
// {"adapter": false} when this machine offers no WebGPU adapter.
import { VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";

const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
if (!gpu || !(await gpu.requestAdapter())) {
  console.log(JSON.stringify({ adapter: false }));
  Deno.exit(0);
}
const batch = new Float32Array(50 * 784).map((_, i) => ((i * 7919) % 13) / 12 > 0.5 ? 1 : 0);
const runs: Record<string, number[][]> = {};
for (const backend of ["wasm", "webgpu"] as const) {
  await useBackend(backend);
  const vae = new VAE({ inputSize: 784, hiddenSizes: [64], latentSize: 4, seed: 11 });
  const steps: number[][] = [];
  for (let i = 0; i < 3; i++) {
    const s = await vae.trainStep(batch);
    steps.push([s.loss, s.terms.reconstruction!, s.terms.kl!]);
  }
  vae.dispose();
  runs[backend] = steps;
}
console.log(JSON.stringify({ adapter: true, runs }));
