// Image grids as PNG, encoded by fast-png.
import { encode } from "fast-png";

/**
 * Tiles grey-level images (values in [0, 1]) into one PNG: `rows × cols`
 * tiles of `width × height` pixels with a `gap`-pixel white border, scaled up
 * by `scale` so small digits are visible.
 */
export function imageGrid(
  images: ArrayLike<number>[],
  o: { rows: number; cols: number; width: number; height: number; scale?: number; gap?: number },
): Uint8Array {
  const s = o.scale ?? 2, gap = o.gap ?? 2;
  const tw = o.width * s, th = o.height * s;
  const W = o.cols * tw + (o.cols + 1) * gap, H = o.rows * th + (o.rows + 1) * gap;
  const data = new Uint8Array(W * H).fill(255);
  images.slice(0, o.rows * o.cols).forEach((img, k) => {
    const r = Math.floor(k / o.cols), c = k % o.cols;
    const ox = gap + c * (tw + gap), oy = gap + r * (th + gap);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const v = img[Math.floor(y / s) * o.width + Math.floor(x / s)]!;
        // dark digits on white: 1 → black
        data[(oy + y) * W + ox + x] = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
      }
    }
  });
  return encode({ width: W, height: H, data, channels: 1, depth: 8 });
}
