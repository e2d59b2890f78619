/// <reference lib="dom" />
// Train: a VAE on the embedded digits, started, paused and resumed from the
// page, a few steps per frame so the page stays responsive; a live chart of
// the loss and its terms, steps per second, and test digits beside their
// reconstructions.
import * as tf from "@tensorflow/tfjs";
import { Batches, VAE } from "../models.ts";
import { canvas, drawImages, el, LineChart } from "./draw.ts";
import { expose, nextFrame, type PageState } from "./state.ts";

/** Milliseconds of training per frame: the rest of the frame is the page's. */
const FRAME_BUDGET_MS = 30;
const BATCH = 64;
const SHOWN = 10;

/** Builds the Train view; `autostart` starts training at once (`/?train`). */
export function trainView(page: PageState, autostart: boolean): HTMLElement {
  const latent = el("input", { type: "number", min: 1, max: 32, value: 2, id: "latent" });
  const beta = el("input", { type: "number", min: 0.1, max: 64, step: 0.1, value: 1, id: "beta" });
  const hidden = el(
    "select",
    { id: "hidden" },
    ...[64, 128, 256, 512].map((h) =>
      el("option", { value: h, ...(h === 256 ? { selected: true } : {}) }, String(h))
    ),
  );
  const start = el("button", { type: "button" }, "Start");
  const pause = el("button", { type: "button", disabled: true }, "Pause");
  const status = el("p", { class: "status", "aria-live": "polite" }, "Not started.");
  const chart = new LineChart("loss, reconstruction and KL per step", ["loss", "rec", "KL"]);
  const images = canvas(SHOWN * 28 * 2, 2 * 28 * 2, "test digits (top) and reconstructions");

  let running = false, step = 0, firstLoss = NaN, generation = 0;
  let batches: Batches | undefined;
  const shownInput = page.test.images.subarray(0, SHOWN * 784);

  const showReconstructions = () => {
    const vae = page.model;
    if (!vae) return;
    const out = tf.tidy(() => vae.reconstruct(tf.tensor2d(shownInput, [SHOWN, 784])).dataSync());
    const both = new Float32Array(2 * SHOWN * 784);
    both.set(shownInput);
    both.set(out, SHOWN * 784);
    drawImages(images, both, 2 * SHOWN, SHOWN);
  };

  const loop = async (mine: number) => {
    let shownAt = 0, rateFrom = performance.now(), rateSteps = 0;
    while (running && mine === generation) {
      const vae = page.model!, t0 = performance.now();
      do {
        const perEpoch = Math.floor(page.train.count / BATCH);
        const batch = batches!.batch(Math.floor(step / perEpoch), step % perEpoch);
        const r = await vae.trainStep(batch);
        step++;
        rateSteps++;
        if (step === 1) firstLoss = r.loss;
        chart.push(step, [r.loss, r.terms.reconstruction ?? NaN, r.terms.kl ?? NaN]);
        expose("step", step);
        expose("loss", r.loss);
        expose("firstLoss", firstLoss);
      } while (performance.now() - t0 < FRAME_BUDGET_MS && running && mine === generation);
      const now = performance.now();
      const rate = (1000 * rateSteps) / (now - rateFrom);
      if (now - rateFrom > 2000) [rateFrom, rateSteps] = [now, 0];
      expose("stepsPerSecond", rate.toFixed(1));
      status.textContent = `Step ${step} · ${rate.toFixed(1)} steps/s on ${page.backend} · loss ${
        document.body.dataset.loss ? Number(document.body.dataset.loss).toFixed(2) : "–"
      } nats per digit`;
      chart.draw();
      if (now - shownAt > 500) {
        showReconstructions();
        shownAt = now;
      }
      await nextFrame();
    }
  };

  const begin = () => {
    const k = Number(latent.value), b = Number(beta.value), h = Number(hidden.value);
    if (!(Number.isInteger(k) && k >= 1 && k <= 32)) {
      status.textContent =
        `Latent size must be a whole number from 1 to 32: it is ${latent.value}.`;
      return;
    }
    if (!(b > 0 && b <= 64)) {
      status.textContent = `β must be a number in (0, 64]: it is ${beta.value}.`;
      return;
    }
    generation++;
    page.model?.dispose();
    page.model = new VAE({
      inputSize: 784,
      hiddenSizes: [h],
      latentSize: k,
      objective: b === 1 ? { kind: "elbo" } : { kind: "beta", beta: b },
      seed: 1,
    });
    batches = new Batches(page.train, { batchSize: BATCH, seed: 1, binarize: true });
    step = 0;
    firstLoss = NaN;
    chart.clear();
    page.onModel.forEach((f) => f());
    running = true;
    pause.disabled = false;
    pause.textContent = "Pause";
    start.textContent = "Restart";
    loop(generation);
  };

  start.addEventListener("click", begin);
  pause.addEventListener("click", () => {
    if (!page.model || !batches) return;
    running = !running;
    pause.textContent = running ? "Pause" : "Resume";
    if (running) loop(generation);
    else status.textContent = `Paused at step ${step}.`;
  });
  page.onModel.push(() => {
    // A model opened with --model: shown, not trained (Start trains a new one).
    if (!batches) showReconstructions();
  });
  if (autostart) queueMicrotask(begin);

  return el(
    "section",
    { id: "train", "aria-label": "Train" },
    el("h2", {}, "Train a VAE on MNIST digits"),
    el(
      "div",
      { class: "controls" },
      el("label", {}, "latent size ", latent),
      el("label", {}, "β ", beta),
      el("label", {}, "hidden width ", hidden),
      start,
      pause,
    ),
    status,
    chart.canvas,
    el("h3", {}, "Test digits and their reconstructions"),
    images,
  );
}
