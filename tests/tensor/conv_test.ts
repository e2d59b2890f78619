import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { useBackend } from "../../lib/tensor/backend.ts";
import { HAS_BLAS } from "./_backends.ts";
import { conv2d, conv2dTranspose, type ConvOptions } from "../../lib/tensor/conv.ts";
import { createRng } from "../../lib/math/rng.ts";
import { assertAllClose, assertClose, assertThrowsNaming } from "../_tolerance.ts";

type Op = typeof conv2d;
type Shape4 = [number, number, number, number];

/** A convolution problem: shapes, geometry, and its operands as plain arrays. */
interface Case {
  name: string;
  transposed: boolean;
  x: Shape4;
  filter: Shape4;
  options: ConvOptions;
  data: { x: Float32Array; filter: Float32Array; bias: Float32Array; up: Float32Array };
}

function normals(n: number, rng: ReturnType<typeof createRng>): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Builds a case with seeded standard-normal operands; `up` weighs the output. */
function makeCase(
  name: string,
  transposed: boolean,
  x: Shape4,
  filter: Shape4,
  options: ConvOptions,
  seed: number,
): Case {
  const rng = createRng(seed);
  const { stride: s, pad: p } = options;
  const [b, h, w] = x, [kh, kw] = filter;
  const out = transposed
    ? [b, (h - 1) * s - 2 * p + kh, (w - 1) * s - 2 * p + kw, filter[2]]
    : [b, Math.floor((h + 2 * p - kh) / s) + 1, Math.floor((w + 2 * p - kw) / s) + 1, filter[3]];
  const outC = transposed ? filter[2] : filter[3];
  return {
    name,
    transposed,
    x,
    filter,
    options,
    data: {
      x: normals(size(x), rng),
      filter: normals(size(filter), rng),
      bias: normals(outC, rng),
      up: normals(size(out), rng),
    },
  };
}

const CASES: Case[] = [
  // B=3, 8×8, k=4, stride 2, pad 1, Cin=2, Cout=5: an encoder layer, 8×8 → 4×4.
  makeCase("conv2d k4 s2 p1", false, [3, 8, 8, 2], [4, 4, 2, 5], { stride: 2, pad: 1 }, 1),
  makeCase("conv2d k3 s1 p1", false, [2, 6, 5, 3], [3, 3, 3, 4], { stride: 1, pad: 1 }, 2),
  // 9×7 with k4 s2 p0: the last row/column of x is in no window.
  makeCase("conv2d k4 s2 p0 uneven", false, [2, 9, 7, 2], [4, 4, 2, 3], { stride: 2, pad: 0 }, 3),
  // The decoder's twin: 4×4 → 8×8, filter [k, k, Cout, Cin].
  makeCase("conv2dTranspose k4 s2 p1", true, [3, 4, 4, 5], [4, 4, 2, 5], { stride: 2, pad: 1 }, 4),
  makeCase("conv2dTranspose k3 s1 p1", true, [2, 5, 6, 4], [3, 3, 3, 4], { stride: 1, pad: 1 }, 5),
  makeCase("conv2dTranspose k3 s2 p0", true, [2, 3, 4, 2], [3, 3, 3, 2], { stride: 2, pad: 0 }, 6),
  // ≥ 8 output channels of the transposed convolution: on wasm it runs as a
  // conv2d of the zero-spaced input (∂x of conv2d, the value of the transpose).
  makeCase(
    "conv2d k4 s2 p1 8 channels",
    false,
    [2, 8, 6, 8],
    [4, 4, 8, 3],
    { stride: 2, pad: 1 },
    7,
  ),
  makeCase("conv2dTranspose k4 s2 p1 8 channels", true, [2, 4, 3, 3], [4, 4, 8, 3], {
    stride: 2,
    pad: 1,
  }, 8),
  makeCase("conv2dTranspose k3 s2 p1 8 channels", true, [2, 4, 3, 2], [3, 3, 9, 2], {
    stride: 2,
    pad: 1,
  }, 9),
  // k2 s3: the zeros after the last pixel exceed the padding and are cut.
  makeCase("conv2dTranspose k2 s3 p0 8 channels", true, [2, 3, 2, 4], [2, 3, 8, 4], {
    stride: 3,
    pad: 0,
  }, 10),
  makeCase("conv2d k1 s1 p0", false, [2, 3, 3, 2], [1, 1, 2, 8], { stride: 1, pad: 0 }, 13),
  // ∂x of 8 channels on wasm, where the windows miss x's last rows and
  // columns ((H + 2p − k) not a multiple of s): the gradient keeps x's shape.
  makeCase("conv2d k4 s2 p1 uneven 8 channels", false, [1, 5, 5, 8], [4, 4, 8, 4], {
    stride: 2,
    pad: 1,
  }, 14),
  makeCase("conv2d k4x3 s3 p1 uneven 8 channels", false, [2, 7, 6, 8], [4, 3, 8, 4], {
    stride: 3,
    pad: 1,
  }, 15),
];

