// The checks of a convolution's operands and options, and the output sizes
// they give (lib/tensor/conv.ts).
import { assertOptions, assertTensor, describe } from "./_validate.ts";

/** A convolution's checked options and its filter's height and width. */
export interface Geometry {
  stride: number;
  pad: number;
  inputGradient: boolean;
  kh: number;
  kw: number;
}

/** Checks stride, pad and inputGradient against a kh × kw filter. */
function checkOptions(what: string, options: unknown, kh: number, kw: number): Geometry {
  assertOptions(what, "options", options);
  if (options === undefined) {
    throw new TypeError(
      `${what} as options must be an object such as { stride: 1, pad: 0 }: current value is undefined`,
    );
  }
  const { stride, pad, inputGradient = true } = options;
  for (const [name, value, min] of [["stride", stride, 1], ["pad", pad, 0]] as const) {
    if (typeof value !== "number") {
      throw new TypeError(
        `${what} as options.${name} must be a number: current value is ${describe(value)}`,
      );
    }
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(
        `${what} as options.${name} must be an integer ≥ ${min}: current value is ${value}`,
      );
    }
  }
  const k = Math.min(kh, kw);
  if ((pad as number) > k - 1) {
    throw new RangeError(
      `${what} as options.pad must be at most ${
        k - 1
      }, one less than the filter's size ${kh}×${kw}: current value is ${pad}`,
    );
  }
  if (typeof inputGradient !== "boolean") {
    throw new TypeError(
      `${what} as options.inputGradient must be a boolean: current value is ${
        describe(inputGradient)
      }`,
    );
  }
  return { stride: stride as number, pad: pad as number, inputGradient, kh, kw };
}

/** Checks x, filter and bias; returns the geometry. `transposed`: filter [k,k,Cout,Cin]. */
export function checkOperands(
  what: string,
  x: unknown,
  filter: unknown,
  bias: unknown,
  options: unknown,
  transposed: boolean,
): Geometry {
  assertTensor(what, "x", x, 4);
  assertTensor(what, "filter", filter, 4);
  assertTensor(what, "bias", bias, 1);
  const [kh, kw, f2, f3] = filter.shape as [number, number, number, number];
  const [inC, outC] = transposed ? [f3, f2] : [f2, f3];
  const inAxis = transposed ? "fourth" : "third", outAxis = transposed ? "third" : "fourth";
  if (x.shape[3] !== inC) {
    throw new TypeError(
      `${what} as x must have ${inC} channels, the ${inAxis} size of filter [${filter.shape}]: current shape is [${x.shape}]`,
    );
  }
  if (bias.shape[0] !== outC) {
    throw new TypeError(
      `${what} as bias must have ${outC} values, the ${outAxis} size of filter [${filter.shape}]: current shape is [${bias.shape}]`,
    );
  }
  const g = checkOptions(what, options, kh, kw);
  const [oh, ow] = transposed
    ? transposedSize(x.shape[1]!, x.shape[2]!, g)
    : convSize(x.shape[1]!, x.shape[2]!, g);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${what} as x must give an output of at least 1×1 with a ${kh}×${kw} filter, stride ${g.stride} and pad ${g.pad}: current shape is [${x.shape}], output ${oh}×${ow}`,
    );
  }
  return g;
}

/** Output height and width of a convolution: ⌊(H + 2p − k)/s⌋ + 1. */
function convSize(h: number, w: number, g: Geometry): [number, number] {
  return [
    Math.floor((h + 2 * g.pad - g.kh) / g.stride) + 1,
    Math.floor((w + 2 * g.pad - g.kw) / g.stride) + 1,
  ];
}

/** Output height and width of a transposed convolution: (H − 1)s − 2p + k. */
export function transposedSize(h: number, w: number, g: Geometry): [number, number] {
  return [(h - 1) * g.stride - 2 * g.pad + g.kh, (w - 1) * g.stride - 2 * g.pad + g.kw];
}
