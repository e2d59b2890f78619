// SVG figures for the tasks: the shared frame and axes (d3-scale for scales
// and ticks), line plots (d3-shape for the paths) and scatter plots; density
// contours are in _contour_plot.ts. The output is plain SVG text that any
// browser opens.
// @ts-types="@types/d3-scale"
import { scaleLinear, scaleLog } from "d3-scale";
// @ts-types="@types/d3-shape"
import { line } from "d3-shape";
import { escapeHtml } from "./_markup.ts";

/** A categorical palette: Okabe–Ito's eight colours (legible to colour-blind readers), then two more for ten classes. */
export const PALETTE = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#F0E442",
  "#000000",
  "#999999",
  "#882255",
];

/** One line of a {@linkcode linePlot}: its legend name, points, colour and dash. */
export interface Series {
  /** The legend entry. */
  name: string;
  /** The x values. */
  x: ArrayLike<number>;
  /** The y values, one per x; non-finite points (and ≤ 0 on a log axis) are skipped. */
  y: ArrayLike<number>;
  /** A CSS colour (default: the next colour of {@linkcode PALETTE}). */
  color?: string;
  /** Draw the line dashed. */
  dashed?: boolean;
}

/** What {@linkcode linePlot} draws, and how. */
export interface LinePlotOptions {
  /** The title above the plot. */
  title: string;
  /** The x-axis label. */
  xLabel: string;
  /** The y-axis label. */
  yLabel: string;
  /** The lines. */
  series: Series[];
  /** A logarithmic x axis. */
  xLog?: boolean;
  /** A logarithmic y axis. */
  yLog?: boolean;
  /** The width in pixels (default 790). */
  width?: number;
  /** The height in pixels (default 420). */
  height?: number;
}

/** The plot area of a figure: its size and the margins around the axes, in pixels. */
export interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

/** What `axes` needs of a d3 scale. */
interface Axis {
  (v: number): number;
  ticks(n?: number): number[];
}

/** The grid, tick labels, frame, title and axis labels of a figure. */
export function axes(
  f: Frame,
  x: Axis,
  y: Axis,
  o: { title: string; xLabel: string; yLabel: string },
): string {
  const parts: string[] = [];
  const xt = x.ticks(6), yt = y.ticks(6), xf = tickLabel(x), yf = tickLabel(y);
  for (const t of xt) {
    const px = x(t);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#eee"/>`,
    );
    const label = xf(t);
    if (label) {
      parts.push(
        `<text x="${px}" y="${f.height - f.bottom + 16}" text-anchor="middle">${
          escapeHtml(label)
        }</text>`,
      );
    }
  }
  for (const t of yt) {
    const py = y(t);
    parts.push(
      `<line x1="${f.left}" x2="${f.width - f.right}" y1="${py}" y2="${py}" stroke="#eee"/>`,
    );
    const label = yf(t);
    if (label) {
      parts.push(
        `<text x="${f.left - 6}" y="${py + 4}" text-anchor="end">${escapeHtml(label)}</text>`,
      );
    }
  }
  parts.push(
    `<rect x="${f.left}" y="${f.top}" width="${f.width - f.left - f.right}" height="${
      f.height - f.top - f.bottom
    }" fill="none" stroke="#333"/>`,
    `<text x="${f.width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${
      escapeHtml(o.title)
    }</text>`,
    `<text x="${(f.left + f.width - f.right) / 2}" y="${f.height - 6}" text-anchor="middle">${
      escapeHtml(o.xLabel)
    }</text>`,
    `<text transform="translate(14 ${
      (f.top + f.height - f.bottom) / 2
    }) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}</text>`,
  );
  return parts.join("\n");
}

/**
 * Tick labels: plain numbers (no SI prefixes, no exponent between 1e-3 and
 * 1e5); on a log axis only the ticks 1, 2 and 5 × 10ⁿ are labelled.
 */
