// Every public constructor and function of @elbo/elbo/models, fed hostile
// values one argument (or option) at a time, the others valid and tiny. Each
// call must return a well-formed result — no NaN out of finite input — or
// throw a TypeError or RangeError whose message names the argument (or a
// documented domain error: CheckpointError, NonFiniteError);
// never hang, never another error class, never leave a tensor behind.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as models from "../../models.ts";
import { Bernoulli, DiagNormal, Permute, useBackend } from "../../tensor.ts";
import { dsprites } from "../../disentanglement.ts";
import {
  type Case,
  errorCheck,
  FIELDS,
  finiteNumbers,
  hostile,
  hostileCount,
  hostileValues,
  optionsOf,
  type Slot,
  tensorResult,
  uncovered,
} from "./_hostile.ts";

const {
  Autoencoder,
  Batches,
  CheckpointError,
  FlowPosterior,
  NonFiniteError,
  VAE,
} = models;

await useBackend("cpu");

/** No strings: a string is a path, and a call would create a folder of that name. */
const notString = (v: unknown) => typeof v !== "string";
const hostilePath = hostile.filter(notString);

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
const factorData = dsprites({ imageSize: 16 });
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

/** A distribution result: of its class and event shape, one batch axis, its tensors live and, for finite input, not NaN. */
const distributionResult =
  (cls: typeof DiagNormal | typeof Bernoulli, event: number[]) => (r: unknown, finite: boolean) => {
    assert.ok(r instanceof cls, `a ${cls.name}`);
    assert.deepEqual([r.batchShape.length, r.eventShape], [1, event]);
    tensorResult()(r, finite);
  };
const modelCheck = (cls: typeof VAE | typeof Autoencoder) => (r: unknown) => {
  assert.ok(r instanceof cls);
  r.dispose();
};
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
        posterior: { flow: "iaf", layers: 1, hiddenSizes: [3], contextSize: 2 },
        klEstimator: "monteCarlo",
      },
      ["likelihood", "observationScale", "objective", "posterior", "klEstimator"],
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
  {
    covers: "FlowPosterior",
    label: "new FlowPosterior",
    slots: [
      { name: "base", valid: () => new DiagNormal([[0, 1], [1, 0]], [[1, 1], [0.5, 2]]) },
      { name: "bijector", valid: () => new Permute([1, 0]) },
      { name: "context", valid: () => tf.zeros([2, 3]) },
    ],
    call: (v) => {
      const q = new FlowPosterior(v.base as never, v.bijector as never, v.context as tf.Tensor2D);
      const r = q.sampleAndLogProb(2, 1);
      const center = q.center();
      q.dispose();
      return [r.sample, r.logProb, center];
    },
    check: tensorResult(),
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
  ...([["CheckpointError", CheckpointError], ["NonFiniteError", NonFiniteError]] as const)
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
    covers: "FactorBatches",
    label: "new FactorBatches",
    slots: [
      { name: "data", valid: () => factorData },
      {
        name: "options",
        valid: () => FIELDS,
        names: ["options", "imagesPerEpoch", "batchSize", "seed"],
      },
      { name: "imagesPerEpoch", valid: () => 4, hostile: hostileCount },
      { name: "batchSize", valid: () => 2, hostile: hostileCount },
      { name: "seed", valid: () => 3 },
    ],
    call: (v) => new models.FactorBatches(v.data as never, optionsOf(v) as never).batch(0, 0),
    // Images of 16 × 16 pixels, each 0 or 1.
    check: (r) =>
      assert.ok(
        r instanceof Float32Array && r.length > 0 && r.length % 256 === 0 &&
          r.every((x) => x === 0 || x === 1),
      ),
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

Deno.test("every export of models.ts is in the table", () => {
  assert.deepEqual(uncovered(models, CASES), [], "exports with no case: add them to CASES");
});

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
