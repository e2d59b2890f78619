/// <reference lib="dom" />
// The page's DOM and canvas helpers: elements, digit images, a line chart, a
// 2-D density with Gaussian ellipses, a scatter of points.

/** The palette of the package's figures (colour-blind safe). */
export const COLORS = [
  "#0072b2",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#e69f00",
  "#56b4e9",
  "#f0e442",
  "#000000",
  "#999999",
  "#882255",
];

/** A new element with attributes (and listeners, for keys starting with "on") and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | EventListener> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") e.addEventListener(k.slice(2), v);
    else if (typeof v === "boolean") v && e.setAttribute(k, "");
    else e.setAttribute(k, String(v));
  }
  e.append(...children);
  return e;
}

/** A canvas of `width` × `height` CSS pixels, drawn at the screen's resolution. */
export function canvas(width: number, height: number, label: string): HTMLCanvasElement {
  const c = el("canvas", { width, height, role: "img", "aria-label": label });
  c.style.width = `${width}px`;
  c.style.height = `${height}px`;
  return c;
}

/**
 * Draws `count` grey-level images (values in [0, 1], `side` × `side` each)
 * on a grid of `cols` columns, white ink on black as MNIST is.
 */
export function drawImages(
  c: HTMLCanvasElement,
  images: Float32Array,
  count: number,
  cols: number,
  side = 28,
): void {
  const rows = Math.ceil(count / cols);
  const data = new ImageData(cols * side, rows * side);
  for (let k = 0; k < count; k++) {
    const r0 = Math.floor(k / cols) * side, c0 = (k % cols) * side;
    for (let i = 0; i < side * side; i++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, images[k * side * side + i]!)));
      const at = 4 * ((r0 + Math.floor(i / side)) * cols * side + c0 + (i % side));
      data.data.set([v, v, v, 255], at);
    }
  }
  const g = c.getContext("2d")!;
  const off = new OffscreenCanvas(data.width, data.height);
  off.getContext("2d")!.putImageData(data, 0, 0);
  g.imageSmoothingEnabled = false;
  g.fillStyle = "#000";
  g.fillRect(0, 0, c.width, c.height);
  const scale = Math.min(c.width / data.width, c.height / data.height);
  g.drawImage(off, 0, 0, data.width * scale, data.height * scale);
}

/** A line chart of named series against the step, redrawn on demand. */
export class LineChart {
  readonly canvas: HTMLCanvasElement;
  #series: { name: string; color: string; points: [number, number][] }[];

  constructor(label: string, names: string[], width = 460, height = 220) {
    this.canvas = canvas(width, height, label);
    this.#series = names.map((name, i) => ({
      name,
      color: COLORS[i % COLORS.length]!,
      points: [],
    }));
  }

  /** Adds one point per series (NaN skips one). */
  push(step: number, values: number[]): void {
    values.forEach((v, i) => Number.isFinite(v) && this.#series[i]!.points.push([step, v]));
  }

  /** Forgets every point. */
  clear(): void {
    for (const s of this.#series) s.points.length = 0;
    this.draw();
  }

  /** Draws the axes, the series and the legend. */
  draw(): void {
    const g = this.canvas.getContext("2d")!, { width: w, height: h } = this.canvas;
    const pad = { l: 52, r: 10, t: 10, b: 26 };
    g.clearRect(0, 0, w, h);
    g.font = "11px system-ui, sans-serif";
    const all = this.#series.flatMap((s) => s.points);
    if (all.length === 0) return;
    let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
    let [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
    const X = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r);
    const Y = (y: number) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
    g.strokeStyle = "#888";
    g.fillStyle = "#444";
    g.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
    for (const y of [y0, (y0 + y1) / 2, y1]) g.fillText(y.toPrecision(4), 2, Y(y) + 4);
    g.fillText(`step ${x1}`, w - pad.r - 60, h - 8);
    this.#series.forEach((s, i) => {
      g.strokeStyle = s.color;
      g.beginPath();
      s.points.forEach(([x, y], k) => (k ? g.lineTo(X(x), Y(y)) : g.moveTo(X(x), Y(y))));
      g.stroke();
      g.fillStyle = s.color;
      g.fillText(s.name, pad.l + 8 + 90 * i, pad.t + 14);
    });
  }
}

