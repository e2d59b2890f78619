// The bijector cases of tensor_test.ts: each constructor, the bijector it
// builds put through all of its methods; and forward, inverse, both
// log-Jacobians and both event shapes of a valid instance of each kind with
// hostile points, event ranks and shapes.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as T from "../../tensor.ts";
import {
  type Case,
  countsUpTo,
  disposeAll,
  FIELDS,
  MakeValue,
  names,
  optionsOf,
  type Slot,
  tensorResult,
} from "./_hostile.ts";
import { all, fill, NOT_BIJECTORS, NOT_DISTRIBUTIONS, O, P, positive } from "./_tensor_values.ts";

interface BijectorKind {
  /** A valid instance, for the method cases. */
  instance: T.TensorBijector;
  /** A valid point x, of rank 2 (the event rank of the methods is 1). */
  x: () => tf.Tensor;
  /** The support of f⁻¹ (default: every finite number; `none`: NaN is documented off it). */
  range?: Slot["inSupport"];
  /** The support of f (default: every finite number). */
  domain?: Slot["inSupport"];
  /** The valid event shapes of forwardEventShape and inverseEventShape. */
  shapes: [number[], number[]];
}

const none = () => false;
/** The bijectors whose methods are tried (made by {@linkcode bijectorCases}). */
const BIJECTORS: BijectorKind[] = [];
const bijectorKinds = (): BijectorKind[] => [
  { instance: new T.Exp(), x: fill([3, 2]), range: positive, shapes: [[2], [2]] },
  { instance: new T.Softplus(), x: fill([3, 2]), range: positive, shapes: [[2], [2]] },
  {
    instance: new T.Sigmoid(),
    x: fill([3, 2]),
    range: all((y) => y > 0 && y < 1),
    shapes: [[2], [2]],
  },
  { instance: new T.Shift([1, 2]), x: fill([3, 2]), shapes: [[2], [2]] },
  { instance: new T.Scale([2, -0.5]), x: fill([3, 2]), shapes: [[2], [2]] },
  {
    instance: new T.Chain([new T.Exp(), new T.Shift(1)]),
    x: fill([3, 2]),
    range: all((y) => y > 1),
    shapes: [[2], [2]],
  },
  { instance: new T.FillScaleTriL(), x: fill([2, 3]), range: none, shapes: [[3], [2, 2]] },
  { instance: new T.SoftmaxCentered(), x: fill([2, 2]), range: none, shapes: [[2], [3]] },
  {
    instance: new T.Invert(new T.Exp()),
    x: fill([3, 2]),
    domain: positive,
    shapes: [[2], [2]],
  },
  { instance: new T.Permute([1, 0]), x: fill([3, 2]), shapes: [[2], [2]] },
  {
    instance: new T.MaskedAutoregressiveFlow({ eventSize: 2, hiddenSizes: [4], seed: 1 }),
    x: fill([3, 2]),
    shapes: [[2], [2]],
  },
  {
    instance: new T.RealNVP({ eventSize: 2, hiddenSizes: [4], layers: 2, seed: 1 }),
    x: fill([3, 2]),
    shapes: [[2], [2]],
  },
];

/**
 * Puts a bijector just built through its methods at a point x of its
 * smallest event rank: f(x), f⁻¹(f(x)), both log-Jacobians, both event shapes.
 */
function exerciseBijector(b: T.TensorBijector, x: tf.Tensor) {
  const out: Record<string, unknown> = { b, x };
  try {
    const r = b.minEventRank, event = x.shape.slice(x.rank - r);
    const y = out.y = b.forward(x);
    out.back = b.inverse(y);
    out.fldj = b.forwardLogDetJacobian(x, r);
    out.ildj = b.inverseLogDetJacobian(y, r);
    const yEvent = b.forwardEventShape(event);
    assert.deepEqual(yEvent, y.shape.slice(y.rank - yEvent.length), "forwardEventShape");
    assert.deepEqual(b.inverseEventShape(yEvent), event, "inverseEventShape");
  } catch (e) {
    disposeAll(out);
    if (e instanceof assert.AssertionError) throw e;
    throw new assert.AssertionError({
      message: `constructed, then a method threw ${(e as Error)?.name}: ${(e as Error)?.message}`,
    });
  }
  return out;
}

const pointOf = (b: T.TensorBijector) => b.minEventRank ? tf.fill([3], 0.5) : tf.scalar(0.5);

