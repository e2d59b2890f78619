// Every public constructor and function of @elbo/elbo/models, fed hostile
// values one argument (or option) at a time, the others valid and tiny. Each
// call must return a well-formed result — no NaN out of finite input — or
// throw a TypeError or RangeError whose message names the argument (or a
// documented domain error: BackendError, CheckpointError, NonFiniteError);
// never hang, never another error class, never leave a tensor behind.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as models from "../../models.ts";
import { fc } from "../_fc.ts";
import { Bernoulli, DiagNormal, TensorDistributionBase } from "../../tensor.ts";

const {
  Autoencoder,
  BackendError,
  Batches,
  CheckpointError,
  NonFiniteError,
  VAE,
  useBackend,
} = models;

await useBackend("cpu");

/** Marks an option slot as "not replaced": the call builds the options from the other slots. */
const FIELDS = Symbol("fields");

/** A tensor made at call time (tensors are disposed after every call). */
class MakeTensor {
  constructor(readonly label: string, readonly make: () => tf.Tensor) {}
}

const t2 = (rows: number, cols: number, v = 0.5) => () => tf.fill([rows, cols], v);
const TENSORS = [
  new MakeTensor("scalar", () => tf.scalar(1)),
  new MakeTensor("[0, 4]", () => tf.zeros([0, 4])),
  new MakeTensor("[2, 3]", t2(2, 3)),
  new MakeTensor("[2, 4, 1]", () => tf.zeros([2, 4, 1])),
  new MakeTensor("[1, 1]", t2(1, 1)),
  new MakeTensor("int32", () => tf.zeros([2, 4], "int32")),
  new MakeTensor("bool", () => tf.zeros([2, 4], "bool")),
  new MakeTensor("disposed", () => {
    const t = tf.zeros([2, 4]);
    t.dispose();
    return t;
  }),
  new MakeTensor("NaN", t2(2, 4, NaN)),
  new MakeTensor("∞", t2(2, 4, Infinity)),
  new MakeTensor("1e30", t2(2, 4, 1e30)),
  new MakeTensor("-1e4", t2(2, 4, -1e4)),
];

const NEAR_MISSES: unknown[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 53,
  -(2 ** 53),
  2 ** 31,
  5e-324,
  1e-45,
  NaN,
  Infinity,
  -Infinity,
  Number.MAX_VALUE,
  "",
  "1",
  "cpu ",
  "toString",
  "__proto__",
  null,
  undefined,
  true,
  [],
  [1],
  [[1]],
  [1, [2]],
  // deno-lint-ignore no-sparse-arrays
  [1, , 3],
  {},
  { length: 3 },
  new Float32Array(0),
  new Float32Array(3),
  new Float32Array([NaN, 1, 0, 1, 0, 1, 0, 1]),
  new Float32Array([1e30, 1, 0, 1, 0, 1, 0, 1]),
  new Float64Array(8),
  new Uint8Array(8),
  () => 1,
  new Date(0),
  Object.create(null),
  new URL("http://127.0.0.1:9/x"),
];

/** fc.anything, the near misses and the tensor makers. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constantFrom(...NEAR_MISSES),
  fc.constantFrom(...TENSORS),
);
/** Counts above 64 that are valid only cost time (they are tested elsewhere): left out. */
const hostileCount = hostile.filter((v) =>
  !(typeof v === "number" && Number.isInteger(v) && v > 64 && v < 2 ** 21)
);
/** No strings: a string is a path, and a call would create a folder of that name. */
const notString = (v: unknown) => typeof v !== "string";
const hostilePath = hostile.filter(notString);

interface Slot {
  /** The argument's name as messages give it. */
  name: string;
  /** A valid value. */
  valid: () => unknown;
  /** The values tried (default: {@linkcode hostile}). */
  hostile?: fc.Arbitrary<unknown>;
  /** Which near misses to try (default: all). */
  keep?: (v: unknown) => boolean;
  /** Fragments of which a message must hold one (default: the name). */
  names?: string[];
}

interface Case {
  /** The export it covers. */
  covers: string;
  /** What is called, for the report. */
  label: string;
  slots: Slot[];
  call: (v: Record<string, unknown>) => unknown;
  /** Checks a returned value (finite: every replaced input was finite). */
  check: (result: unknown, finite: boolean) => void;
  /** A documented domain error of this call (given the value tried). */
  domain?: (e: unknown, value: unknown) => boolean;
  /** The layer the call belongs to (the data layer is checked in a test of its own). */
  layer?: "data";
}