function tickLabel(scale: unknown): (v: number) => string {
  const log = typeof (scale as { base?: unknown }).base === "function";
  return (v: number) => {
    if (log) {
      const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
      if (![1, 2, 5].some((k) => Math.abs(m - k) < 1e-6)) return "";
    }
    const a = Math.abs(v);
    if (v !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(0).replace("e+", "e");
    return String(Number(v.toPrecision(6)));
  };
}

/** Wraps a figure's body in an SVG document on a white background. */
export function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}

function extent(values: number[], log: boolean): [number, number] {
  const v = values.filter((a) => Number.isFinite(a) && (!log || a > 0));
  let lo = Math.min(...v), hi = Math.max(...v);
  if (!(lo < hi)) [lo, hi] = log ? [lo / 2, hi * 2 || 1] : [lo - 1, hi + 1];
  return [lo, hi];
}

/** A line plot with a legend; log axes on request. */
export function linePlot(o: LinePlotOptions): string {
  const f: Frame = {
    left: 64,
    right: 200,
    top: 28,
    bottom: 40,
    width: o.width ?? 790,
    height: o.height ?? 420,
  };
  const xs = o.series.flatMap((s) => Array.from(s.x)),
    ys = o.series.flatMap((s) => Array.from(s.y));
  const x = (o.xLog ? scaleLog() : scaleLinear()).domain(extent(xs, !!o.xLog)).range([
    f.left,
    f.width - f.right,
  ]).nice();
  const y = (o.yLog ? scaleLog() : scaleLinear()).domain(extent(ys, !!o.yLog)).range([
    f.height - f.bottom,
    f.top,
  ]).nice();
  const parts = [axes(f, x, y, o)];
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts: [number, number][] = [];
    for (let j = 0; j < s.x.length; j++) {
      const xv = s.x[j]!, yv = s.y[j]!;
      if (
        Number.isFinite(xv) && Number.isFinite(yv) && (!o.xLog || xv > 0) && (!o.yLog || yv > 0)
      ) pts.push([x(xv), y(yv)]);
    }
    const d = line()(pts) ?? "";
    parts.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${
        s.dashed ? ' stroke-dasharray="5 3"' : ""
      }/>`,
    );
    if (pts.length <= 12) {
      for (const [px, py] of pts) {
        parts.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"/>`);
      }
    }
    const ly = f.top + 14 + i * 16;
    parts.push(
      `<line x1="${f.width - f.right + 10}" x2="${f.width - f.right + 30}" y1="${ly - 4}" y2="${
        ly - 4
      }" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ""}/>`,
      `<text x="${f.width - f.right + 34}" y="${ly}">${escapeHtml(s.name)}</text>`,
    );
  });
  return svg(f.width, f.height, parts.join("\n"));
}

/** A scatter plot of labelled 2-D points (e.g. test encodings coloured by digit). */
export function scatterPlot(o: {
  title: string;
  xLabel: string;
  yLabel: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  labels: ArrayLike<number>;
  labelNames?: string[];
}): string {
  const f: Frame = { left: 64, right: 150, top: 28, bottom: 40, width: 720, height: 560 };
  const xs = Array.from(o.x), ys = Array.from(o.y);
  const x = scaleLinear().domain(extent(xs, false)).range([f.left, f.width - f.right]).nice();
  const y = scaleLinear().domain(extent(ys, false)).range([f.height - f.bottom, f.top]).nice();
  const colors = PALETTE;
  const parts = [axes(f, x, y, o)];
  for (let i = 0; i < xs.length; i++) {
    parts.push(
      `<circle cx="${x(xs[i]!).toFixed(1)}" cy="${y(ys[i]!).toFixed(1)}" r="2.2" fill="${
        colors[o.labels[i]! % 10]
      }" fill-opacity="0.7"/>`,
    );
  }
  const names = o.labelNames ?? Array.from({ length: 10 }, (_, i) => String(i));
  names.forEach((n, i) => {
    const ly = f.top + 14 + i * 16;
    parts.push(
      `<circle cx="${f.width - f.right + 16}" cy="${ly - 4}" r="5" fill="${colors[i]}"/>`,
      `<text x="${f.width - f.right + 26}" y="${ly}">${escapeHtml(n)}</text>`,
    );
  });
  return svg(f.width, f.height, parts.join("\n"));
}
