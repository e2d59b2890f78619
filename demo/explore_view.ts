/// <reference lib="dom" />
// Explore: one slider per latent dimension decoding in real time, a grid of
// draws from the prior, and for a 2-D latent a clickable map of the latent
// plane with the test digits' encodings coloured by class.
import * as tf from "@tensorflow/tfjs";
import { canvas, COLORS, drawImages, drawPoints, el, fromCanvas, type View } from "./draw.ts";
import { expose, type PageState } from "./state.ts";

const RANGE = 3;
const MAPPED = 1000;

/** Builds the Explore view; it follows the page's model. */
export function exploreView(page: PageState): HTMLElement {
  const note = el(
    "p",
    { class: "status" },
    "Train a model (or open one with --model) to explore it.",
  );
  const sliders = el("div", { class: "sliders" });
  const decoded = canvas(168, 168, "the digit decoded from the sliders' latent point");
  decoded.id = "decoded";
  const grid = canvas(8 * 28 * 1.5, 8 * 28 * 1.5, "64 digits decoded from draws of the prior");
  const resample = el("button", { type: "button" }, "New draws");
  const map = canvas(360, 360, "the latent plane: test digits' encodings coloured by class");
  const legend = el("p", { class: "legend" });
  const mapBlock = el(
    "div",
    { hidden: true },
    el("h3", {}, "The latent plane (click to decode)"),
    map,
    legend,
  );
  let inputs: HTMLInputElement[] = [], seed = 1, pending = false;
  let mapView: View = [-RANGE, RANGE, -RANGE, RANGE];
  let encodings: Float32Array | undefined;

  const decode = () => {
    pending = false;
    const vae = page.model;
    if (!vae) return;
    const z = inputs.map((i) => Number(i.value));
    const image = tf.tidy(() => vae.decodeMean(tf.tensor2d(z, [1, z.length])).dataSync());
    drawImages(decoded, image as Float32Array, 1, 1);
    expose("latent", z.map((v) => v.toFixed(2)).join(","));
    if (encodings) drawMap(z);
  };
  const schedule = () => {
    if (!pending) requestAnimationFrame(decode);
    pending = true;
  };

  const drawMap = (z?: number[]) => {
    const g = map.getContext("2d")!;
    g.fillStyle = "#fff";
    g.fillRect(0, 0, map.width, map.height);
    drawPoints(map, mapView, encodings!, (i) => COLORS[page.test.labels[i]!]!);
    if (z) drawPoints(map, mapView, z, () => "#000", 5);
  };

  const drawPrior = () => {
    const vae = page.model;
    if (!vae) return;
    const images = tf.tidy(() => vae.sample(64, seed++).dataSync());
    drawImages(grid, images as Float32Array, 64, 8);
  };

  const rebuild = () => {
    const vae = page.model;
    if (!vae) return;
    note.textContent =
      `A VAE with ${vae.latentSize} latent dimensions; the sliders set z, the decoder draws E[x | z].`;
    inputs = Array.from({ length: vae.latentSize }, (_, j) =>
      el("input", {
        type: "range",
        min: -RANGE,
        max: RANGE,
        step: 0.05,
        value: 0,
        "aria-label": `latent dimension ${j + 1}`,
        oninput: schedule,
      }));
    sliders.replaceChildren(
      ...inputs.map((input, j) => el("label", {}, `z${j + 1} `, input)),
    );
    mapBlock.hidden = vae.latentSize !== 2;
    encodings = undefined;
    if (vae.latentSize === 2) {
      const n = Math.min(MAPPED, page.test.count);
      encodings = tf.tidy(() =>
        vae.embed(tf.tensor2d(page.test.images.subarray(0, n * 784), [n, 784])).dataSync()
      ) as Float32Array;
      const extent = Math.max(RANGE, ...Array.from(encodings, Math.abs)) * 1.05;
      mapView = [-extent, extent, -extent, extent];
      legend.replaceChildren(
        ...COLORS.map((c, d) => el("span", { style: `color:${c}` }, `● ${d} `)),
      );
    }
    decode();
    drawPrior();
  };

  map.addEventListener("click", (e) => {
    if (!encodings) return;
    const r = map.getBoundingClientRect();
    const [x, y] = fromCanvas(
      map,
      mapView,
      (e.clientX - r.left) * (map.width / r.width),
      (e.clientY - r.top) * (map.height / r.height),
    );
    inputs[0]!.value = String(x);
    inputs[1]!.value = String(y);
    schedule();
  });
  resample.addEventListener("click", drawPrior);
  page.onModel.push(rebuild);

  const section = el(
    "section",
    { id: "explore", "aria-label": "Explore" },
    el("h2", {}, "Explore the latent space"),
    note,
    el("div", { class: "row" }, sliders, decoded),
    mapBlock,
    el("h3", {}, "Draws from the prior p(z) = N(0, I), decoded"),
    resample,
    grid,
  );
  // Shown again (a model trained meanwhile): refresh.
  (section as HTMLElement & { refresh?: () => void }).refresh = rebuild;
  return section;
}
