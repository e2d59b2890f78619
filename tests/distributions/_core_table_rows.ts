// Rows of the TABLE of tests/reliability/core_test.ts (spread there as
// `...familyRows({ s, o, methods, isNumber, isVector, rng })`) for the special
// functions, the families beyond the Gaussians, the bijectors and their KL
// divergences. Each row says how to call an export with valid arguments and
// which argument slots the hostile values go into; the row names are the
// export names of mod.ts.
import type { Bijector } from "../../lib/bijectors/bijector.ts";
import { Chain } from "../../lib/bijectors/chain.ts";
import { Exp } from "../../lib/bijectors/exp.ts";
import { FillScaleTriL } from "../../lib/bijectors/fill_scale_tril.ts";
import { Scale } from "../../lib/bijectors/scale.ts";
import { Shift } from "../../lib/bijectors/shift.ts";
import { Sigmoid } from "../../lib/bijectors/sigmoid.ts";
import { SoftmaxCentered } from "../../lib/bijectors/softmax_centered.ts";
import { Softplus } from "../../lib/bijectors/softplus.ts";
import { Beta } from "../../lib/distributions/beta.ts";
import { Categorical } from "../../lib/distributions/categorical.ts";
import { DiagNormal } from "../../lib/distributions/diag_normal.ts";
import { Dirichlet } from "../../lib/distributions/dirichlet.ts";
import type { Distribution } from "../../lib/distributions/distribution.ts";
import { Exponential } from "../../lib/distributions/exponential.ts";
import { Gamma } from "../../lib/distributions/gamma.ts";
import { Laplace } from "../../lib/distributions/laplace.ts";
import { LogNormal } from "../../lib/distributions/log_normal.ts";
import { Normal } from "../../lib/distributions/normal.ts";
import { Poisson } from "../../lib/distributions/poisson.ts";
import { StudentT } from "../../lib/distributions/student_t.ts";
import { TransformedDistribution } from "../../lib/distributions/transformed.ts";
import { Uniform } from "../../lib/distributions/uniform.ts";
import { klBeta } from "../../lib/divergences/beta_kl.ts";
import { klCategorical } from "../../lib/divergences/categorical_kl.ts";
import { klDirichlet } from "../../lib/divergences/dirichlet_kl.ts";
import { klExponentialGamma, klGamma } from "../../lib/divergences/gamma_kl.ts";
import { klLaplace } from "../../lib/divergences/laplace_kl.ts";
import { klLogNormal } from "../../lib/divergences/log_normal_kl.ts";
import { klPoisson } from "../../lib/divergences/poisson_kl.ts";
import { klUniform } from "../../lib/divergences/uniform_kl.ts";
import { digamma, log1mexp, logBeta, logGamma } from "../../lib/math/special.ts";

/** The shape of core_test.ts's rows (kept structural, so no import is needed). */
export interface Row {
  label: string;
  args: () => unknown[];
  // deno-lint-ignore no-explicit-any
  call: (...args: any[]) => unknown;
  slots: Array<{ at: number; field?: string; name: string; count?: boolean }>;
  shape?: (result: unknown, args: unknown[]) => boolean;
}

/** The helpers of core_test.ts the rows are built with. */
export interface Helpers {
  s: (at: number, name: string, extra?: { count?: boolean }) => Row["slots"][number];
  o: (at: number, field: string, extra?: { count?: boolean }) => Row["slots"][number];
  methods: (label: string, make: () => Distribution, point: () => unknown) => Row[];
  isNumber: (r: unknown) => boolean;
  isVector: (n: number) => (r: unknown) => boolean;
  rng: () => unknown;
}