const D = 4, K = 2;
const rows = () => new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]);
const tensorRows = (c = D) => () => tf.tensor2d(rows().subarray(0, 2 * c), [2, c]);
const tiny = { inputSize: D, hiddenSizes: [3], latentSize: K, seed: 1 };
const dataset = () => ({
  name: "tiny",
  images: new Float32Array(6 * 4).map((_, i) => (i % 3) / 2),
  labels: new Uint8Array([0, 1, 2, 0, 1, 2]),
  count: 6,
  width: 2,
  height: 2,
});
const root = await Deno.makeTempDir({ prefix: "elbo reliability #" });
const start = tf.memory().numTensors;
const vae = new VAE(tiny);
const ae = new Autoencoder(tiny);
// A first step creates Adam's moments, which the models then keep: taken here,
// before the tensor counts start.
await vae.trainStep(rows());
await ae.trainStep(rows());
await vae.save(`${root}/vae`);
await ae.save(`${root}/ae`);
const idx = `${root}/idx`;
await Deno.mkdir(idx);

/** Every tensor in a result (arrays, plain objects and distributions searched). */
function tensorsIn(x: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (x instanceof tf.Tensor) out.push(x);
  else if (Array.isArray(x)) x.forEach((y) => tensorsIn(y, out));
  else if (
    x && typeof x === "object" &&
    (Object.getPrototypeOf(x) === Object.prototype || x instanceof TensorDistributionBase)
  ) {
    Object.values(x).forEach((y) => tensorsIn(y, out));
  }
  return out;
}

/** A tensor result: live, and without NaN when the inputs were finite. */
const tensorResult = (rank?: number) => (r: unknown, finite: boolean) => {
  const ts = tensorsIn(r);
  assert.ok(ts.length > 0, "returns a tensor");
  for (const t of ts) {
    assert.ok(!t.isDisposed, "the result is live");
    if (rank !== undefined) assert.equal(t.rank, rank, `rank of [${t.shape}]`);
    if (finite) assert.ok(!Array.from(t.dataSync()).some(Number.isNaN), "NaN out of finite input");
  }
};
/** A distribution result: of its class and event shape, one batch axis, its tensors live and, for finite input, not NaN. */
const distributionResult =
  (cls: typeof DiagNormal | typeof Bernoulli, event: number[]) => (r: unknown, finite: boolean) => {
    assert.ok(r instanceof cls, `a ${cls.name}`);
    assert.deepEqual([r.batchShape.length, r.eventShape], [1, event]);
    tensorResult()(r, finite);
  };
/** Numbers of a result: never NaN; ±∞ only where float32 overflowed on finite data. */
const finiteNumbers = (r: unknown) => {
  for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
    if (typeof v === "number") assert.ok(!Number.isNaN(v), `${k} = ${v}`);
  }
};
const modelCheck = (cls: typeof VAE | typeof Autoencoder) => (r: unknown) => {
  assert.ok(r instanceof cls);
  r.dispose();
};
const errorCheck = (r: unknown) => assert.ok(r instanceof Error && typeof r.message === "string");

/** The options of a model's constructor, each a slot, plus the whole object. */
function constructorSlots(valid: Record<string, unknown>, extra: string[]): Slot[] {
  const keys = [
    "inputSize",
    "hiddenSizes",
    "latentSize",
    "learningRate",
    "seed",
    "denseGradient",
    ...extra,
  ];
  return [
    // A whole options object may lack a required option: the message names that one.
    { name: "options", valid: () => FIELDS, names: ["options", ...keys] },
    ...keys
      .map((name): Slot => ({
        name,
        valid: () => valid[name],
        hostile: ["inputSize", "latentSize"].includes(name) ? hostileCount : hostile,
        names: name === "objective" ? ["objective", "objective.kind"] : [name],
      })),
  ];
}
const optionsOf = (v: Record<string, unknown>, prefix = "") => {
  if (v.options !== FIELDS) return v.options;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k !== "options" && (prefix === "" || k.startsWith(prefix))) o[k.slice(prefix.length)] = x;
  }
  return o;
};

