// The tensor layer's stable math (lib/tensor/_stable.ts and the special
// functions of lib/tensor/_special.ts) against float64 on every backend,
// over adversarial ranges: each value within a few float32 roundings of the
// exact answer's sensitivity to one rounding of its input; gradients; and
// a scan of lib/tensor's sources for the tfjs kernels it replaces.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  digamma as digamma64,
  log1mexp as log1mexp64,
  logGamma as logGamma64,
  logSigmoid as logSigmoid64,
  logSumExp as logSumExp64,
  softplus as softplus64,
} from "../../mod.ts";
import { expm1mx, log1pmx as log1pmx64 } from "../../lib/math/_stable.ts";
import {
  expm1,
  expm1MinusX,
  log,
  log1mexp,
  log1p,
  logMeanExp,
  logSigmoid,
  logSumExp,
  softplus,
  softplusInverse,
  xlogy,
} from "../../lib/tensor/_stable.ts";
import { digamma, logGamma } from "../../lib/tensor/_special.ts";
import { log1pmx } from "../../lib/tensor/_stable.ts";
import { fc } from "../_fc.ts";
import {
  assertClose,
  FLOAT32_TINY,
  float32Sensitivity,
  float32Tolerance,
} from "../../lib/testing/tolerance.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

/** f at the given values, read back; the input and output are freed. */
function on(f: (x: tf.Tensor) => tf.Tensor, xs: number[]): number[] {
  const x = tf.tensor1d(xs);
  try {
    return read(f(x)).map((v) => v + 0); // −0 as 0
  } finally {
    x.dispose();
  }
}

/** ±10ᵉ for e from −30 to `top` by quarters, and a grid over [−lim, lim]: float32 values. */
function grid(top: number, lim: number): number[] {
  const xs = [0, 2 ** -126, -(2 ** -126)];
  for (let e = -30; e <= top; e += 0.25) xs.push(10 ** e, -(10 ** e));
  for (let v = -lim; v <= lim; v += lim / 271) xs.push(v);
  return [...new Set(xs.map(Math.fround))];
}

interface Case {
  /** The tensor function. */
  f: (x: tf.Tensor) => tf.Tensor;
  /** Its float64 twin. */
  exact: (x: number) => number;
  /** Its domain. */
  domain: (x: number) => boolean;
  /** The float32 inputs, in its domain. */
  xs: number[];
}

const spInverse64 = (y: number) => y + log1mexp64(-y);
const all = () => true, above = (a: number) => (x: number) => x > a;
/** Positive and normal in float32: the tensor layer refuses subnormal parameters. */
const normal = (x: number) => x >= 2 ** -126;
const CASES: Record<string, Omit<Case, "xs"> & { xs?: number[] }> = {
  log: { f: log, exact: Math.log, domain: (x) => x >= 0, xs: grid(30, 50) },
  log1p: { f: log1p, exact: Math.log1p, domain: (x) => x >= -1, xs: [-1, ...grid(30, 50)] },
  expm1: { f: expm1, exact: Math.expm1, domain: all, xs: grid(1.9, 88) },
  expm1MinusX: { f: expm1MinusX, exact: expm1mx, domain: all, xs: grid(1.9, 88) },
  log1pmx: { f: log1pmx, exact: log1pmx64, domain: above(-1), xs: grid(30, 50) },
  softplus: { f: softplus, exact: softplus64, domain: all },
  logSigmoid: { f: logSigmoid, exact: logSigmoid64, domain: all },
  log1mexp: { f: log1mexp, exact: log1mexp64, domain: (x) => x <= 0 },
  softplusInverse: { f: softplusInverse, exact: spInverse64, domain: normal, xs: grid(30, 80) },
  logGamma: { f: logGamma, exact: logGamma64, domain: normal, xs: grid(30, 60) },
  digamma: { f: digamma, exact: digamma64, domain: normal, xs: grid(30, 60) },
};

/** Roundings allowed: a few for each step that rounds (see float32Tolerance). */
const K = 8;

/** The worst error seen per function and backend, in units of the allowed error. */
function checkCase(name: string, c: Case, backend: string): void {
  const got = on(c.f, c.xs);
  c.xs.forEach((x, i) => {
    const want = c.exact(x);
    const s = float32Sensitivity(([v]) => c.exact(v!), [x]);
    assertClose(got[i]!, want, float32Tolerance(s, K), `${name}(${x}) on ${backend}`);
  });
}

Deno.test("stable math agrees with float64 on every backend", THREADED, async (t) => {
  await onEveryBackend(t, async (t, backend) => {
    for (const [name, c] of Object.entries(CASES)) {
      const xs = (c.xs ?? grid(30, 100)).filter(c.domain);
      await t.step(name, () => checkCase(name, { ...c, xs }, backend));
    }
    await t.step("random float32 inputs", () => {
      fc.assert(
        fc.property(fc.float({ min: -60, max: 60, noNaN: true }), (x) => {
          for (const [name, c] of Object.entries(CASES)) {
            if (c.domain(x)) checkCase(name, { ...c, xs: [x] }, backend);
          }
        }),
        { numRuns: 40 },
      );
    });
  });
});

