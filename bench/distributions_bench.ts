// deno bench bench/distributions_bench.ts
//
// Batched versus per-point log-density over 10⁶ values, and the cost of the
// full-covariance KL as the dimension grows. Time per iteration / 10⁶ gives
// nanoseconds per value for the first group.
import { createRng, DiagNormal, klDivergence, MultivariateNormal, Normal } from "../mod.ts";

const D = 100, ROWS = 10_000; // 10⁶ values
const rng = createRng(1);
const loc = Float64Array.from({ length: D }, () => rng.normal());
const scale = Float64Array.from({ length: D }, () => 0.5 + rng.uniform());
const q = new DiagNormal(loc, scale);
const normals = Array.from({ length: D }, (_, j) => new Normal(loc[j]!, scale[j]!));
const xs = q.sampleN(rng, ROWS);
const out = new Float64Array(ROWS);

Deno.bench({
  group: "log-density of 10⁶ values",
  name: "DiagNormal.logProbBatch (batched)",
  baseline: true,
  fn: () => {
    q.logProbBatch(xs, out);
  },
});

Deno.bench({
  group: "log-density of 10⁶ values",
  name: "Normal.logProb per point",
  fn: () => {
    for (let i = 0; i < ROWS; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += normals[j]!.logProb(xs[i * D + j]!);
      out[i] = s;
    }
  },
});

Deno.bench({
  group: "log-density of 10⁶ values",
  name: "DiagNormal.logProb per row (subarray)",
  fn: () => {
    for (let i = 0; i < ROWS; i++) out[i] = q.logProb(xs.subarray(i * D, (i + 1) * D));
  },
});

for (const d of [2, 16, 128]) {
  const L = (shift: number) => {
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) m[i * d + j] = 0.1 * Math.sin(i + j + shift);
      m[i * d + i] = 1 + 0.1 * Math.cos(i + shift);
    }
    return m;
  };
  const p = new MultivariateNormal(new Float64Array(d), L(0));
  const r = new MultivariateNormal(new Float64Array(d).fill(0.5), L(1));
  Deno.bench({
    group: "KL of full-covariance Gaussians",
    name: `d = ${d}`,
    baseline: d === 2,
    fn: () => {
      klDivergence(p, r);
    },
  });
}