/** The cases of the bijectors: constructors and methods. */
/** The cases of the bijectors: constructors and methods (freed by {@linkcode disposeBijectors}). */
export function bijectorCases(): Case[] {
  const ctor = (
    covers: string,
    slots: Slot[],
    make: (v: Record<string, unknown>) => T.TensorBijector,
  ): Case => ({
    covers,
    label: `new ${covers}`,
    slots,
    call: (v) => {
      const b = make(v);
      return exerciseBijector(b, pointOf(b));
    },
    check: tensorResult(),
  });
  const cases: Case[] = [
    ctor("Exp", [], () => new T.Exp()),
    ctor("Softplus", [], () => new T.Softplus()),
    ctor("Sigmoid", [], () => new T.Sigmoid()),
    ctor("SoftmaxCentered", [], () => new T.SoftmaxCentered()),
    ctor("Shift", [P("shift", [1, 2])], (v) => new T.Shift(v.shift as T.TensorInput)),
    ctor(
      "Scale",
      [P("scale", [2, -0.5], all((x) => x !== 0))],
      (v) => new T.Scale(v.scale as T.TensorInput),
    ),
    ctor("Chain", [{
      name: "bijectors",
      valid: () => [new T.Exp(), new T.Shift(1)],
      extra: [
        [],
        ...NOT_BIJECTORS.map((m) =>
          new MakeValue(`[Exp, ${m.label}]`, () => [new T.Exp(), m.make()])
        ),
      ],
    }], (v) => new T.Chain(v.bijectors as T.TensorBijector[])),
    ctor(
      "FillScaleTriL",
      [
        { name: "options", valid: () => FIELDS, names: ["options", "diagShift"] },
        P("diagShift", 1e-3),
      ],
      (v) => new T.FillScaleTriL(optionsOf(v) as T.FillScaleTriLOptions),
    ),
    ctor("Invert", [{
      name: "bijector",
      valid: () => new T.Exp(),
      extra: [
        ...NOT_BIJECTORS,
        new MakeValue("a disposed flow", () => {
          const f = new T.RealNVP({ eventSize: 3 });
          f.dispose();
          return f;
        }),
      ],
    }], (v) => new T.Invert(v.bijector as T.TensorBijector)),
    ctor("Permute", [P("permutation", [2, 0, 1])], (v) => new T.Permute(v.permutation as number[])),
    ctor(
      "MaskedAutoregressiveFlow",
      [
        { name: "options", valid: () => FIELDS, names: ["options", "eventSize"] },
        { ...O("eventSize", 3, countsUpTo(8, 4096)), names: ["eventSize"] },
        O("hiddenSizes", [4]),
        O("seed", 1),
      ],
      (v) => new T.MaskedAutoregressiveFlow(optionsOf(v) as T.MaskedAutoregressiveFlowOptions),
    ),
    ctor(
      "RealNVP",
      [
        { name: "options", valid: () => FIELDS, names: ["options", "eventSize"] },
        { ...O("eventSize", 3, countsUpTo(8, 4096)), names: ["eventSize"] },
        O("hiddenSizes", [4]),
        O("layers", 2, countsUpTo(4, 32)),
        O("seed", 1),
      ],
      (v) => new T.RealNVP(optionsOf(v) as T.RealNVPOptions),
    ),
    {
      covers: "VectorFlow",
      label: "new VectorFlow (abstract)",
      slots: [],
      call: () => new (T.VectorFlow as unknown as new () => unknown)(),
      check: () => assert.fail("an abstract class was constructed"),
      domain: (e) => e instanceof TypeError && names(e.message, "VectorFlow"),
    },
    {
      covers: "ElementwiseBijector",
      label: "new ElementwiseBijector (abstract)",
      slots: [],
      call: () => new (T.ElementwiseBijector as unknown as new () => unknown)(),
      check: () => assert.fail("an abstract class was constructed"),
      domain: (e) => e instanceof TypeError && names(e.message, "ElementwiseBijector"),
    },
  ];
  BIJECTORS.push(...bijectorKinds());
  for (const k of BIJECTORS) {
    const b = k.instance, name = b.name;
    const covers = name.startsWith("Chain") ? "Chain" : name.startsWith("Invert") ? "Invert" : name;
    const y = () => tf.tidy(() => b.forward(k.x()));
    const rank = { name: "eventRank", valid: () => 1 };
    // A point of too low a rank for the event rank: either may be named.
    const point = (name: string, valid: () => tf.Tensor, range?: Slot["inSupport"]): Slot => ({
      name,
      valid,
      inSupport: range,
      names: [name, "eventRank"],
    });
    const m = (label: string, slots: Slot[], call: Case["call"], check = tensorResult()) =>
      cases.push({ covers, label: `${name}#${label}`, slots, call, check });
    const t = (v: Record<string, unknown>, key: string) => v[key] as tf.Tensor;
    m("forward", [{ name: "x", valid: k.x, inSupport: k.domain }], (v) => b.forward(t(v, "x")));
    m("inverse", [{ name: "y", valid: y, inSupport: k.range }], (v) => b.inverse(t(v, "y")));
    m(
      "forwardLogDetJacobian",
      [point("x", k.x, k.domain), rank],
      (v) => b.forwardLogDetJacobian(t(v, "x"), v.eventRank as number),
    );
    m(
      "inverseLogDetJacobian",
      [point("y", y, k.range), rank],
      (v) => b.inverseLogDetJacobian(t(v, "y"), v.eventRank as number),
    );
    // (Array.from: a hole in a sparse array is undefined, where every() would skip it.)
    const shapeCheck = (r: unknown) =>
      assert.ok(
        Array.isArray(r) && Array.from(r).every((s) => Number.isSafeInteger(s) && s >= 1),
        `event shape [${r}]`,
      );
    m(
      "forwardEventShape",
      [P("shape", k.shapes[0])],
      (v) => b.forwardEventShape(v.shape as number[]),
      shapeCheck,
    );
    m(
      "inverseEventShape",
      [P("shape", k.shapes[1])],
      (v) => b.inverseEventShape(v.shape as number[]),
      shapeCheck,
    );
  }
  cases.push({
    covers: "isTensorBijector",
    label: "isTensorBijector",
    slots: [{
      name: "b",
      valid: () => new T.Exp(),
      extra: [...NOT_BIJECTORS, ...NOT_DISTRIBUTIONS],
    }],
    call: (v) => T.isTensorBijector(v.b),
    check: (r) => assert.equal(typeof r, "boolean"),
  });
  return cases;
}

/** Frees the instances the method cases used. */
export function disposeBijectors(): void {
  disposeAll(BIJECTORS.map((k) => k.instance));
}