/** tfjs's own op (its autodiff gradient), the reference. */
function reference(c: Case): Op {
  return (x, filter, bias, { stride, pad }) => {
    if (!c.transposed) return tf.add(tf.conv2d(x, filter, stride, pad), bias);
    const [b, h, w] = x.shape, [kh, kw, cout] = filter.shape;
    const out: Shape4 = [b, (h - 1) * stride - 2 * pad + kh, (w - 1) * stride - 2 * pad + kw, cout];
    return tf.add(tf.conv2dTranspose(x, filter, out, stride, pad), bias);
  };
}

/**
 * The value y and the gradients of L = Σ up ⊙ y + ½ Σ y² (non-linear, so
 * that ∂L/∂y depends on y) in x, filter and bias, on the current backend.
 */
function valueAndGrads(c: Case, op: Op): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(c.data.x, c.x), filter = tf.tensor4d(c.data.filter, c.filter);
    const bias = tf.tensor1d(c.data.bias);
    const up = tf.tensor(c.data.up);
    const loss = (a: tf.Tensor, f: tf.Tensor, b: tf.Tensor) => {
      const y = op(a as tf.Tensor4D, f as tf.Tensor4D, b as tf.Tensor1D, c.options);
      return tf.add(tf.sum(tf.mul(tf.reshape(up, y.shape), y)), tf.mul(0.5, tf.sum(tf.square(y))));
    };
    const grads = tf.grads(loss)([x, filter, bias]);
    const y = op(x, filter, bias, c.options);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

const mine = (c: Case): Op => c.transposed ? conv2dTranspose : conv2d;
const TOL = { abs: 1e-4, rel: 1e-4 };
const PARTS = ["value", "∂x", "∂filter", "∂bias"];

// Computed on cpu once, compared with wasm below.
const cpuResults = new Map<string, Float32Array[]>();

Deno.test("conv2d() and conv2dTranspose() match tfjs's autodiff on cpu", async (t) => {
  await useBackend("cpu");
  for (const c of CASES) {
    await t.step(c.name, () => {
      const got = valueAndGrads(c, mine(c)), want = valueAndGrads(c, reference(c));
      got.forEach((g, k) => assertAllClose(g, want[k]!, TOL, `${c.name} ${PARTS[k]}`));
      // Not vacuous: every gradient has non-zero entries.
      got.forEach((g, k) => assert.ok(g.some((v) => v !== 0), `${c.name} ${PARTS[k]} is zero`));
      cpuResults.set(c.name, got);
    });
  }
});

Deno.test("conv2d() and conv2dTranspose() train on wasm, where tfjs's autodiff throws", async (t) => {
  await useBackend("wasm", { threads: 1 });
  try {
    for (const c of CASES) {
      await t.step(c.name, () => {
        // tfjs's own gradient needs the kernel Conv2DBackpropFilter, which
        // tfjs-backend-wasm 4.22 lacks: this is why these ops exist. (The
        // failed tf.grads leaves a few tensors of its tape behind, tfjs's own.)
        assert.throws(() => valueAndGrads(c, reference(c)), /Conv2DBackpropFilter/);
        const start = tf.memory().numTensors;
        const got = valueAndGrads(c, mine(c));
        const cpu = cpuResults.get(c.name);
        assert.ok(cpu, "the cpu test ran first");
        got.forEach((g, k) => assertAllClose(g, cpu[k]!, TOL, `${c.name} ${PARTS[k]} wasm vs cpu`));
        assert.equal(tf.memory().numTensors, start);
      });
    }
  } finally {
    await useBackend("cpu");
  }
});

