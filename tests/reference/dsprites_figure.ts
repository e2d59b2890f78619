// Draws docs/figures/dsprites.png: rows of squares, ellipses and hearts over
// the six scales and two orientations, then a heart moving over the canvas
// (posX, posY from (0, 0) to (0, 31)) as it turns.
//
// Run: deno run --allow-write tests/reference/dsprites_figure.ts
import { dsprites } from "../../disentanglement.ts";
import { imageGrid } from "../../lib/tasks/_images.ts";

const data = dsprites();
const rows: number[][] = [];
for (let shape = 0; shape < 3; shape++) {
  for (let scale = 0; scale < 6; scale++) rows.push([shape, scale, 0, 15, 16]);
  rows.push([shape, 5, 4, 15, 16], [shape, 5, 8, 15, 16]);
}
const path = [[0, 0], [10, 4], [20, 9], [31, 14], [31, 31], [21, 26], [10, 29], [0, 31]];
path.forEach(([x, y], i) => rows.push([2, 3, i * 5, x!, y!]));
const images = data.render(rows);
// imageGrid draws 1 as black: invert, for white sprites on black as in the data set.
const tiles = rows.map((_, i) => images.subarray(i * 4096, (i + 1) * 4096).map((v) => 1 - v));
const png = imageGrid(tiles, { rows: 4, cols: 8, width: 64, height: 64, scale: 1, gap: 2 });
Deno.writeFileSync(new URL("../../docs/figures/dsprites.png", import.meta.url), png);
console.log(`docs/figures/dsprites.png: ${png.length} bytes`);
