// Test data for the metrics: the reference data set of
// tests/reference/metrics_sklearn_reference.py rebuilt bit for bit, and a toy
// factor data set whose image is its factor row, for the scores that encode.
import type { FactorDataset } from "../../disentanglement.ts";

/** Park–Miller's minimal standard generator: 16807 · state mod (2³¹ − 1), exact in float64. */
function* parkMiller(seed: number): Generator<number> {
  let state = seed;
  while (true) {
    state = (16807 * state) % 2147483647;
    yield state;
  }
}

/**
 * The reference data set: 600 rows of 3 factors (3, 4 and 5 values) and 4
 * codes — a noisy copy of factor 0, a rescaled noisy copy of factor 1, factor
 * 2 with some of factor 0, and noise.
 */
export function referenceData(): { codes: number[][]; factors: number[][] } {
  const g = parkMiller(20261123);
  const next = (): number => g.next().value as number;
  const codes: number[][] = [], factors: number[][] = [];
  for (let i = 0; i < 600; i++) {
    const f0 = next() % 3, f1 = next() % 4, f2 = next() % 5;
    const u0 = next() % 1000, u1 = next() % 1000, u2 = next() % 1000, u3 = next() % 1000;
    factors.push([f0, f1, f2]);
    codes.push([
      f0 + (u0 - 500) / 2000,
      f1 * 3 + u1 / 500,
      f2 / 4 + f0 / 10 + u2 / 10000,
      u3 / 100,
    ]);
  }
  return { codes, factors };
}

/** The factor sizes of dSprites: shape, scale, orientation, x, y. */
const DSPRITES_SIZES = [3, 6, 40, 32, 32];

/**
 * dSprites-sized factors with lightly mixed continuous codes, `n` rows (3,000
 * in the reference script): factor j scaled to [0, 1], plus a tenth of the
 * next factor (cyclically), plus uniform noise of ±0.0005; a sixth code is
 * noise. Every code takes far more than 256 distinct values.
 */
export function mixedDspritesData(n = 3000): { codes: number[][]; factors: number[][] } {
  const g = parkMiller(20260517);
  const next = (): number => g.next().value as number;
  const codes: number[][] = [], factors: number[][] = [];
  for (let i = 0; i < n; i++) {
    const f = DSPRITES_SIZES.map((m) => next() % m);
    const u = Array.from({ length: 6 }, () => next() % 1000);
    const s = f.map((v, j) => v / (DSPRITES_SIZES[j]! - 1));
    factors.push(f);
    codes.push([
      ...s.map((v, j) => v + s[(j + 1) % 5]! / 10 + (u[j]! - 500) / 1000000),
      u[5]! / 1000,
    ]);
  }
  return { codes, factors };
}

/**
 * A factor data set whose "image" (imageSize² ≥ number of factors pixels) is
 * its factor row, zero-padded: an encoder can read the factors back exactly.
 */
export function toyDataset(factorSizes: number[], imageSize = 2): FactorDataset {
  const pixels = imageSize * imageSize;
  return {
    name: "toy",
    factorNames: factorSizes.map((_, j) => `f${j}`),
    factorSizes,
    imageSize,
    render(rows, out = new Float32Array(rows.length * pixels)) {
      out.fill(0, 0, rows.length * pixels);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        for (let j = 0; j < row.length; j++) out[i * pixels + j] = row[j]!;
      }
      return out;
    },
  };
}
