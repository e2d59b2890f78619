// Small multiples for a sweep's report: one panel per score against β, each
// seed's point beside the mean, the x axis spanning exactly the grid — the
// spread across seeds is the finding (Locatello et al. 2019), so it is
// drawn, not averaged away.
// @ts-types="@types/d3-scale"
import { scaleLinear, scaleLog } from "d3-scale";
import { escapeHtml } from "./_markup.ts";
import { PALETTE, svg } from "./_svg.ts";

/** One panel: a title and the points (x, y) of every seed. */
export interface Panel {
  title: string;
  points: { x: number; y: number }[];
}

/** Panels in a row of up to `columns`, sharing a log x axis over the grid's values and a y axis from 0 to 1. */
export function smallMultiples(
  panels: readonly Panel[],
  o: { xLabel: string; xs: readonly number[]; columns?: number },
): string {
  const cols = Math.min(o.columns ?? 4, panels.length), rows = Math.ceil(panels.length / cols);
  const pw = 200, ph = 170, m = { left: 38, right: 10, top: 26, bottom: 34 };
  const W = cols * pw, H = rows * ph;
  const lo = Math.min(...o.xs), hi = Math.max(...o.xs);
  const parts: string[] = [];
  panels.forEach((p, i) => {
    const ox = (i % cols) * pw, oy = Math.floor(i / cols) * ph;
    const x = scaleLog().domain([lo / 1.25, hi * 1.25]).range([ox + m.left, ox + pw - m.right]);
    const y = scaleLinear().domain([0, 1]).range([oy + ph - m.bottom, oy + m.top]);
    parts.push(
      `<text x="${ox + pw / 2}" y="${oy + 16}" text-anchor="middle" font-weight="bold">${
        escapeHtml(p.title)
      }</text>`,
      `<rect x="${ox + m.left}" y="${oy + m.top}" width="${pw - m.left - m.right}" height="${
        ph - m.top - m.bottom
      }" fill="none" stroke="#333"/>`,
    );
    for (const t of [0, 0.5, 1]) {
      parts.push(
        `<line x1="${ox + m.left}" x2="${ox + pw - m.right}" y1="${y(t)}" y2="${
          y(t)
        }" stroke="#eee"/>`,
        `<text x="${ox + m.left - 4}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
      );
    }
    for (const v of o.xs) {
      parts.push(
        `<text x="${x(v)}" y="${oy + ph - m.bottom + 14}" text-anchor="middle">${v}</text>`,
      );
    }
    parts.push(
      `<text x="${ox + (m.left + pw - m.right) / 2}" y="${oy + ph - 6}" text-anchor="middle">${
        escapeHtml(o.xLabel)
      }</text>`,
    );
    // The mean over seeds as a line, every seed as a dot.
    const means = o.xs.map((v) => {
      const ys = p.points.filter((q) => q.x === v).map((q) => q.y);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : NaN;
    });
    const path = o.xs.map((v, j) => [x(v), y(means[j]!)] as const).filter(([, py]) =>
      Number.isFinite(py)
    );
    if (path.length > 1) {
      parts.push(
        `<polyline points="${path.map(([a, b]) => `${a},${b}`).join(" ")}" fill="none" stroke="${
          PALETTE[0]
        }" stroke-width="1.5"/>`,
      );
    }
    for (const q of p.points) {
      parts.push(
        `<circle cx="${x(q.x)}" cy="${y(q.y)}" r="3" fill="${PALETTE[1]}" fill-opacity="0.7"/>`,
      );
    }
  });
  return svg(W, H, parts.join("\n"));
}

/**
 * Figures (whole SVG documents of one size) side by side in rows of
 * `columns`, as one SVG.
 */
export function panelGrid(
  figures: readonly string[],
  o: { width: number; height: number; columns: number },
): string {
  const cols = Math.min(o.columns, figures.length), rows = Math.ceil(figures.length / cols);
  const placed = figures.map((f, i) =>
    f.replace(
      /^<svg /,
      `<svg x="${(i % cols) * o.width}" y="${Math.floor(i / cols) * o.height}" `,
    )
  );
  return svg(cols * o.width, rows * o.height, placed.join("\n"));
}
