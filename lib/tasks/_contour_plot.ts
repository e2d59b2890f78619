// Density contours with Gaussian ellipses over them (d3-contour), on the
// frame and axes of _svg.ts.
// @ts-types="@types/d3-scale"
import { scaleLinear } from "d3-scale";
// @ts-types="@types/d3-shape"
import { line } from "d3-shape";
// @ts-types="@types/d3-contour"
import { contours } from "d3-contour";
import { escapeHtml } from "./_markup.ts";
import { axes, type Frame, svg } from "./_svg.ts";

/** A Gaussian drawn by {@linkcode contourPlot} as its 1σ and 2σ ellipses. */
export interface Ellipse {
  name: string;
  loc: ArrayLike<number>;
  /** 2 × 2 covariance, flat. */
  covariance: ArrayLike<number>;
  color: string;
}

/**
 * Filled density contours of a 2-D log-density on a grid, with Gaussians
 * drawn as their 1σ and 2σ ellipses over them.
 */
export function contourPlot(o: {
  title: string;
  logDensity: (x: number, y: number) => number;
  xDomain: [number, number];
  yDomain: [number, number];
  ellipses: Ellipse[];
  grid?: number;
  size?: number;
}): string {
  const n = o.grid ?? 120, size = o.size ?? 560;
  const f: Frame = {
    left: 50,
    right: 170,
    top: 28,
    bottom: 40,
    width: size + 220,
    height: size + 68,
  };
  const x = scaleLinear().domain(o.xDomain).range([f.left, f.width - f.right]);
  const y = scaleLinear().domain(o.yDomain).range([f.height - f.bottom, f.top]);
  const values = new Array<number>(n * n);
  let max = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const gx = o.xDomain[0] + ((i + 0.5) / n) * (o.xDomain[1] - o.xDomain[0]);
      const gy = o.yDomain[1] - ((j + 0.5) / n) * (o.yDomain[1] - o.yDomain[0]);
      const v = Math.exp(o.logDensity(gx, gy));
      values[j * n + i] = v;
      if (v > max) max = v;
    }
  }
  const levels = Array.from({ length: 8 }, (_, k) => max * (k + 0.5) / 8.5);
  const sx = (f.width - f.left - f.right) / n, sy = (f.height - f.top - f.bottom) / n;
  const parts = [axes(f, x, y, { title: o.title, xLabel: "z₁", yLabel: "z₂" })];
  const polys = contours().size([n, n]).thresholds(levels)(values);
  polys.forEach((poly, k) => {
    const d = poly.coordinates.map((p) =>
      p.map((ring) =>
        "M" + ring.map((pt) =>
          `${(f.left + pt[0]! * sx).toFixed(1)},${(f.top + pt[1]! * sy).toFixed(1)}`
        ).join("L") + "Z"
      ).join("")
    ).join("");
    const shade = Math.round(235 - (k / levels.length) * 150);
    parts.push(
      `<path d="${d}" fill="rgb(${shade},${shade},${
        Math.min(255, shade + 15)
      })" stroke="#777" stroke-width="0.5"/>`,
    );
  });
  o.ellipses.forEach((e, i) => {
    const [a, b, , c] = [e.covariance[0]!, e.covariance[1]!, e.covariance[2]!, e.covariance[3]!];
    const l11 = Math.sqrt(a), l21 = b / l11, l22 = Math.sqrt(Math.max(c - l21 * l21, 0));
    for (const r of [1, 2]) {
      const pts: [number, number][] = [];
      for (let t = 0; t <= 96; t++) {
        const th = (2 * Math.PI * t) / 96, u = r * Math.cos(th), v = r * Math.sin(th);
        pts.push([x(e.loc[0]! + l11 * u), y(e.loc[1]! + l21 * u + l22 * v)]);
      }
      parts.push(
        `<path d="${line()(pts)}" fill="none" stroke="${e.color}" stroke-width="${
          r === 1 ? 2.5 : 1.5
        }"${r === 2 ? ' stroke-dasharray="6 3"' : ""}/>`,
      );
    }
    parts.push(`<circle cx="${x(e.loc[0]!)}" cy="${y(e.loc[1]!)}" r="3.5" fill="${e.color}"/>`);
    const ly = f.top + 16 + i * 18;
    parts.push(
      `<line x1="${f.width - f.right + 10}" x2="${f.width - f.right + 32}" y1="${ly - 4}" y2="${
        ly - 4
      }" stroke="${e.color}" stroke-width="2.5"/>`,
      `<text x="${f.width - f.right + 36}" y="${ly}">${escapeHtml(e.name)}</text>`,
    );
  });
  parts.push(
    `<text x="${f.width - f.right + 10}" y="${
      f.top + 16 + o.ellipses.length * 18 + 8
    }" fill="#555">solid 1σ, dashed 2σ;</text>`,
  );
  parts.push(
    `<text x="${f.width - f.right + 10}" y="${
      f.top + 30 + o.ellipses.length * 18 + 8
    }" fill="#555">grey: target density</text>`,
  );
  return svg(f.width, f.height, parts.join("\n"));
}