const modelMethods = (
  name: string,
  model: InstanceType<typeof VAE> | InstanceType<typeof Autoencoder>,
) => {
  const code = name === "VAE" ? "z" : "code";
  const cases: Case[] = [
    {
      covers: name,
      label: `${name}#trainStep`,
      slots: [{ name: "batch", valid: rows }],
      call: (v) => model.trainStep(v.batch as Float32Array),
      check: (r) => {
        finiteNumbers(r);
        finiteNumbers((r as models.StepResult).terms);
        assert.deepEqual(
          Object.keys((r as models.StepResult).terms),
          model.report.terms.map((t) => t.key),
        );
      },
      domain: (e) => e instanceof NonFiniteError,
    },
    {
      covers: name,
      label: `${name}#encode`,
      slots: [{ name: "x", valid: tensorRows() }],
      call: (v) => model.encode(v.x as tf.Tensor2D),
      // The VAE's q(z|x), the autoencoder's code.
      check: name === "VAE" ? distributionResult(DiagNormal, [K]) : tensorResult(2),
    },
    {
      covers: name,
      label: `${name}#decode`,
      slots: [{ name: code, valid: tensorRows(K) }],
      call: (v) => model.decode(v[code] as tf.Tensor2D),
      // The VAE's p(x|z), the autoencoder's d(code).
      check: name === "VAE" ? distributionResult(Bernoulli, [D]) : tensorResult(2),
    },
    {
      covers: name,
      label: `${name}#embed`,
      slots: [{ name: "x", valid: tensorRows() }],
      call: (v) => model.embed(v.x as tf.Tensor2D),
      check: tensorResult(2),
    },
    {
      covers: name,
      label: `${name}#decodeMean`,
      slots: [{ name: code, valid: tensorRows(K), names: [code, "z", "code"] }],
      call: (v) => model.decodeMean(v[code] as tf.Tensor2D),
      check: tensorResult(2),
    },
    {
      covers: name,
      label: `${name}#reconstruct`,
      slots: [{ name: "x", valid: tensorRows() }],
      call: (v) => model.reconstruct(v.x as tf.Tensor2D),
      check: tensorResult(2),
    },
    {
      covers: name,
      label: `${name}#assertStepFits`,
      slots: [{ name: "rows", valid: () => 10, names: ["rows", "batch"] }],
      call: (v) => model.assertStepFits(v.rows as number),
      check: (r) => assert.equal(r, undefined),
    },
    {
      covers: name,
      label: `${name}#save`,
      slots: [{ name: "dir", valid: () => `${root}/saved`, hostile: hostilePath, keep: notString }],
      call: (v) => model.save(v.dir as string),
      check: (r) => assert.equal(r, undefined),
    },
    {
      covers: name,
      label: `${name}.load`,
      slots: [{
        name: "dirOrUrl",
        valid: () => `${root}/${name === "VAE" ? "vae" : "ae"}`,
        names: ["dir"],
      }],
      call: (v) => (name === "VAE" ? VAE : Autoencoder).load(v.dirOrUrl as string),
      check: modelCheck(name === "VAE" ? VAE : Autoencoder),
      domain: (e) => e instanceof CheckpointError,
    },
  ];
  if (model instanceof VAE) {
    cases.push(
      {
        covers: name,
        label: "VAE#evaluate",
        slots: [
          { name: "data", valid: rows },
          { name: "options", valid: () => FIELDS },
          { name: "options.importanceSamples", valid: () => 3, hostile: hostileCount },
          { name: "options.batchSize", valid: () => 1, hostile: hostileCount },
          { name: "options.seed", valid: () => 2 },
          { name: "options.chunkSize", valid: () => 2, hostile: hostileCount },
        ],
        call: (v) => model.evaluate(v.data as Float32Array, optionsOf(v, "options.") as never),
        check: (r) => {
          finiteNumbers(r);
          assert.equal((r as models.Evaluation).klPerDimension.length, K);
        },
      },
      {
        covers: name,
        label: "VAE#sample",
        slots: [
          { name: "n", valid: () => 3, hostile: hostileCount },
          { name: "seed", valid: () => 4 },
        ],
        call: (v) => model.sample(v.n as number, v.seed as number),
        check: (r, finite) => {
          tensorResult(2)(r, finite);
          assert.equal((r as tf.Tensor).shape[1], D);
        },
      },
    );
  } else {
    cases.push({
      covers: name,
      label: "Autoencoder#evaluate",
      slots: [{ name: "data", valid: rows }],
      call: (v) => model.evaluate(v.data as Float32Array),
      check: (r) => finiteNumbers(r),
    });
  }
  return cases;
};

