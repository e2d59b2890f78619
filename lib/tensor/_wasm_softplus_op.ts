// tfjs-wasm's Softplus kernel replaced by elbo's SIMD one (_wasm_softplus.ts):
// tfjs-wasm's is a scalar loop (0.86 ms of a 2.5 ms black-box VI step on
// [8, 10000] logits), and its form loses the tails that the stable one keeps.
// Every tf.softplus on wasm — a user's target's included — runs it.
import type { tf } from "./_tf.ts";
import { replaceKernel, wasmKernels } from "./_wasm_kernels.ts";

interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

let installed = false;

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
    if (k === undefined || src === undefined || x.dtype !== "float32" || n < 4) {
      return orig.kernelFunc(args) as tf.TensorInfo;
    }
    const out = backend.makeOutput([...x.shape], "float32");
    k.softplus(src.memoryOffset, backend.dataIdMap.get(out.dataId)!.memoryOffset, n);
    return out;
  });
}
