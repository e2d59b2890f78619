/// <reference lib="dom" />
// What the page's three views share: the backend, the digits, the model, and
// the dataset attributes a test reads (document.body.dataset).
import type { Dataset, VAE } from "../models.ts";

/** The page's shared state. */
export interface PageState {
  /** The backend that runs ("webgl", "wasm" or "cpu"). */
  backend: string;
  /** The embedded MNIST digits, served by `deno task demo`. */
  train: Dataset;
  /** The held-out digits the views show. */
  test: Dataset;
  /** The model the Explore view shows: trained here, or opened with `--model`. */
  model?: VAE;
  /** Called when `model` changes. */
  readonly onModel: (() => void)[];
}

/** Sets `document.body.dataset[key]`, what a headless test reads. */
export function expose(key: string, value: string | number): void {
  document.body.dataset[key] = String(value);
}

/** Resolves at the next frame: a long job awaits it to keep the page responsive. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** The digits file of `deno task demo`: count, then labels, then 784 bytes an image. */
export function parseDigits(bytes: ArrayBuffer, name: string): Dataset {
  const count = new DataView(bytes).getUint32(0, true);
  const labels = new Uint8Array(bytes, 4, count).slice();
  const pixels = new Uint8Array(bytes, 4 + count, count * 784);
  const images = new Float32Array(count * 784);
  for (let i = 0; i < images.length; i++) images[i] = pixels[i]! / 255;
  return { name, images, labels, count, width: 28, height: 28 };
}
