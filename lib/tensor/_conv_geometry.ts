// The checks of a convolution's operands and options, and the output sizes
// they give (lib/tensor/conv.ts).
import { assertTensor } from "./_validate.ts";
import { readOptions } from "../math/_options.ts";

/** A convolution's checked options and its filter's height and width. */
export interface Geometry {
  stride: number;
  pad: number;
  inputGradient: boolean;
  kh: number;
  kw: number;
}

/** Reads stride, pad and inputGradient, pad against a kh × kw filter. */
function checkOptions(what: string, options: unknown, kh: number, kw: number): Geometry {
  const o = readOptions(what, options, ["stride", "pad", "inputGradient"]);
  const stride = o.int("stride", { min: 1 });
  const pad = o.int("pad", {
    min: 0,
    max: Math.min(kh, kw) - 1,
    why: `one less than the filter's size ${kh}×${kw}`,
  });
  return { stride, pad, inputGradient: o.boolean("inputGradient", true), kh, kw };
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
export function convSize(h: number, w: number, g: Geometry): [number, number] {
  return [
    Math.floor((h + 2 * g.pad - g.kh) / g.stride) + 1,
    Math.floor((w + 2 * g.pad - g.kw) / g.stride) + 1,
  ];
}

/** Output height and width of a transposed convolution: (H − 1)s − 2p + k. */
export function transposedSize(h: number, w: number, g: Geometry): [number, number] {
  return [(h - 1) * g.stride - 2 * g.pad + g.kh, (w - 1) * g.stride - 2 * g.pad + g.kw];
}
