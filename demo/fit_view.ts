/// <reference lib="dom" />
// Fit: a posterior playground on 2-D targets. A Gaussian surrogate (mean field
// or full rank) or a normalizing flow (IAF, RealNVP) fitted by the reverse KL
// — fitSurrogatePosterior, maximising the ELBO — or a Gaussian by the forward
// KL — moment matching on exact draws of the target, the M-projection — with
// its draws (and a Gaussian's 1σ and 2σ contours) over the target's density,
// and the ELBO as it climbs.
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../mod.ts";
import {
  type DiagNormal,
  fitSurrogatePosterior,
  flowSurrogate,
  fullRankSurrogate,
  meanFieldSurrogate,
  MultivariateNormal,
  type TrainableSurrogate,
} from "../tensor.ts";
import { canvas, COLORS, drawDensity, drawEllipses, drawPoints, el, LineChart } from "./draw.ts";
import { expose, nextFrame, type PageState } from "./state.ts";
import { type Target, TARGETS } from "./targets.ts";

const GRID = 120;
const REVERSE_STEPS = 1500;
const FORWARD_STEPS = 300;
const SHOWN_DRAWS = 300;
const ELBO_DRAWS = 512;

/** The fitted Gaussian's moments, for the plot and the ELBO. */
interface Moments {
  mean: number[];
  cov: number[][];
}

class Stop extends Error {}

/** n draws of N(mean, cov), row after row, and the mean of log q at them. */
function gaussianDraws(m: Moments, n: number, normal: () => number) {
  const l00 = Math.sqrt(m.cov[0]![0]!), l10 = m.cov[1]![0]! / l00;
  const l11 = Math.sqrt(Math.max(m.cov[1]![1]! - l10 * l10, 1e-12));
  const z = new Float32Array(2 * n);
  let logQ = 0;
  for (let i = 0; i < n; i++) {
    const e0 = normal(), e1 = normal();
    z[2 * i] = m.mean[0]! + l00 * e0;
    z[2 * i + 1] = m.mean[1]! + l10 * e0 + l11 * e1;
    logQ += -0.5 * (e0 * e0 + e1 * e1) - Math.log(2 * Math.PI * l00 * l11);
  }
  return { z, meanLogQ: logQ / n };
}

/** An estimate of ELBO(q) = E_q[log p(z) − log q(z)] from `ELBO_DRAWS` draws of q = N(mean, cov). */
function elboOf(target: Target, m: Moments, normal: () => number): number {
  const { z, meanLogQ } = gaussianDraws(m, ELBO_DRAWS, normal);
  const logP = tf.tidy(() =>
    tf.mean(target.logProb(tf.tensor2d(z, [ELBO_DRAWS, 2]))).dataSync()[0]!
  );
  return logP - meanLogQ;
}

/** The current moments of a fitted surrogate. */
function momentsOf(q: TrainableSurrogate): Moments {
  const [mean, cov] = q.withDistribution((d) => {
    const m = d.mean();
    if (d instanceof MultivariateNormal) {
      return [m, tf.matMul(d.scaleTril, d.scaleTril, false, true)];
    }
    return [m, tf.diag((d as DiagNormal).variance())];
  });
  const out = { mean: Array.from(mean!.dataSync()), cov: cov!.arraySync() as number[][] };
  tf.dispose([mean!, cov!]);
  return out;
}

