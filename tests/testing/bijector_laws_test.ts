// assertBijectorLaws() passes the core's bijectors and fails each kind of
// broken one: a wrong inverse, opposite log-Jacobians that disagree, a
// log-Jacobian of the wrong sign or off by a constant.
import assert from "node:assert/strict";
import { AssertionError } from "node:assert/strict";
import { Exp, FillScaleTriL, Laplace, Scale, Sigmoid, Softplus } from "../../mod.ts";
import { assertBijectorLaws } from "../../testing.ts";
import { fc } from "../_fc.ts";

function fails(f: () => void, ...fragments: string[]): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof AssertionError, `expected an AssertionError, got ${e}`);
    for (const s of fragments) assert.ok(e.message.includes(s), `"${e.message}" lacks "${s}"`);
    return true;
  });
}

const x = fc.double({ min: -5, max: 5, noNaN: true });

/** log |f′| of the wrong sign, consistently in both directions. */
class SignFlipped extends Exp {
  protected override fLogDerivative(v: number): number {
    return -v;
  }
  protected override fInverseLogDerivative(y: number): number {
    return Math.log(y);
  }
}
/** Both log-Jacobians off by 0.1, still opposite. */
class Shifted extends Softplus {
  override readonly name: string = "Shifted";
  protected override fLogDerivative(v: number): number {
    return super.fLogDerivative(v) + 0.1;
  }
  protected override fInverseLogDerivative(y: number): number {
    return super.fInverseLogDerivative(y) - 0.1;
  }
}
class InverseOff extends Exp {
  protected override fInverse(y: number): number {
    return Math.log(y) * (1 + 1e-8);
  }
}
class NotOpposite extends Sigmoid {
  protected override fInverseLogDerivative(y: number): number {
    return super.fInverseLogDerivative(y) + 1e-6;
  }
}

Deno.test("assertBijectorLaws()", async (t) => {
  await t.step("passes the core's bijectors, with a base of one's own", () => {
    assertBijectorLaws(new Exp(), x);
    assertBijectorLaws(new Scale(-0.3), fc.array(x, { minLength: 3, maxLength: 3 }));
    assertBijectorLaws(new Sigmoid(), x, { density: { base: new Laplace(0, 0.5) } });
  });
  await t.step("fails a log-Jacobian of the wrong sign, and one off by 0.1", () => {
    fails(() => assertBijectorLaws(new SignFlipped(), x), "finite-difference Jacobian");
    fails(
      () => assertBijectorLaws(new SignFlipped(), x, { logDetTolerance: 1e3 }),
      "the density of Exp(X)",
      "expected 1",
    );
    fails(() => assertBijectorLaws(new Shifted(), x), "Shifted", "finite-difference");
  });
  await t.step("fails a wrong inverse and log-Jacobians that are not opposite", () => {
    fails(() => assertBijectorLaws(new InverseOff(), x), "inverse(forward(x))[0] = x[0]");
    fails(() => assertBijectorLaws(new NotOpposite(), x), "fldj(x) = −ildj(f(x))");
  });
  await t.step("a bijector that changes the length needs project", () => {
    const v = fc.array(x, { minLength: 3, maxLength: 3 });
    fails(() => assertBijectorLaws(new FillScaleTriL(), v), "pass a project option");
    const lower = (y: Float64Array) => [y[0]!, y[2]!, y[3]!];
    assertBijectorLaws(new FillScaleTriL(), v, { project: lower, tolerance: 1e-9 });
  });
});