Deno.test({
  name: "conv2d() and conv2dTranspose() as BLAS products (im2col) equal cpu's, leaking nothing",
  ignore: !HAS_BLAS,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    await useBackend("wasm", { threads: 1, blas: true });
    try {
      for (const c of CASES) {
        await t.step(c.name, () => {
          const start = tf.memory().numTensors;
          const got = valueAndGrads(c, mine(c));
          const cpu = cpuResults.get(c.name);
          assert.ok(cpu, "the cpu test ran first");
          got.forEach((g, k) =>
            assertAllClose(g, cpu[k]!, TOL, `${c.name} ${PARTS[k]} BLAS vs cpu`)
          );
          assert.equal(tf.memory().numTensors, start);
        });
      }
    } finally {
      await useBackend("wasm", { blas: false });
      await useBackend("cpu");
    }
  },
});

Deno.test("conv2d() and conv2dTranspose() filter gradients match central differences", async () => {
  await useBackend("cpu");
  const cases = [
    makeCase("fd conv2d", false, [2, 5, 5, 2], [3, 3, 2, 3], { stride: 2, pad: 1 }, 11),
    makeCase("fd conv2dTranspose", true, [2, 3, 3, 3], [3, 3, 2, 3], { stride: 2, pad: 1 }, 12),
  ];
  for (const c of cases) {
    const op = mine(c);
    // L(filter) = Σ up ⊙ y + ½ Σ y² is quadratic in the filter: the central
    // difference is exact up to float32 rounding, whatever h.
    const lossAt = (f: Float32Array) =>
      tf.tidy(() => {
        const y = op(
          tf.tensor4d(c.data.x, c.x),
          tf.tensor4d(f, c.filter),
          tf.tensor1d(c.data.bias),
          c.options,
        );
        const up = tf.tensor(c.data.up, y.shape);
        return tf.add(tf.sum(tf.mul(up, y)), tf.mul(0.5, tf.sum(tf.square(y)))).dataSync()[0]!;
      });
    const grad = valueAndGrads(c, op)[2]!;
    const h = 0.05;
    for (const idx of [0, 7, 17, grad.length - 1]) {
      const plus = c.data.filter.slice(), minus = c.data.filter.slice();
      plus[idx]! += h;
      minus[idx]! -= h;
      const fd = (lossAt(plus) - lossAt(minus)) / (2 * h);
      assertClose(grad[idx]!, fd, { abs: 2e-3, rel: 2e-3 }, `${c.name} ∂filter[${idx}]`);
    }
  }
});

Deno.test("conv2d() and conv2dTranspose() leak no tensors", async () => {
  await useBackend("cpu");
  for (const c of CASES.slice(0, 1).concat(CASES.slice(3, 4))) {
    const x = tf.tensor4d(c.data.x, c.x), filter = tf.tensor4d(c.data.filter, c.filter);
    const bias = tf.tensor1d(c.data.bias);
    const start = tf.memory().numTensors;
    const y = mine(c)(x, filter, bias, c.options);
    assert.equal(tf.memory().numTensors, start + 1, `${c.name}: the forward pass keeps only y`);
    y.dispose();
    const grads = tf.tidy(() =>
      tf.grads((a, f, b) =>
        tf.sum(tf.square(mine(c)(a as tf.Tensor4D, f as tf.Tensor4D, b as tf.Tensor1D, c.options)))
      )([x, filter, bias])
    );
    assert.equal(tf.memory().numTensors, start + 3, `${c.name}: the gradient keeps only its 3`);
    tf.dispose(grads);
    assert.equal(tf.memory().numTensors, start);
    tf.dispose([x, filter, bias]);
  }
});