/** The plotted square [x0, x1] × [y0, y1] and the canvas's size. */
export type View = readonly [number, number, number, number];

/** Canvas coordinates of a point of the view. */
export function toCanvas(c: HTMLCanvasElement, view: View, x: number, y: number): [number, number] {
  return [
    ((x - view[0]) / (view[1] - view[0])) * c.width,
    c.height - ((y - view[2]) / (view[3] - view[2])) * c.height,
  ];
}

/** The point of the view under canvas coordinates (cx, cy). */
export function fromCanvas(
  c: HTMLCanvasElement,
  view: View,
  cx: number,
  cy: number,
): [number, number] {
  return [
    view[0] + (cx / c.width) * (view[1] - view[0]),
    view[2] + (1 - cy / c.height) * (view[3] - view[2]),
  ];
}

/** Paints a density given on an n × n grid (row 0 at the bottom), white to blue. */
export function drawDensity(c: HTMLCanvasElement, density: Float32Array, n: number): void {
  const max = density.reduce((m, v) => Math.max(m, v), 0) || 1;
  const data = new ImageData(n, n);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) {
      const t = Math.sqrt(density[r * n + k]! / max);
      const at = 4 * ((n - 1 - r) * n + k);
      data.data.set([255 - 200 * t, 255 - 140 * t, 255 - 60 * t, 255], at);
    }
  }
  const off = new OffscreenCanvas(n, n);
  off.getContext("2d")!.putImageData(data, 0, 0);
  const g = c.getContext("2d")!;
  g.imageSmoothingEnabled = true;
  g.drawImage(off, 0, 0, c.width, c.height);
}

/** Draws the 1σ and 2σ ellipses of N(mean, cov) in `color`. */
export function drawEllipses(
  c: HTMLCanvasElement,
  view: View,
  mean: number[],
  cov: number[][],
  color: string,
): void {
  const [a, b, d] = [cov[0]![0]!, cov[0]![1]!, cov[1]![1]!];
  // Eigen-decomposition of the 2 × 2 covariance.
  const tr = (a + d) / 2, det = a * d - b * b, disc = Math.sqrt(Math.max(tr * tr - det, 0));
  const l1 = tr + disc, l2 = Math.max(tr - disc, 0);
  const angle = Math.abs(b) < 1e-12 ? (a >= d ? 0 : Math.PI / 2) : Math.atan2(l1 - a, b);
  const g = c.getContext("2d")!;
  g.strokeStyle = color;
  g.lineWidth = 2;
  for (const k of [1, 2]) {
    g.beginPath();
    for (let s = 0; s <= 64; s++) {
      const t = (2 * Math.PI * s) / 64;
      const u = k * Math.sqrt(l1) * Math.cos(t), v = k * Math.sqrt(l2) * Math.sin(t);
      const x = mean[0]! + u * Math.cos(angle) - v * Math.sin(angle);
      const y = mean[1]! + u * Math.sin(angle) + v * Math.cos(angle);
      const [cx, cy] = toCanvas(c, view, x, y);
      s ? g.lineTo(cx, cy) : g.moveTo(cx, cy);
    }
    g.stroke();
  }
  g.lineWidth = 1;
}

/** Dots at points (x, y) of the view, coloured by `colorOf(i)`. */
export function drawPoints(
  c: HTMLCanvasElement,
  view: View,
  xy: ArrayLike<number>,
  colorOf: (i: number) => string,
  radius = 1.6,
): void {
  const g = c.getContext("2d")!;
  for (let i = 0; i < xy.length / 2; i++) {
    const [cx, cy] = toCanvas(c, view, xy[2 * i]!, xy[2 * i + 1]!);
    g.fillStyle = colorOf(i);
    g.beginPath();
    g.arc(cx, cy, radius, 0, 2 * Math.PI);
    g.fill();
  }
}