/** A tensor function with its argument names and valid shapes. */
const tensorFn = (covers: string, f: (...a: never[]) => unknown, slots: Slot[]): Case => ({
  covers,
  label: covers,
  slots,
  call: (v) => f(...(slots.map((s) => v[s.name]) as never[])),
  check: tensorResult(),
});
const T = (name: string, shape: number[], v = 0.3): Slot => ({
  name,
  valid: () => tf.fill(shape, v),
});

const CASES: Case[] = [
  {
    covers: "VAE",
    label: "new VAE",
    slots: constructorSlots(
      {
        ...tiny,
        learningRate: 0.01,
        denseGradient: "custom",
        likelihood: "gaussian",
        observationScale: 0.5,
        objective: { kind: "iwae", k: 2 },
        klEstimator: "monteCarlo",
      },
      ["likelihood", "observationScale", "objective", "klEstimator"],
    ),
    call: (v) => new VAE(optionsOf(v) as never),
    check: modelCheck(VAE),
  },
  {
    covers: "Autoencoder",
    label: "new Autoencoder",
    slots: constructorSlots({ ...tiny, learningRate: 0.01, denseGradient: "autodiff" }, []),
    call: (v) => new Autoencoder(optionsOf(v) as never),
    check: modelCheck(Autoencoder),
  },
  ...modelMethods("VAE", vae),
  ...modelMethods("Autoencoder", ae),
  {
    covers: "TrainableModel",
    label: "new TrainableModel (abstract)",
    slots: [{ name: "learningRate", valid: () => 0.01, names: ["TrainableModel", "learningRate"] }],
    call: (v) =>
      new (models.TrainableModel as unknown as new (lr: unknown) => unknown)(v.learningRate),
    check: () => assert.fail("an abstract class was constructed"),
  },
  {
    covers: "useBackend",
    label: "useBackend",
    slots: [{ name: "name", valid: () => "cpu" }],
    call: (v) => useBackend(v.name as "cpu"),
    check: (r) => assert.equal(r, "cpu"),
    domain: (e) => e instanceof BackendError,
  },
  {
    covers: "useBackend",
    label: "useBackend with options",
    slots: [{ name: "options", valid: () => ({}), names: ["useBackend", "options"] }],
    call: (v) => useBackend("cpu", v.options as never),
    check: (r) => assert.equal(r, "cpu"),
  },
  {
    covers: "wasmThreads",
    label: "wasmThreads (the cpu backend runs here: nothing to report)",
    slots: [{ name: "unused", valid: () => undefined }],
    call: () => models.wasmThreads(),
    check: (r) => assert.equal(r, undefined),
  },
  {
    covers: "MAX_WASM_THREADS",
    label: "MAX_WASM_THREADS",
    slots: [{ name: "unused", valid: () => undefined }],
    call: () => models.MAX_WASM_THREADS,
    check: (r) => assert.equal(r, 8),
  },
  {
    covers: "BACKENDS",
    label: "BACKENDS is frozen",
    slots: [{ name: "value", valid: () => "x" }],
    call: (v) => {
      try {
        (models.BACKENDS as Record<string, unknown>).tpu = v.value;
      } catch { /* strict mode: assigning to a frozen object throws */ }
      return Object.keys(models.BACKENDS).join();
    },
    check: (r) => assert.equal(r, "cpu,wasm,webgpu,webgl"),
  },
  ...([["BackendError", BackendError], ["CheckpointError", CheckpointError], [
    "NonFiniteError",
    NonFiniteError,
  ]] as const)
    .map(([covers, E]): Case => ({
      covers,
      label: `new ${covers}`,
      slots: [
        { name: "first", valid: () => "batch" },
        { name: "second", valid: () => "a message" },
      ],
      call: (v) => new (E as unknown as new (a: unknown, b: unknown) => Error)(v.first, v.second),
      check: errorCheck,
    })),
  tensorFn("dense", models.dense, [T("x", [2, 3]), T("weight", [3, 4]), T("bias", [4])]),
  tensorFn("conv2d", models.conv2d, [
    T("x", [2, 8, 8, 3]),
    T("filter", [4, 4, 3, 5]),
    T("bias", [5]),
    { name: "options", valid: () => ({ stride: 2, pad: 1 }) },
  ]),
  tensorFn("conv2dTranspose", models.conv2dTranspose, [
    T("x", [2, 4, 4, 3]),
    T("filter", [4, 4, 5, 3]),
    T("bias", [5]),
    { name: "options", valid: () => ({ stride: 2, pad: 1 }) },
  ]),
  tensorFn("denseAutodiff", models.denseAutodiff, [
    T("x", [2, 3]),
    T("weight", [3, 4]),
    T("bias", [4]),
  ]),
  // The data layer.
  {
    layer: "data",
    covers: "Batches",
    label: "new Batches",
    slots: [
      { name: "data", valid: dataset },
      { name: "options", valid: () => FIELDS, names: ["options", "batchSize", "seed", "binarize"] },
      { name: "batchSize", valid: () => 2, hostile: hostileCount },
      { name: "seed", valid: () => 3 },
      { name: "binarize", valid: () => true },
    ],
    call: (v) => {
      const b = new Batches(v.data as never, optionsOf(v) as never);
      return b.batch(1, 0);
    },
    // Rows of 4 pixels: batchSize × 4 values (a replaced batchSize may be any valid count).
    check: (r) =>
      assert.ok(
        r instanceof Float32Array && r.length > 0 && r.length % 4 === 0 && r.every(Number.isFinite),
      ),
  },
  {
    layer: "data",
    covers: "Batches",
    label: "Batches#batch",
    slots: [{ name: "epoch", valid: () => 0 }, { name: "index", valid: () => 1 }],
    call: (v) =>
      new Batches(dataset(), { batchSize: 2, seed: 1 }).batch(v.epoch as number, v.index as number),
    check: (r) => assert.ok(r instanceof Float32Array && r.length === 8),
  },
  {
    layer: "data",
    covers: "binarizeOnce",
    label: "binarizeOnce",
    slots: [{ name: "data", valid: dataset }, { name: "seed", valid: () => 5 }],
    call: (v) => models.binarizeOnce(v.data as never, v.seed as number),
    check: (r) => assert.ok(r instanceof Float32Array && r.every((x) => x === 0 || x === 1)),
  },
  {
    layer: "data",
    covers: "subset",
    label: "subset",
    slots: [
      { name: "d", valid: dataset, names: ["d", "data"] },
      { name: "indices", valid: () => [0, 2] },
      { name: "name", valid: () => "part" },
    ],
    call: (v) => models.subset(v.d as never, v.indices as never, v.name as string),
    check: (r) =>
      assert.equal((r as models.Dataset).images.length, (r as models.Dataset).count * 4),
  },
  {
    layer: "data",
    covers: "parseIdx",
    label: "parseIdx",
    slots: [
      { name: "bytes", valid: () => new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]) },
      { name: "source", valid: () => "labels" },
    ],
    call: (v) => models.parseIdx(v.bytes as Uint8Array, v.source as string),
    check: (r) => assert.deepEqual((r as models.IdxFile).dims, [2]),
  },
  {
    layer: "data",
    covers: "loadIdxDataset",
    label: "loadIdxDataset",
    slots: [
      {
        name: "imagesPath",
        valid: () => `${idx}/none-images`,
        names: ["imagesPath", "images", "none"],
      },
      {
        name: "labelsPath",
        valid: () => `${idx}/none-labels`,
        names: ["labelsPath", "labels", "none"],
      },
      { name: "name", valid: () => "x" },
    ],
    call: (v) =>
      models.loadIdxDataset(v.imagesPath as string, v.labelsPath as string, v.name as string),
    check: () => assert.fail("there is no such file"),
    // A path that does not exist is an I/O error naming it (and an omitted
    // name falls back to its default, so the error names the valid paths).
    domain: (e, v) =>
      e instanceof Error &&
      e.message.includes(typeof v === "string" ? v : v === undefined ? `${idx}/none-images` : "\0"),
  },
  {
    layer: "data",
    covers: "loadIdxDirectory",
    label: "loadIdxDirectory",
    slots: [{ name: "dir", valid: () => idx }, { name: "name", valid: () => "x" }],
    call: (v) => models.loadIdxDirectory(v.dir as string, v.name as string),
    check: () => assert.fail("the folder holds no IDX file"),
    domain: (e, v) =>
      e instanceof Error && e.message.includes(typeof v === "string" && v !== "" ? v : idx),
  },
  {
    layer: "data",
    covers: "loadEmbeddedMnist",
    label: "loadEmbeddedMnist",
    slots: [
      { name: "options", valid: () => FIELDS },
      { name: "testCount", valid: () => 9990, hostile: hostileCount },
    ],
    call: (v) => models.loadEmbeddedMnist(optionsOf(v) as never),
    check: (r) => {
      const { train, test } = r as models.Split;
      assert.ok(
        Number.isInteger(test.count) && test.count >= 1 && train.count + test.count === 10000,
      );
    },
  },
];

