// The wasm backend's matrix product, as a BatchMatMul kernel that replaces
// tfjs-wasm's:
//
// - with the system's BLAS, cblas_sgemm on the operands where they lie in the
//   backend's own memory (a SharedArrayBuffer under threaded wasm),
//   transposes included — BLAS takes them natively;
// - without it, a product with transposeA or transposeB (as every gradient of
//   a product asks) transposes explicitly and runs XNNPACK's plain product,
//   which its transposed path is several times slower than (22.4 ms against
//   4.9 ms for [100, 784] · [400, 784]ᵀ on one thread), ordered so that the
//   operand XNNPACK packs is the smaller.
//
// Products too small to gain, integer tensors and batched or broadcast
// shapes that BLAS does not take go to tfjs-wasm's own kernel.
import { tf } from "./_tf.ts";
import type { BlasLibrary } from "./_blas_ffi.ts";
import { replaceKernel, wasmKernels, wasmMemory } from "./_wasm_kernels.ts";

/** Below this many multiply-adds (m·n·k) a product stays on XNNPACK: the call costs more than it saves. */
export const BLAS_MIN_WORK = 4096;

interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  disposeData(dataId: object): boolean;
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

/** xᵀ of a matrix on the wasm backend, as a new TensorInfo. */
function transposeInfo(x: tf.TensorInfo, backend: WasmBackend): tf.TensorInfo {
  const [r, c] = x.shape as [number, number];
  const k = wasmKernels(), src = backend.dataIdMap.get(x.dataId);
  if (k !== undefined && src !== undefined && r % 4 === 0 && c % 4 === 0) {
    const out = backend.makeOutput([c, r], "float32");
    k.transpose(src.memoryOffset, backend.dataIdMap.get(out.dataId)!.memoryOffset, r, c);
    return out;
  }
  const t = tf.getKernel("Transpose", "wasm")!;
  return t.kernelFunc(
    { inputs: { x }, backend, attrs: { perm: [1, 0] } } as never,
  ) as tf.TensorInfo;
}

/**
 * A transposed product of matrices as XNNPACK's plain one: op(A) op(B) =
 * plain(op(A), op(B)), or (op(B)ᵀ op(A)ᵀ)ᵀ when op(A) has fewer rows than
 * op(B) has columns (XNNPACK repacks its second operand at every call: the
 * smaller one goes there). `undefined` for anything else.
 */
function plainProduct(args: KernelArgs, plain: tf.KernelFunc): tf.TensorInfo | undefined {
  const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
  if (!(transposeA || transposeB) || a.shape.length !== 2 || b.shape.length !== 2) return undefined;
  if (a.dtype !== "float32" || b.dtype !== "float32") return undefined;
  const m = transposeA ? a.shape[1]! : a.shape[0]!, n = transposeB ? b.shape[0]! : b.shape[1]!;
  const k = transposeA ? a.shape[0]! : a.shape[1]!;
  if (k !== (transposeB ? b.shape[1] : b.shape[0])) return undefined; // tfjs's kernel says why
  const made: tf.TensorInfo[] = [];
  const t = (x: tf.TensorInfo) => {
    const y = transposeInfo(x, backend);
    made.push(y);
    return y;
  };
  const product = (x: tf.TensorInfo, y: tf.TensorInfo) => {
    const z = plain({
      inputs: { a: x, b: y },
      backend,
      attrs: { transposeA: false, transposeB: false },
    } as never) as tf.TensorInfo;
    return z;
  };
  try {
    if (m >= n) return product(transposeA ? t(a) : a, transposeB ? t(b) : b);
    // op(B)ᵀ is B itself when transposeB, and op(A)ᵀ is A when transposeA.
    const swapped = product(transposeB ? b : t(b), transposeA ? a : t(a));
    made.push(swapped);
    return transposeInfo(swapped, backend);
  } finally {
    for (const x of made) backend.disposeData(x.dataId);
  }
}

/**
 * Installs elbo's BatchMatMul on the wasm backend (once), its products in
 * `library` or, when it is undefined, in tfjs-wasm's XNNPACK with explicit
 * transposes. tfjs-wasm's setup function stays with the kernel, so a
 * restarted backend binds it as before.
 */
export function routeMatMul(library: BlasLibrary | undefined): void {
  active = library;
  if (original !== undefined) return;
  original = replaceKernel("BatchMatMul", (orig) => (args) => {
    const a = args as unknown as KernelArgs;
    return (active === undefined ? undefined : blasProduct(active, a)) ??
      plainProduct(a, orig.kernelFunc) ?? (orig.kernelFunc(args) as tf.TensorInfo);
  });
  if (original === undefined) throw new Error("tfjs-backend-wasm has no BatchMatMul kernel");
}

/** Installs elbo's BatchMatMul on the wasm backend, keeping the library it routes to. */
export function installMatMul(): void {
  routeMatMul(active);
}

/** Whether the active backend's products run in BLAS (wasm, with a library routed). */
export function blasRouted(): boolean {
  return active !== undefined && tf.getBackend() === "wasm";
}

/** The library products run in, or `undefined` (tfjs-wasm's kernel). */
export function routedLibrary(): BlasLibrary | undefined {
  return active;
}
