// The geometry of the dSprites shapes and their rasteriser.
//
// Lengths are in units of the image side at scale 1, measured on the frames of
// the data set's own animation (dsprites.gif in the dSprites repository, 64 ×
// 64 frames that sweep scale, orientation and position), fitted to them by a
// grid search and checked by tests/reference/dsprites_gif_check.py:
//
//   sprite centre  (0.25 + 0.5·posX, 0.25 + 0.5·posY) · side   (16 to 48 pixels at 64)
//   square         half-side 0.15 (9.6 pixels at 64, scale 1)
//   ellipse        semi-axes 0.19921875 × 0.11328125 (12.75 × 7.25 pixels), long axis along x
//   heart          two discs of radius 0.078125 centred at (±0.0732421875, −0.064453125)
//                  and the tangents from the tip (0, 0.1376953125); the tip points down
//
// A pixel is on when its centre lies inside the shape (no anti-aliasing, as
// the data set's binary images). Orientation θ turns the sprite
// counter-clockwise on screen about its centre.

/** The shapes, in the data set's order of its `shape` factor. */
export const SHAPES = ["square", "ellipse", "heart"] as const;

const SQUARE_HALF = 0.15;
const ELLIPSE_A = 0.19921875;
const ELLIPSE_B = 0.11328125;
const LOBE_X = 0.0732421875;
const LOBE_Y = -0.064453125;
const LOBE_R = 0.078125;
const TIP_Y = 0.1376953125;
/** Every shape lies within this distance of its centre (the square's half-diagonal is 0.2121). */
export const SPRITE_RADIUS = 0.22;

// The heart's tangent cone from the tip to the right lobe: a point w (from the
// tip) is in the cone when w·d ≥ |w|·|d|·cos α, and before the chord through the
// tangent points when w·d ≤ |d|² − r².
const D_X = LOBE_X, D_Y = LOBE_Y - TIP_Y;
const D_LEN2 = D_X * D_X + D_Y * D_Y;
const CONE_COS = Math.sqrt(D_LEN2 - LOBE_R * LOBE_R); // |d| · cos α
const CHORD = D_LEN2 - LOBE_R * LOBE_R;

function inLobeHull(u: number, v: number): boolean {
  const ex = u - LOBE_X, ey = v - LOBE_Y;
  if (ex * ex + ey * ey <= LOBE_R * LOBE_R) return true;
  const wx = u, wy = v - TIP_Y;
  const dot = wx * D_X + wy * D_Y;
  return dot <= CHORD && dot >= Math.sqrt(wx * wx + wy * wy) * CONE_COS;
}

/** Whether the point (u, v) of sprite coordinates (scale 1, y down) is inside `shape`. */
export function insideShape(shape: number, u: number, v: number): boolean {
  if (shape === 0) return Math.abs(u) <= SQUARE_HALF && Math.abs(v) <= SQUARE_HALF;
  if (shape === 1) {
    const a = u / ELLIPSE_A, b = v / ELLIPSE_B;
    return a * a + b * b <= 1;
  }
  return inLobeHull(u, v) || inLobeHull(-u, v);
}

/**
 * Draws one sprite into `out` (size × size values from `offset`, already
 * zero) as 1s: `shape` in {0, 1, 2}, `scale` in (0, 1], `angle` in radians,
 * the centre at (cx, cy) pixels.
 */
export function drawSprite(
  out: Float32Array,
  offset: number,
  size: number,
  shape: number,
  scale: number,
  angle: number,
  cx: number,
  cy: number,
): void {
  const unit = size * scale; // pixels per sprite unit
  const c = Math.cos(angle) / unit, s = Math.sin(angle) / unit;
  const reach = SPRITE_RADIUS * unit;
  const r0 = Math.max(0, Math.floor(cy - reach)), r1 = Math.min(size - 1, Math.ceil(cy + reach));
  const c0 = Math.max(0, Math.floor(cx - reach)), c1 = Math.min(size - 1, Math.ceil(cx + reach));
  for (let r = r0; r <= r1; r++) {
    const dy = r + 0.5 - cy;
    const row = offset + r * size;
    for (let col = c0; col <= c1; col++) {
      const dx = col + 0.5 - cx;
      // Rotating the pixel back by θ gives its place on the upright sprite.
      if (insideShape(shape, c * dx - s * dy, s * dx + c * dy)) out[row + col] = 1;
    }
  }
}
