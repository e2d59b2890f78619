// Bar charts for the reports: one bar per item, from zero, largest first —
// how the KL of each latent is read (the informative latents, then the
// collapsed ones), and how Locatello et al. (2019) show it.
// @ts-types="@types/d3-scale"
import { scaleBand, scaleLinear } from "d3-scale";
import { escapeHtml } from "./_markup.ts";
import { axes, type Frame, PALETTE, svg } from "./_svg.ts";

/** What {@linkcode barPlot} draws. */
export interface BarPlotOptions {
  /** The title above the plot. */
  title: string;
  /** The axis label under the bars. */
  xLabel: string;
  /** The value axis label. */
  yLabel: string;
  /** The bars' labels (a latent's index), one per value. */
  labels: readonly string[];
  /** The values; drawn from zero, largest first. */
  values: readonly number[];
  /** The width in pixels (default 790). */
  width?: number;
  /** The height in pixels (default 360). */
  height?: number;
  /** The top of the value axis (default: the largest value), to share one axis across panels. */
  top?: number;
}

/** A bar chart, bars sorted by value (largest first), the value axis from zero. */
export function barPlot(o: BarPlotOptions): string {
  const f: Frame = {
    left: 64,
    right: 24,
    top: 32,
    bottom: 46,
    width: o.width ?? 790,
    height: o.height ?? 360,
  };
  const order = o.values.map((_, i) => i).sort((a, b) => o.values[b]! - o.values[a]!);
  const top = o.top ?? Math.max(0, ...o.values.filter(Number.isFinite));
  const y = scaleLinear().domain([0, top > 0 ? top : 1]).nice().range([f.height - f.bottom, f.top]);
  const band = scaleBand<number>().domain(order).range([f.left, f.width - f.right]).padding(0.2);
  // The value axis carries the grid; the category axis has no numeric ticks.
  const none = Object.assign((v: number) => v, { ticks: () => [] as number[] });
  const parts = [axes(f, none, y, o)];
  for (const i of order) {
    const v = o.values[i]!, x0 = band(i)!, w = band.bandwidth();
    const h = Number.isFinite(v) ? Math.max(0, y(0) - y(Math.max(0, v))) : 0;
    parts.push(
      `<rect x="${x0}" y="${y(0) - h}" width="${w}" height="${h}" fill="${PALETTE[0]}"><title>${
        escapeHtml(`${o.labels[i]}: ${v}`)
      }</title></rect>`,
      `<text x="${x0 + w / 2}" y="${f.height - f.bottom + 14}" text-anchor="middle">${
        escapeHtml(o.labels[i]!)
      }</text>`,
    );
  }
  return svg(f.width, f.height, parts.join("\n"));
}
