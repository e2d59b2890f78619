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
    assertThrowsNaming(() => cholesky([[1, 2], [3]]), TypeError, "matrix[1]", "length 2");
    assertThrowsNaming(() => cholesky(null as never), TypeError, "matrix", "null");
    assertThrowsNaming(() => cholesky("abcd" as never), TypeError, "matrix");
    assertThrowsNaming(() => cholesky([[1, "0"], [0, 1]] as never), TypeError, "matrix[0][1]");
    assertThrowsNaming(() => cholesky([]), TypeError, "matrix");
    assertThrowsNaming(() => cholesky([[1, 0], 5] as never), TypeError, "matrix[1]");
  });
});

Deno.test("triangular solves and logDetFromCholesky() refuse bad input", () => {
  for (const solve of [solveLowerTriangular, solveUpperTriangularTransposed]) {
    assertThrowsNaming(() => solve([2, 0, 1, 0], [1, 1]), RangeError, "L[1][1]", "non-zero");
    assertThrowsNaming(() => solve([2, 0, NaN, 1], [1, 1]), RangeError, "L[1][0]", "NaN");
    assertThrowsNaming(() => solve([2, 0, 1], [1, 1]), TypeError, "L", "4 values");
    assertThrowsNaming(() => solve([2, 0, 1, 2], [1, NaN]), RangeError, "b[1]");
    assertThrowsNaming(() => solve([2, 0, 1, 2], null as never), TypeError, "b");
    assertThrowsNaming(() => solve(null as never, [1, 1]), TypeError, "L");
    assertThrowsNaming(() => solve([2, 0, 1, 2], [1, 1], new Float64Array(3)), TypeError, "out");
    assertThrowsNaming(() => solve([1e-300, 0, 1, 1e-300], [1e10, 1e10]), RangeError, "overflows");
  }
  // Entries above the diagonal are not read.
  assert.deepEqual(Array.from(solveLowerTriangular([2, 99, 1, 2], [2, 5])), [1, 2]);
  assertThrowsNaming(() => logDetFromCholesky([-1], 1), RangeError, "L[0][0]", "-1");
  assertThrowsNaming(() => logDetFromCholesky([1, 0, 0, 0], 2), RangeError, "L[1][1]", "0");
  assertThrowsNaming(() => logDetFromCholesky([1, 0, 0, 1], 3), TypeError, "L", "n is 3");
  for (const n of [0, 1.5, NaN, -1]) {
    assertThrowsNaming(() => logDetFromCholesky([1], n), RangeError, "n");
  }
  assertThrowsNaming(() => logDetFromCholesky([1], "1" as never), TypeError, "n");
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
