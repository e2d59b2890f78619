import assert from "node:assert/strict";
import {
  cholesky,
  logDetFromCholesky,
  solveLowerTriangular,
  solveUpperTriangularTransposed,
} from "../../mod.ts";
import { scaleTril } from "../_arbitraries.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, assertThrowsNaming } from "../_tolerance.ts";

function gram(L: Float64Array, d: number): Float64Array {
  const S = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += L[i * d + k]! * L[j * d + k]!;
      S[i * d + j] = s;
    }
  }
  return S;
}

Deno.test("cholesky()", async (t) => {
  await t.step("recovers the factor of L Lᵀ", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) => scaleTril(d).map((L) => [d, L] as const)),
        ([d, L]) => {
          assertAllClose(cholesky(gram(L, d)), L, { abs: 1e-12, rel: 1e-10 });
        },
      ),
    );
  });
  await t.step("accepts rows or flat values", () => {
    assert.deepEqual(cholesky([[4, 2], [2, 5]]), cholesky([4, 2, 2, 5]));
  });
  await t.step("matches numpy on a 3×3 matrix", () => {
    // numpy.linalg.cholesky([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
    assert.deepEqual(Array.from(cholesky([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])), [
      2,
      0,
      0,
      6,
      1,
      0,
      -8,
      5,
      3,
    ]);
  });
  await t.step("rejects a matrix that is not positive definite, saying where", () => {
    assertThrowsNaming(
      () => cholesky([[1, 2], [2, 1]]),
      RangeError,
      "not positive definite",
      "pivot 1",
    );
    assertThrowsNaming(
      () => cholesky([[-1, 0], [0, 1]]),
      RangeError,
      "not positive definite",
      "pivot 0",
    );
  });
  await t.step("rejects non-symmetric, non-finite and non-square input", () => {
    assertThrowsNaming(() => cholesky([[1, 0.5], [0, 1]]), RangeError, "not symmetric", "(1, 0)");
    assertThrowsNaming(() => cholesky([[1, NaN], [NaN, 1]]), RangeError, "finite", "NaN");
    assertThrowsNaming(() => cholesky([1, 2, 3]), TypeError, "square");
    assertThrowsNaming(() => cholesky([[1, 2], [3]]), TypeError, "row 1");
  });
});

Deno.test("triangular solves and logDetFromCholesky()", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((d) =>
        fc.tuple(
          scaleTril(d),
          fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
        )
          .map(([L, b]) => [d, L, b] as const)
      ),
      ([d, L, b]) => {
        const y = solveLowerTriangular(L, b);
        const x = solveUpperTriangularTransposed(L, y);
        // Σ x = b with Σ = L Lᵀ
        const S = gram(L, d);
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += S[i * d + j]! * x[j]!;
          assertClose(s, b[i]!, { abs: 1e-9, rel: 1e-9 });
        }
        let logDiag = 0;
        for (let i = 0; i < d; i++) logDiag += Math.log(L[i * d + i]!);
        assertClose(logDetFromCholesky(L, d), 2 * logDiag);
      },
    ),
  );
});
