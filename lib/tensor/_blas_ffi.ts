// The system's BLAS through Deno's FFI: finding the library, opening it, and
// `cblas_sgemm` on byte offsets into one memory (the wasm backend's heap).
// Deno.dlopen needs --allow-ffi, which is as strong as --allow-all: the
// library runs native code in this process.

/** An open BLAS library. */
export interface BlasLibrary {
  /** The file opened. */
  readonly path: string;
  /** `openblas_get_config()`: version, build options and core type, where the library has it. */
  readonly config?: string;
  /** Sets the library's threads (OpenBLAS's `openblas_set_num_threads`), where it can. */
  setThreads(n: number): void;
  /** The library's threads, where it says (`openblas_get_num_threads`). */
  threads(): number | undefined;
  /**
   * C [m, n] = op(A) op(B) in row-major order, A, B and C given as byte
   * offsets into `memory`; op transposes when asked.
   */
  sgemm(
    memory: ArrayBufferLike,
    transposeA: boolean,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
  ): void;
  /** Closes the library. */
  close(): void;
}

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // M
      "i32", // N
      "i32", // K
      "f32", // alpha
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f32", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_get_config: { parameters: [], result: "pointer", optional: true },
  // Copies the configuration string out: reading a C string with
  // Deno.UnsafePointerView needs --allow-ffi for every path, not the library's.
  cblas_scopy: { parameters: ["i32", "pointer", "i32", "buffer", "i32"], result: "void" },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
} as const;

// CBLAS's enums.
const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

/**
 * Where a system's OpenBLAS usually is, on a platform (this one by default).
 * deno.json's tasks grant --allow-ffi for exactly these paths (a test checks).
 */
export function blasCandidates(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): string[] {
  if (os === "darwin") {
    return [
      "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
      "/usr/local/opt/openblas/lib/libopenblas.dylib",
    ];
  }
  if (os !== "linux") return [];
  const triplet = arch === "aarch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  return [
    `/usr/lib/${triplet}/libopenblas.so.0`, // Debian, Ubuntu: libopenblas0
    "/usr/lib64/libopenblas.so.0", // Fedora, RHEL
    "/usr/lib/libopenblas.so.0", // Arch, Alpine
    "/usr/local/lib/libopenblas.so.0", // built from source
  ];
}

/** Why a library could not be opened: no permission, or not there (or not a BLAS). */
export type OpenFailure = { kind: "permission" | "missing"; message: string };

/**
 * Opens a BLAS library with `cblas_sgemm`.
 *
 * @param path The library's file.
 * @returns The library, or why it could not be opened.
 */
export function openBlas(path: string): BlasLibrary | OpenFailure {
  let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    lib = Deno.dlopen(path, SYMBOLS);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const permission = (e as Error).name === "NotCapable" || e instanceof Deno.errors.NotCapable ||
      e instanceof Deno.errors.PermissionDenied && /ffi/i.test(message);
    return { kind: permission ? "permission" : "missing", message };
  }
  const s = lib.symbols;
  const f32 = (memory: ArrayBufferLike, offset: number, length: number) =>
    new Float32Array(memory, offset, length);
  return {
    path,
    config: s.openblas_get_config
      ? configString(s.openblas_get_config(), s.cblas_scopy)
      : undefined,
    setThreads: (n) => s.openblas_set_num_threads?.(n),
    threads: () => s.openblas_get_num_threads?.(),
    sgemm(memory, transposeA, transposeB, m, n, k, a, b, c) {
      s.cblas_sgemm(
        ROW_MAJOR,
        transposeA ? TRANS : NO_TRANS,
        transposeB ? TRANS : NO_TRANS,
        m,
        n,
        k,
        1,
        f32(memory, a, m * k),
        Math.max(1, transposeA ? m : k),
        f32(memory, b, k * n),
        Math.max(1, transposeB ? k : n),
        0,
        f32(memory, c, m * n),
        Math.max(1, n),
      );
    },
    close: () => lib.close(),
  };
}

/**
 * OpenBLAS's configuration string (a static buffer of 256 bytes), copied out
 * as 64 floats by `cblas_scopy` — ASCII bytes never form a NaN, so the copy
 * keeps every bit.
 */
function configString(
  p: Deno.PointerValue,
  scopy: (n: number, x: Deno.PointerValue, incx: number, y: BufferSource, incy: number) => void,
): string | undefined {
  if (p === null) return undefined;
  const out = new Float32Array(64);
  scopy(64, p, 1, out, 1);
  const bytes = new Uint8Array(out.buffer);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end)).trim();
}
