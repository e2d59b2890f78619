// deno bench bench/distributions_bench.ts
//
// Batched versus per-point log-density over 10⁶ values, and the cost of the
// full-covariance KL as the dimension grows. Time per iteration / 10⁶ gives
// nanoseconds per value for the first group. Each group's baseline is a bare
// loop computing the same formula with no checks, in the same run: what the
// library adds (validation, the careful fallbacks) shows as the ratio, which
// does not move with the machine as a time does.
import { createRng, DiagNormal, klDivergence, MultivariateNormal, Normal } from "../mod.ts";

const D = 100, ROWS = 10_000; // 10⁶ values
const rng = createRng(1);
const loc = Float64Array.from({ length: D }, () => rng.normal());
const scale = Float64Array.from({ length: D }, () => 0.5 + rng.uniform());
const q = new DiagNormal(loc, scale);
const normals = Array.from({ length: D }, (_, j) => new Normal(loc[j]!, scale[j]!));
const xs = q.sampleN(rng, ROWS);
const out = new Float64Array(ROWS);

// The log-density's constant: −Σ log σⱼ − (d/2) log 2π.
let logNorm = -0.5 * D * Math.log(2 * Math.PI);
for (let j = 0; j < D; j++) logNorm -= Math.log(scale[j]!);

Deno.bench({
  group: "log-density of 10⁶ values",
  name: "bare loop: the same formula, Σ ((x − μ)/σ)², no checks",
  baseline: true,
  fn: () => {
    for (let i = 0, k = 0; i < ROWS; i++) {
      let s = 0;
      for (let j = 0; j < D; j++, k++) {
        const z = (xs[k]! - loc[j]!) / scale[j]!;
        s += z * z;
      }
      out[i] = logNorm - 0.5 * s;
    }
  },
});

Deno.bench({
  group: "log-density of 10⁶ values",
  name: "DiagNormal.logProbBatch (batched)",
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

/**
 * KL(p‖r) of Gaussians from their Cholesky factors, bare: ½[‖L_r⁻¹L_p‖²_F +
 * ‖L_r⁻¹(μ_r − μ_p)‖² − d] + Σ log(L_r,ii / L_p,ii), by forward substitution,
 * no checks and no rescaling.
 */
function bareKL(
  d: number,
  mp: Float64Array,
  lp: Float64Array,
  mr: Float64Array,
  lr: Float64Array,
  work: Float64Array,
): number {
  let trace = 0, quad = 0, logDet = 0;
  for (let c = 0; c <= d; c++) {
    // Column c of L_p (c < d), or μ_r − μ_p (c = d), solved against L_r.
    for (let i = 0; i < d; i++) {
      let v = c < d ? (i >= c ? lp[i * d + c]! : 0) : mr[i]! - mp[i]!;
      for (let j = c < d ? c : 0; j < i; j++) v -= lr[i * d + j]! * work[j]!;
      work[i] = v / lr[i * d + i]!;
    }
    let s = 0;
    for (let i = 0; i < d; i++) s += work[i]! * work[i]!;
    if (c < d) trace += s;
    else quad = s;
  }
  for (let i = 0; i < d; i++) logDet += Math.log(lr[i * d + i]!) - Math.log(lp[i * d + i]!);
  return 0.5 * (trace + quad - d) + logDet;
}

for (const d of [2, 16, 128]) {
  const L = (shift: number) => {
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) m[i * d + j] = 0.1 * Math.sin(i + j + shift);
      m[i * d + i] = 1 + 0.1 * Math.cos(i + shift);
    }
    return m;
  };
  const [mp, lp, mr, lr] = [new Float64Array(d), L(0), new Float64Array(d).fill(0.5), L(1)];
  const p = new MultivariateNormal(mp, lp);
  const r = new MultivariateNormal(mr, lr);
  const work = new Float64Array(d);
  if (Math.abs(bareKL(d, mp, lp, mr, lr, work) - klDivergence(p, r)) > 1e-9 * d) {
    throw new Error(`the bare KL at d = ${d} is not the library's formula`);
  }
  Deno.bench({
    group: `KL of full-covariance Gaussians, d = ${d}`,
    name: `bare loop: the same formula, d = ${d}`,
    baseline: true,
    fn: () => {
      bareKL(d, mp, lp, mr, lr, work);
    },
  });
  Deno.bench({
    group: `KL of full-covariance Gaussians, d = ${d}`,
    name: `klDivergence, d = ${d}`,
    fn: () => {
      klDivergence(p, r);
    },
  });
}