/** One row per runtime export added by issue 11. */
export function familyRows(h: Helpers): Record<string, Row[]> {
  const { s, o, methods, isNumber } = h;
  const ctor = (
    label: string,
    args: () => unknown[],
    make: (...a: never[]) => unknown,
    names: string[],
  ) => ({
    label: `new ${label}`,
    args,
    call: make as Row["call"],
    slots: names.map((n, i) => s(i, n)),
  });
  const fn = (label: string, call: Row["call"], args: () => unknown[], names: string[]): Row[] => [{
    label,
    args,
    call,
    slots: names.map((n, i) => s(i, n)),
    shape: isNumber,
  }];
  /** A bijector's methods, from a factory and a valid x. */
  const bijector = (
    label: string,
    make: () => Bijector,
    x: () => unknown,
    y: () => unknown,
  ): Row[] => [
    {
      label: `${label}.forward`,
      args: () => [make(), x()],
      call: (b, v) => b.forward(v),
      slots: [s(1, "x")],
    },
    {
      label: `${label}.inverse`,
      args: () => [make(), y()],
      call: (b, v) => b.inverse(v),
      slots: [s(1, "y")],
    },
    {
      label: `${label}.forwardLogDetJacobian`,
      args: () => [make(), x()],
      call: (b, v) => b.forwardLogDetJacobian(v),
      slots: [s(1, "x")],
      shape: isNumber,
    },
    {
      label: `${label}.inverseLogDetJacobian`,
      args: () => [make(), y()],
      call: (b, v) => b.inverseLogDetJacobian(v),
      slots: [s(1, "y")],
      shape: isNumber,
    },
    {
      label: `${label}.forwardEventSize`,
      args: () => [make(), 3],
      call: (b, n) => b.forwardEventSize(n),
      slots: [s(1, "size", { count: true })],
      shape: isNumber,
    },
  ];
  const kl = (label: string, call: Row["call"], p: () => unknown, q: () => unknown): Row[] => [{
    label,
    args: () => [p(), q()],
    call,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }];
  return {
    logGamma: fn("logGamma", logGamma, () => [2.5], ["x"]),
    digamma: fn("digamma", digamma, () => [2.5], ["x"]),
    logBeta: fn("logBeta", logBeta, () => [2.5, 0.5], ["a", "b"]),
    log1mexp: fn("log1mexp", log1mexp, () => [-0.5], ["x"]),
    Gamma: [
      ctor("Gamma", () => [2, 3], (a: number, b: number) => new Gamma(a, b), [
        "concentration",
        "rate",
      ]),
      ...methods("Gamma", () => new Gamma(0.7, 2), () => 0.3),
    ],
    Beta: [
      ctor("Beta", () => [2, 3], (a: number, b: number) => new Beta(a, b), ["alpha", "beta"]),
      ...methods("Beta", () => new Beta(0.5, 3), () => 0.3),
    ],
    LogNormal: [
      ctor("LogNormal", () => [0, 1], (m: number, sd: number) => new LogNormal(m, sd), [
        "loc",
        "scale",
      ]),
      ...methods("LogNormal", () => new LogNormal(0.5, 2), () => 1.5),
    ],
    Laplace: [
      ctor("Laplace", () => [0, 1], (m: number, b: number) => new Laplace(m, b), ["loc", "scale"]),
      ...methods("Laplace", () => new Laplace(0.5, 2), () => 1.5),
    ],
    StudentT: [
      ctor(
        "StudentT",
        () => [3, 0, 1],
        (n: number, m: number, sd: number) => new StudentT(n, m, sd),
        [
          "df",
          "loc",
          "scale",
        ],
      ),
      ...methods("StudentT", () => new StudentT(0.5, 1, 2), () => 1.5),
    ],
    Uniform: [
      ctor("Uniform", () => [-1, 2], (a: number, b: number) => new Uniform(a, b), ["low", "high"]),
      ...methods("Uniform", () => new Uniform(-1, 2), () => 1.5),
    ],
    Categorical: [
      {
        label: "new Categorical(probs)",
        args: () => [{ probs: [0.2, 0.8] }],
        call: (p) => new Categorical(p),
        slots: [s(0, "params"), o(0, "probs")],
      },
      {
        label: "new Categorical(logits)",
        args: () => [{ logits: [-1, 3, 0] }],
        call: (p) => new Categorical(p),
        slots: [s(0, "params"), o(0, "logits")],
      },
      ...methods("Categorical", () => new Categorical({ logits: [-1, 3, 0] }), () => 2),
    ],
    Dirichlet: [
      ctor("Dirichlet", () => [[0.5, 2, 3]], (a: number[]) => new Dirichlet(a), ["concentration"]),
      ...methods("Dirichlet", () => new Dirichlet([0.5, 2, 3]), () => [0.2, 0.3, 0.5]),
    ],
    Poisson: [
      ctor("Poisson", () => [3.5], (r: number) => new Poisson(r), ["rate"]),
      ...methods("Poisson", () => new Poisson(25), () => 20),
    ],
    TransformedDistribution: [
      ctor(
        "TransformedDistribution",
        () => [new Gamma(2, 1), new Softplus()],
        (b: Distribution, f: Bijector) => new TransformedDistribution(b, f),
        ["base", "bijector"],
      ),
      ...methods(
        "TransformedDistribution",
        () => new TransformedDistribution(new Normal(0, 1), new Sigmoid()),
        () => 0.3,
      ),
      ...methods(
        "TransformedDistribution (vector)",
        () => new TransformedDistribution(new DiagNormal([0, 1], [1, 2]), new SoftmaxCentered()),
        () => [0.2, 0.3, 0.5],
      ),
    ],
    ElementwiseBijector: bijector(
      "Softplus as ElementwiseBijector",
      () => new Softplus(),
      () => [0.5, -1],
      () => [0.5, 1],
    ),
    Exp: bijector("Exp", () => new Exp(), () => 0.5, () => 2),
    Softplus: bijector("Softplus", () => new Softplus(), () => 0.5, () => 2),
    Sigmoid: bijector("Sigmoid", () => new Sigmoid(), () => [0.5, 3], () => [0.2, 0.9]),
    Shift: [
      ctor("Shift", () => [[1, 2]], (v: number[]) => new Shift(v), ["shift"]),
      ...bijector("Shift", () => new Shift(2), () => 0.5, () => 2),
    ],
    Scale: [
      ctor("Scale", () => [-2], (v: number) => new Scale(v), ["scale"]),
      ...bijector("Scale", () => new Scale([2, -1, 3]), () => [0.5, 1, 2], () => [1, 1, 1]),
    ],
    Chain: [
      ctor("Chain", () => [[new Exp(), new Shift(1)]], (b: Bijector[]) => new Chain(b), [
        "bijectors",
      ]),
      ...bijector("Chain", () => new Chain([new Shift(1), new Exp()]), () => 0.5, () => 2),
    ],
    FillScaleTriL: [
      {
        label: "new FillScaleTriL",
        args: () => [{ diagShift: 1e-3 }],
        call: (opts) => new FillScaleTriL(opts),
        slots: [s(0, "options"), o(0, "diagShift")],
      },
      ...bijector(
        "FillScaleTriL",
        () => new FillScaleTriL(),
        () => [0.5, 1, -1],
        () => [1, 0, 2, 3],
      ),
    ],
    SoftmaxCentered: bijector(
      "SoftmaxCentered",
      () => new SoftmaxCentered(),
      () => [0.5, -1],
      () => [0.2, 0.3, 0.5],
    ),
    klGamma: kl("klGamma", klGamma, () => new Gamma(2, 1), () => new Gamma(3, 2)),
    klExponentialGamma: kl(
      "klExponentialGamma",
      klExponentialGamma,
      () => new Exponential(2),
      () => new Gamma(3, 2),
    ),
    klBeta: kl("klBeta", klBeta, () => new Beta(2, 1), () => new Beta(3, 2)),
    klDirichlet: kl(
      "klDirichlet",
      klDirichlet,
      () => new Dirichlet([2, 1]),
      () => new Dirichlet([3, 2]),
    ),
    klCategorical: kl(
      "klCategorical",
      klCategorical,
      () => new Categorical({ probs: [0.5, 0.5] }),
      () => new Categorical({ logits: [0, 1] }),
    ),
    klLaplace: kl("klLaplace", klLaplace, () => new Laplace(0, 1), () => new Laplace(1, 2)),
    klUniform: kl("klUniform", klUniform, () => new Uniform(0, 1), () => new Uniform(-1, 2)),
    klPoisson: kl("klPoisson", klPoisson, () => new Poisson(2), () => new Poisson(3)),
    klLogNormal: kl(
      "klLogNormal",
      klLogNormal,
      () => new LogNormal(0, 1),
      () => new LogNormal(1, 2),
    ),
  };
}