Deno.test("stable math: gradients, edges, no leaks, on every backend", THREADED, async (t) => {
  await onEveryBackend(t, async (t, backend) => {
    const before = tf.memory().numTensors;
    await t.step("gradients are the exact derivatives, finite at the branch points", () => {
      const xs = [-30, -1, -0.5, -0.25, -1e-6, 0, 1e-6, 0.25, 0.5, 3, 30];
      const d: Record<string, [(x: tf.Tensor) => tf.Tensor, (x: number) => number, number[]]> = {
        log1p: [log1p, (x) => 1 / (1 + x), xs.filter((x) => x > -1)],
        expm1: [expm1, Math.exp, xs],
        softplus: [softplus, (x) => 1 / (1 + Math.exp(-x)), xs],
        expm1MinusX: [expm1MinusX, Math.expm1, xs],
      };
      for (const [name, [f, df, at]] of Object.entries(d)) {
        const g = on(tf.grad((v: tf.Tensor) => tf.sum(f(v))), at);
        at.forEach((x, i) =>
          assertClose(g[i]!, df(Math.fround(x)), { rel: 1e-6, abs: FLOAT32_TINY }, `${name}′(${x})`)
        );
      }
    });
    await t.step("edges: log1p(−1) = −∞, log1mexp(0) = −∞, softplus of ±∞, NaN stays NaN", () => {
      assert.deepEqual(on(log1p, [-1, Infinity]), [-Infinity, Infinity]);
      assert.deepEqual(on(log1mexp, [0, -Infinity]), [-Infinity, 0]);
      // (−∞ may give a value below the least normal float32: wasm's kernel stops at e⁻⁸⁷.)
      const [inf, zero] = on(softplus, [Infinity, -Infinity, 1, 2]);
      assert.equal(inf, Infinity);
      assert.ok(zero! >= 0 && zero! <= FLOAT32_TINY, `softplus(−∞) = ${zero}`);
      for (const [name, c] of Object.entries(CASES)) {
        assert.ok(on(c.f, [NaN]).every(Number.isNaN), `${name}(NaN) is not NaN`);
      }
    });
    await t.step("xlogy: 0 log 0 = 0, x log y elsewhere", () => {
      const got = tf.tidy(() =>
        read(xlogy(tf.tensor1d([0, 0, 2, 0.5]), tf.tensor1d([0, 3, 0.5, 0])))
      );
      assert.deepEqual(got.slice(0, 2), [0, 0]);
      assertClose(got[2]!, 2 * Math.log(0.5), { rel: 1e-6 });
      assert.equal(got[3], -Infinity);
    });
    await t.step("logSumExp and logMeanExp: float64's, −∞ where every term is", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }).chain((k) =>
            fc.array(
              fc.array(fc.float({ min: -80, max: 80, noNaN: true }), {
                minLength: k,
                maxLength: k,
              }),
              { minLength: 1, maxLength: 4 },
            )
          ),
          (rows) => {
            const a = tf.tensor2d(rows);
            const lse = read(logSumExp(a, 1)), lme = read(logMeanExp(a, -1));
            a.dispose();
            rows.forEach((row, i) => {
              const s = float32Sensitivity(logSumExp64, row);
              assertClose(lse[i]!, logSumExp64(row), float32Tolerance(s, K), `row ${i}`);
              const want = logSumExp64(row) - Math.log(row.length);
              assertClose(lme[i]!, want, float32Tolerance(s + 1e-7, K), `row ${i}`);
            });
          },
        ),
        { numRuns: 30 },
      );
      const [big] = tf.tidy(() => read(logMeanExp(tf.tensor2d([[1e4, 1e4]]), 1)));
      assert.equal(big, 1e4);
      const m = tf.tensor2d([[-Infinity, -Infinity], [0, -Infinity]]);
      assert.deepEqual(read(logSumExp(m, 1)), [-Infinity, 0]);
      m.dispose();
    });
    assert.equal(tf.memory().numTensors, before, `tensors leaked on ${backend}`);
  });
});

Deno.test("lib/tensor and lib/models take log, log1p, expm1, softplus and logSumExp from _stable.ts", async () => {
  const banned = /\btf\.(log|log1p|expm1|softplus|logSumExp|logSigmoid|logSoftmax)\(/;
  const offenders: string[] = [];
  for (const dir of ["lib/tensor", "lib/models"]) {
    for await (const file of walk(new URL(`../../${dir}/`, import.meta.url))) {
      // The stable math itself (lib/tensor/_stable/, behind _stable.ts) may call them.
      if (file.pathname.includes("/lib/tensor/_stable/")) continue;
      const lines = (await Deno.readTextFile(file)).split("\n");
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, "");
        if (!/^\s*\*/.test(line) && banned.test(code)) {
          offenders.push(`${file.pathname.split("/lib/")[1]}:${i + 1}: ${line.trim()}`);
        }
      });
    }
  }
  assert.deepEqual(offenders, []);
});

async function* walk(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const u = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* walk(u);
    else if (e.name.endsWith(".ts")) yield u;
  }
}
