// Kernels that run on the wasm backend's own memory: the adapter over
// tfjs-backend-wasm's internals. It assembles the kernels (written as
// WebAssembly SIMD bytecode, lib/tensor/_wasm_encoder.ts) into one module,
// instantiates it against the backend's WebAssembly.Memory, shared or not,
// and finds a tensor's values in that memory:
//
// - adam (_wasm_adam.ts): one pass of Adam over a variable, bit-identical to
//   tfjs's AdamOptimizer;
// - allFinite (_wasm_all_finite.ts): whether every value of a tensor is finite;
// - softplus (_wasm_softplus.ts): log(1 + eˣ) four values at a time;
// - transpose (_wasm_transpose.ts): a matrix by 4 × 4 blocks of shuffles;
// - addInto (_wasm_add_into.ts): dst += src, four values at a time.
//
// A tfjs op per arithmetic step costs a kernel launch and a pass over memory
// each: Adam was 14 launches per variable, about 7 ms of a 34 ms VAE step
// (bench/reference/compare_train_step.ts); this pass takes a fraction of it.
import { tf } from "./_tf.ts";
import { adamKernel } from "./_wasm_adam.ts";
import { addIntoKernel } from "./_wasm_add_into.ts";
import { allFiniteKernel } from "./_wasm_all_finite.ts";
import { name, section, uleb, vec } from "./_wasm_encoder.ts";
import { softplusKernel } from "./_wasm_softplus.ts";
import { transposeKernel } from "./_wasm_transpose.ts";

/** The module, importing `env.memory` (shared with a maximum, or not). */
export function kernelModule(shared: boolean): Uint8Array {
  const kernels = [
    adamKernel(),
    allFiniteKernel(),
    softplusKernel(),
    transposeKernel(),
    addIntoKernel(),
  ];
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const sized = (b: number[]) => [...uleb(b.length), ...b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d], // \0asm
    ...[0x01, 0x00, 0x00, 0x00], // version 1
    ...section(1, vec(kernels.map((k) => k.type))),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, ...limits]])),
    ...section(3, vec(kernels.map((_, index) => uleb(index)))),
    ...section(7, vec(kernels.map((k, index) => [...name(k.name), 0x00, ...uleb(index)]))),
    ...section(10, vec(kernels.map((k) => sized(k.body)))),
  ]);
}

/** The kernels, called with byte offsets into the backend's memory. */
export interface WasmKernels {
  adam(
    p: number,
    m: number,
    v: number,
    g: number,
    out: number,
    n: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    oneMinusBeta1Power: number,
    oneMinusBeta2Power: number,
    epsilon: number,
    negativeLearningRate: number,
  ): void;
  allFinite(x: number, n: number): number;
  /** out = softplus(in) for n ≥ 4 values. */
  softplus(src: number, dst: number, n: number): void;
  /** dst [cols, rows] = srcᵀ, rows and cols multiples of 4. */
  transpose(src: number, dst: number, rows: number, cols: number): void;
  /** dst[i] += src[i] for n float32 values. */
  addInto(dst: number, src: number, n: number): void;
}

/** What elbo reads of tfjs-backend-wasm's backend object. */
interface WasmBackendInternals {
  wasm: {
    HEAPU8: Uint8Array;
    asm?: { memory?: WebAssembly.Memory };
    wasmMemory?: WebAssembly.Memory;
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

const instances = new WeakMap<WebAssembly.Memory, WasmKernels>();

/**
 * The kernels for the active backend, or `undefined` unless it is tfjs's
 * wasm backend (with its memory reachable, as in tfjs-backend-wasm 4.x).
 */
export function wasmKernels(): WasmKernels | undefined {
  const memory = wasmMemory();
  if (memory === undefined) return undefined;
  let k = instances.get(memory);
  if (k === undefined) {
    const shared = typeof SharedArrayBuffer !== "undefined" &&
      memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(kernelModule(shared) as BufferSource);
    k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
    instances.set(memory, k);
  }
  return k;
}

/**
 * The active wasm backend's memory, or `undefined` unless tfjs's wasm backend
 * runs (with its memory reachable, as in tfjs-backend-wasm 4.x).
 */
export function wasmMemory(): WebAssembly.Memory | undefined {
  if (tf.getBackend() !== "wasm") return undefined;
  const be = tf.backend() as unknown as WasmBackendInternals;
  const memory = be.wasm?.wasmMemory ?? be.wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

/** The byte offset of a tensor's values in the wasm backend's memory. */
export function offsetOf(t: tf.Tensor): number {
  const be = tf.backend() as unknown as WasmBackendInternals;
  const info = be.dataIdMap.get(t.dataId);
  if (info === undefined) {
    throw new Error(`a tensor of shape [${t.shape}] is not on the wasm backend`);
  }
  return info.memoryOffset;
}

/** A new float32 tensor on the wasm backend, its values not yet written. */
export function uninitialised(shape: number[]): tf.Tensor {
  const be = tf.backend() as unknown as WasmBackendInternals;
  return tf.engine().makeTensorFromTensorInfo(be.makeOutput(shape, "float32"));
}

/**
 * Replaces one of tfjs-wasm's kernels with `make(its original)`, keeping the
 * original's setup function (a restarted backend binds it as before).
 *
 * @returns The original, or `undefined` if tfjs-wasm has no such kernel.
 */
export function replaceKernel(
  name: string,
  make: (original: tf.KernelConfig) => tf.KernelFunc,
): tf.KernelConfig | undefined {
  const original = tf.getKernel(name, "wasm");
  if (original === undefined) return undefined;
  tf.unregisterKernel(name, "wasm");
  tf.registerKernel({
    kernelName: name,
    backendName: "wasm",
    setupFunc: original.setupFunc,
    kernelFunc: make(original),
  });
  return original;
}