/** Does the message name the argument (as a word, not inside another)? */
function names(message: string, fragment: string): boolean {
  const esc = fragment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_])${esc}([^A-Za-z0-9_]|$)`).test(message);
}

/** Runs one call with one slot replaced; returns what went wrong, if anything. */
async function tryOne(c: Case, slot: number, value: unknown): Promise<void> {
  const made: tf.Tensor[] = [];
  const real = (x: unknown) => {
    if (!(x instanceof MakeTensor)) return x;
    const t = x.make();
    made.push(t);
    return t;
  };
  const v: Record<string, unknown> = {};
  c.slots.forEach((s, i) => (v[s.name] = real(i === slot ? value : s.valid())));
  for (const x of Object.values(v)) if (x instanceof tf.Tensor && !made.includes(x)) made.push(x);
  const replaced = v[c.slots[slot]!.name];
  const finite = replaced instanceof tf.Tensor
    ? replaced.isDisposed || replaced.dtype !== "float32" ||
      replaced.dataSync().every(Number.isFinite)
    : typeof replaced === "number"
    ? Number.isFinite(replaced)
    : ArrayBuffer.isView(replaced)
    ? Array.from(replaced as Float32Array).every(Number.isFinite)
    : true;
  const expected = c.slots[slot]!.names ?? [c.slots[slot]!.name];
  let result: unknown;
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("TIMEOUT: the call did not return in 10 s")),
        10_000,
      );
    });
    try {
      result = await Promise.race([Promise.resolve().then(() => c.call(v)), timeout]);
    } finally {
      clearTimeout(timer);
    }
    c.check(result, finite);
  } catch (e) {
    if (e instanceof assert.AssertionError || (e as Error)?.message?.startsWith("TIMEOUT")) {
      throw new assert.AssertionError({
        message: `${c.label}(${c.slots[slot]!.name} = ${describe(value)}): ${(e as Error).message}`,
      });
    }
    const ok = c.domain?.(e, value) ||
      ((e instanceof TypeError || e instanceof RangeError) &&
        expected.some((f) => names(e.message, f)));
    if (!ok) {
      throw new assert.AssertionError({
        message: `${c.label}(${c.slots[slot]!.name} = ${describe(value)}) threw ${
          (e as Error)?.name
        }: ${(e as Error)?.message} — expected a TypeError or RangeError naming ${
          expected.join(" or ")
        }`,
      });
    }
  } finally {
    tf.dispose([...made, ...tensorsIn(result)]);
    if (tf.getBackend() !== "cpu") await useBackend("cpu");
  }
}

function describe(v: unknown): string {
  if (v instanceof MakeTensor) return `tensor ${v.label}`;
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

Deno.test("every export of models.ts is in the table", () => {
  const covered = new Set(CASES.map((c) => c.covers));
  const missing = Object.keys(models).filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], "exports with no case: add them to CASES");
});

/** Tries every case of the given layer, one step per export. */
async function hostileValues(t: Deno.TestContext, cases: Case[]): Promise<void> {
  const byExport = new Map<string, Case[]>();
  for (const c of cases) byExport.set(c.covers, [...(byExport.get(c.covers) ?? []), c]);
  for (const [covers, list] of byExport) {
    await t.step(covers, async () => {
      const baseline = tf.memory().numTensors;
      for (const c of list) {
        // Every slot once with every near miss, then fast-check's hostile values.
        for (let s = 0; s < c.slots.length; s++) {
          const keep = c.slots[s]!.keep ?? (() => true);
          for (const v of [...NEAR_MISSES, ...TENSORS].filter(keep)) await tryOne(c, s, v);
        }
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: c.slots.length - 1 }).chain((s) =>
              fc.tuple(fc.constant(s), c.slots[s]!.hostile ?? hostile)
            ),
            async ([s, v]) => await tryOne(c, s, v),
          ),
          { numRuns: 40 },
        );
      }
      assert.equal(tf.memory().numTensors, baseline, `${covers} left tensors behind`);
    });
  }
}

Deno.test("hostile values: a result or a TypeError/RangeError naming the argument", async (t) => {
  await hostileValues(t, CASES.filter((c) => c.layer !== "data"));
});

Deno.test("hostile values: the data layer", async (t) => {
  await hostileValues(t, CASES.filter((c) => c.layer === "data"));
});

Deno.test("the models free everything they held", async () => {
  vae.dispose();
  ae.dispose();
  assert.equal(tf.memory().numTensors, start);
  await Deno.remove(root, { recursive: true });
});
