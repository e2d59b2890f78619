// tfjs-wasm's Softplus kernel replaced by elbo's SIMD one (_wasm_softplus.ts):
// tfjs-wasm's is a scalar loop (0.86 ms of a 2.5 ms black-box VI step on
// [8, 10000] logits), and its form loses the tails that the stable one keeps.
// Every tf.softplus on wasm — a user's target's included — runs it.
import type { tf } from "./_tf.ts";
import { replaceKernel, wasmKernels, wasmMemory } from "./_wasm_kernels.ts";

interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

let installed = false;

/**
 * softplus of n < 4 values on the wasm heap, in float64 and rounded once
 * (the SIMD kernel takes groups of four): max(x, 0) + log1p(e^{−|x|}).
 */
export function softplusFew(src: number, dst: number, n: number): void {
  const m = new Float32Array(wasmMemory()!.buffer);
  for (let i = 0; i < n; i++) {
    const v = m[src / 4 + i]!;
    m[dst / 4 + i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }
}

/** Installs the kernel on the wasm backend (once); tfjs-wasm's setup stays with it. */
export function installSoftplus(): void {
  if (installed) return;
  installed = true;
  replaceKernel("Softplus", (orig) => (args) => {
    const { inputs: { x }, backend } = args as unknown as {
      inputs: { x: tf.TensorInfo };
      backend: WasmBackend;
    };
    const k = wasmKernels(), src = backend.dataIdMap.get(x.dataId);
    const n = x.shape.reduce((p, d) => p * d, 1);
    if (k === undefined || src === undefined || x.dtype !== "float32") {
      return orig.kernelFunc(args) as tf.TensorInfo;
    }
    const out = backend.makeOutput([...x.shape], "float32");
    const dst = backend.dataIdMap.get(out.dataId)!.memoryOffset;
    if (n >= 4) k.softplus(src.memoryOffset, dst, n);
    else softplusFew(src.memoryOffset, dst, n);
    return out;
  });
}