/** Builds the Fit view; `autostart` (from `/?fit=banana`) fits that target at once. */
export function fitView(_page: PageState, autostart?: string): HTMLElement {
  const targetMenu = el(
    "select",
    { id: "target" },
    ...Object.values(TARGETS).map((t) => el("option", { value: t.key }, t.label)),
  );
  const surrogateMenu = el(
    "select",
    { id: "surrogate" },
    el("option", { value: "full" }, "full-rank Gaussian"),
    el("option", { value: "mean" }, "mean-field Gaussian"),
    el("option", { value: "iaf" }, "IAF flow, 4 layers"),
    el("option", { value: "realnvp" }, "RealNVP flow, 4 layers"),
  );
  const divergenceMenu = el(
    "select",
    { id: "divergence" },
    el("option", { value: "reverse" }, "reverse KL(q ‖ p): maximise the ELBO"),
    el("option", { value: "forward" }, "forward KL(p ‖ q): match moments"),
  );
  const start = el("button", { type: "button", id: "fit-start" }, "Fit");
  const stop = el("button", { type: "button", id: "fit-stop", disabled: true }, "Stop");
  const formula = el("p", { class: "formula" });
  const status = el("p", { class: "status", "aria-live": "polite" });
  const plot = canvas(380, 380, "the target's density with the surrogate's contours and draws");
  const chart = new LineChart("the ELBO per step", ["ELBO"], 380, 200);
  let running = 0, density: Float32Array | undefined, densityOf = "";

  const drawTarget = (target: Target) => {
    if (densityOf !== target.key) {
      const [x0, x1, y0, y1] = target.view, pts = new Float32Array(2 * GRID * GRID);
      for (let r = 0; r < GRID; r++) {
        for (let k = 0; k < GRID; k++) {
          pts[2 * (r * GRID + k)] = x0 + ((k + 0.5) / GRID) * (x1 - x0);
          pts[2 * (r * GRID + k) + 1] = y0 + ((r + 0.5) / GRID) * (y1 - y0);
        }
      }
      density = tf.tidy(() =>
        tf.exp(target.logProb(tf.tensor2d(pts, [GRID * GRID, 2]))).dataSync()
      ) as Float32Array;
      densityOf = target.key;
    }
    drawDensity(plot, density!, GRID);
    formula.textContent =
      `Target: ${target.formula}  (normalized: log Z = 0, so ELBO = −KL(q ‖ p) ≤ 0)`;
  };

  const show = (
    target: Target,
    m: Moments | undefined,
    draws: ArrayLike<number>,
    step: number,
    elbo: number,
  ) => {
    drawTarget(target);
    drawPoints(plot, target.view, draws, () => COLORS[1]!, 1.3);
    // (A flow is no Gaussian: its draws show it, without ellipses.)
    if (m) drawEllipses(plot, target.view, m.mean, m.cov, COLORS[1]!);
    chart.push(step, [elbo]);
    chart.draw();
    expose("fitStep", step);
    expose("fitElbo", elbo);
    if (step === 1) expose("firstFitElbo", elbo);
    status.textContent = `Step ${step} · ELBO ${elbo.toFixed(3)} nats`;
  };

  const run = async () => {
    const mine = ++running;
    const target = TARGETS[targetMenu.value as Target["key"]];
    const kind = surrogateMenu.value, forward = divergenceMenu.value === "forward";
    const full = kind === "full", flow = kind === "iaf" || kind === "realnvp";
    if (flow && forward) {
      status.textContent =
        "Moment matching fits a Gaussian: choose the reverse KL for a flow (or a Gaussian surrogate).";
      return;
    }
    const rng = createRng(7), normal = () => rng.normal(), uniform = () => rng.uniform();
    const alive = () => mine === running;
    chart.clear();
    start.disabled = true;
    stop.disabled = false;
    try {
      if (forward) {
        // Running moments of exact target draws: the M-projection, argmin KL(p ‖ q).
        let n = 0;
        const mean = [0, 0], m2 = [[0, 0], [0, 0]];
        for (let step = 1; step <= FORWARD_STEPS && alive(); step++) {
          const xs = target.sample(64, normal, uniform);
          for (let i = 0; i < 64; i++) {
            n++;
            const d = [xs[2 * i]! - mean[0]!, xs[2 * i + 1]! - mean[1]!];
            mean[0]! += d[0]! / n;
            mean[1]! += d[1]! / n;
            const e = [xs[2 * i]! - mean[0]!, xs[2 * i + 1]! - mean[1]!];
            for (const a of [0, 1]) for (const b of [0, 1]) m2[a]![b]! += d[a]! * e[b]!;
          }
          const cov = m2.map((row, a) => row.map((v, b) => (full || a === b ? v / (n - 1) : 0)));
          if (step % 5 === 0 || step === 1) {
            const m = { mean: [...mean], cov };
            const draws = gaussianDraws(m, SHOWN_DRAWS, normal).z;
            show(target, m, draws, step, elboOf(target, m, normal));
            await nextFrame();
          }
        }
      } else {
        const q = flow
          ? flowSurrogate(2, { flow: kind as "iaf" | "realnvp", layers: 4, seed: 3 })
          : full
          ? fullRankSurrogate(2, { seed: 3 })
          : meanFieldSurrogate(2, { seed: 3 });
        const recent: number[] = [];
        try {
          await fitSurrogatePosterior(target.logProb, q, {
            steps: REVERSE_STEPS,
            samples: 32,
            learningRate: flow ? 0.005 : 0.05,
            seed: 7,
            onStep: async ({ step, loss }) => {
              if (!alive()) throw new Stop();
              recent.push(-loss);
              if (recent.length > 10) recent.shift();
              if (step % 10 !== 0 && step !== 1) return;
              const draws = tf.tidy(() => q.sample(SHOWN_DRAWS, step).dataSync());
              const elbo = recent.reduce((a, b) => a + b, 0) / recent.length;
              show(target, flow ? undefined : momentsOf(q), draws, step, elbo);
              await nextFrame();
            },
          });
        } finally {
          q.dispose();
        }
      }
      if (alive()) status.textContent += " · done";
    } catch (e) {
      if (!(e instanceof Stop)) status.textContent = `The fit failed: ${(e as Error).message}`;
    } finally {
      if (alive()) {
        start.disabled = false;
        stop.disabled = true;
      }
    }
  };

  start.addEventListener("click", run);
  stop.addEventListener("click", () => {
    running++;
    start.disabled = false;
    stop.disabled = true;
    status.textContent += " · stopped";
  });
  targetMenu.addEventListener(
    "change",
    () => drawTarget(TARGETS[targetMenu.value as Target["key"]]),
  );
  if (autostart && autostart in TARGETS) targetMenu.value = autostart;
  queueMicrotask(() => {
    drawTarget(TARGETS[targetMenu.value as Target["key"]]);
    if (autostart) run();
  });

  return el(
    "section",
    { id: "fit", "aria-label": "Fit" },
    el("h2", {}, "Fit a posterior"),
    el(
      "div",
      { class: "controls" },
      el("label", {}, "target ", targetMenu),
      el("label", {}, "surrogate ", surrogateMenu),
      el("label", {}, "divergence ", divergenceMenu),
      start,
      stop,
    ),
    formula,
    el("div", { class: "row" }, plot, el("div", {}, status, chart.canvas)),
  );
}