Deno.test("conv2d() and conv2dTranspose() skip the input gradient when asked", async () => {
  await useBackend("cpu");
  for (const c of [CASES[0]!, CASES[3]!]) {
    const full = valueAndGrads(c, mine(c));
    const noInput = valueAndGrads(
      { ...c, options: { ...c.options, inputGradient: false } },
      mine(c),
    );
    assert.ok(noInput[1]!.every((v) => v === 0), `${c.name}: ∂x is not computed`);
    for (const k of [0, 2, 3]) assert.deepEqual(noInput[k], full[k], `${c.name} ${PARTS[k]}`);
  }
});

Deno.test("conv2d() and conv2dTranspose() check their arguments", async () => {
  await useBackend("cpu");
  const start = tf.memory().numTensors;
  // Every tensor made here (and by the failing calls) is freed by the tidy.
  tf.tidy(() => {
    const x = tf.zeros([2, 8, 8, 3]) as tf.Tensor4D;
    const f = tf.zeros([4, 4, 3, 5]) as tf.Tensor4D, b = tf.zeros([5]) as tf.Tensor1D;
    const o = { stride: 2, pad: 1 };
    const z = (s: number[]) => tf.zeros(s) as never;
    // conv2d: filter [k, k, Cin, Cout].
    assertThrowsNaming(
      () => conv2d(z([2, 8, 8, 4]), f, b, o),
      TypeError,
      "conv2d",
      "x",
      "3 channels",
    );
    assertThrowsNaming(() => conv2d(x, f, z([4]), o), TypeError, "bias", "5 values");
    assertThrowsNaming(() => conv2d(z([8, 8, 3]), f, b, o), TypeError, "x", "rank 4");
    assertThrowsNaming(() => conv2d(x, z([4, 3, 5]), b, o), TypeError, "filter", "rank 4");
    assertThrowsNaming(() => conv2d(x, f, z([1, 5]), o), TypeError, "bias", "rank 1");
    assertThrowsNaming(() => conv2d([[1]] as never, f, b, o), TypeError, "x", "tf.Tensor");
    assertThrowsNaming(
      () => conv2d(tf.zeros([2, 8, 8, 3], "int32") as never, f, b, o),
      TypeError,
      "x",
      "int32",
    );
    // conv2dTranspose: filter [k, k, Cout, Cin], so x needs 5 channels, bias 3.
    assertThrowsNaming(() => conv2dTranspose(x, f, b, o), TypeError, "conv2dTranspose", "x", "5");
    assertThrowsNaming(
      () => conv2dTranspose(z([2, 4, 4, 5]), f, b, o),
      TypeError,
      "bias",
      "3 values",
    );
    for (const op of [conv2d, conv2dTranspose]) {
      const xx = op === conv2d ? x : z([2, 4, 4, 5]), bb = op === conv2d ? b : z([3]);
      const call = (opts: unknown) => op(xx, f, bb, opts as ConvOptions);
      assertThrowsNaming(() => call(undefined), TypeError, "options");
      assertThrowsNaming(() => call(3), TypeError, "options", "3");
      assertThrowsNaming(() => call({ stride: 0, pad: 1 }), RangeError, "options.stride", "0");
      assertThrowsNaming(() => call({ stride: 1.5, pad: 1 }), RangeError, "options.stride", "1.5");
      assertThrowsNaming(() => call({ stride: "2", pad: 1 }), TypeError, "options.stride", '"2"');
      assertThrowsNaming(() => call({ stride: 2 }), TypeError, "options.pad", "undefined");
      assertThrowsNaming(() => call({ stride: 2, pad: -1 }), RangeError, "options.pad", "-1");
      assertThrowsNaming(() => call({ stride: 2, pad: 4 }), RangeError, "options.pad", "in [0, 3]");
      assertThrowsNaming(
        () => call({ ...o, inputGradient: 1 }),
        TypeError,
        "options.inputGradient",
        "1",
      );
    }
    // Outputs that would be empty.
    assertThrowsNaming(
      () => conv2d(z([1, 2, 2, 3]), f, b, { stride: 1, pad: 0 }),
      RangeError,
      "x",
      "output -1×-1",
    );
    assertThrowsNaming(
      () => conv2dTranspose(z([1, 1, 1, 5]), f, z([3]), { stride: 1, pad: 3 }),
      RangeError,
      "x",
      "output -2×-2",
    );
  });
  assert.equal(tf.memory().numTensors, start);
});
