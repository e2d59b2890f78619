// The wasm backend's matrix product in the system's BLAS: a BatchMatMul kernel
// that calls cblas_sgemm on the operands where they lie, in the backend's own
// memory (a SharedArrayBuffer under threaded wasm), transposes included —
// BLAS takes them natively, where tfjs-wasm's XNNPACK path for transposeA or
// transposeB is several times slower than its plain product. Products too
// small to gain, integer tensors and batch shapes that broadcast in more than
// one operand go to tfjs-wasm's own kernel.
import { tf } from "./_tf.ts";
import type { BlasLibrary } from "./_blas_ffi.ts";
import { wasmMemory } from "./_wasm_kernels.ts";

/** Below this many multiply-adds (m·n·k) a product stays on XNNPACK: the call costs more than it saves. */
export const BLAS_MIN_WORK = 4096;

interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

type KernelArgs = {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  backend: WasmBackend;
  attrs: { transposeA: boolean; transposeB: boolean };
};

let original: tf.KernelConfig | undefined;
let active: BlasLibrary | undefined;

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** The product in BLAS, or `undefined` where tfjs-wasm's kernel should run. */
function blasProduct(library: BlasLibrary, args: KernelArgs): tf.TensorInfo | undefined {
  const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
  if (a.dtype !== "float32" || b.dtype !== "float32") return undefined;
  const ra = a.shape.length, rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb || m * n * k < BLAS_MIN_WORK) return undefined;
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = size(outerA), batchB = size(outerB);
  // One operand's batch repeats, or both are the same batch: as tfjs-wasm.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return undefined; // tfjs's kernel says why
  }
  const memory = wasmMemory();
  const ia = backend.dataIdMap.get(a.dataId), ib = backend.dataIdMap.get(b.dataId);
  if (memory === undefined || ia === undefined || ib === undefined) return undefined;
  const out = backend.makeOutput([...outer, m, n], "float32");
  const oc = backend.dataIdMap.get(out.dataId)!.memoryOffset;
  const batch = Math.max(batchA, batchB), bytes = 4;
  for (let i = 0; i < batch; i++) {
    library.sgemm(
      memory.buffer,
      transposeA,
      transposeB,
      m,
      n,
      k,
      ia.memoryOffset + (batchA === 1 ? 0 : i * m * k * bytes),
      ib.memoryOffset + (batchB === 1 ? 0 : i * k * n * bytes),
      oc + i * m * n * bytes,
    );
  }
  return out;
}

/**
 * Routes the wasm backend's BatchMatMul through `library`, or back to
 * tfjs-wasm's own kernel when `library` is undefined. tfjs-wasm's setup
 * function stays with the kernel, so a restarted backend binds it as before.
 */
export function routeMatMul(library: BlasLibrary | undefined): void {
  original ??= tf.getKernel("BatchMatMul", "wasm");
  if (original === undefined) throw new Error("tfjs-backend-wasm has no BatchMatMul kernel");
  const orig = original;
  tf.unregisterKernel("BatchMatMul", "wasm");
  active = library;
  if (library === undefined) {
    tf.registerKernel(orig);
    return;
  }
  tf.registerKernel({
    kernelName: "BatchMatMul",
    backendName: "wasm",
    setupFunc: orig.setupFunc,
    kernelFunc: (args) =>
      blasProduct(library, args as unknown as KernelArgs) ??
        (orig.kernelFunc(args) as tf.TensorInfo),
  });
}

/** Whether the active backend's products run in BLAS (wasm, with a library routed). */
export function blasRouted(): boolean {
  return active !== undefined && tf.getBackend() === "wasm";
}

/** The library products run in, or `undefined` (tfjs-wasm's kernel). */
export function routedLibrary(): BlasLibrary | undefined {
  return active;
}
