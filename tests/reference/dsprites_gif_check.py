"""How close lib/data/_sprites.ts draws dSprites: a check against the data set's own frames.

Run: python3 tests/reference/dsprites_gif_check.py path/to/dsprites.gif

dsprites.gif (in the dSprites repository, github.com/deepmind/dsprites-dataset)
is 320 frames of 64 × 64 drawn from the data set: sweeps of scale, orientation
and position for each shape. This script decodes it (numpy only), redraws the
frames whose factors the sweeps fix with the geometry of lib/data/_sprites.ts,
and prints the pixels that differ. The constants there (square half-side,
ellipse semi-axes, the heart's discs and tip, the centre at 16 + 32 · pos
pixels) were fitted to these frames by a grid search over each; this script
checks the result:

  square   8 wrong pixels in 46 frames (16,228 lit)
  ellipse  44 in 46 (12,592 lit)
  heart    856 in 107 (23,466 lit): about 8 per frame, on the outline
"""
import sys
import numpy as np

# --- GIF decoding (LZW), enough for this file ---------------------------------


def lzw(data, min_size):
    clear, end = 1 << min_size, (1 << min_size) + 1
    size, table, out, prev, pos = min_size + 1, None, [], None, 0
    bits = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little")

    def reset():
        return [[i] for i in range(clear)] + [[], []]

    table = reset()
    while pos + size <= len(bits):
        code = int(bits[pos:pos + size] @ (1 << np.arange(size)))
        pos += size
        if code == clear:
            size, table, prev = min_size + 1, reset(), None
            continue
        if code == end:
            break
        if prev is None:
            entry = table[code]
        elif code < len(table):
            entry = table[code]
            table.append(prev + [entry[0]])
        else:
            entry = prev + [prev[0]]
            table.append(entry)
        out += entry
        prev = entry
        if len(table) == 1 << size and size < 12:
            size += 1
    return out


def frames(path):
    b = open(path, "rb").read()
    w, h, flags, p = b[6] | b[7] << 8, b[8] | b[9] << 8, b[10], 13
    palette = None
    if flags & 0x80:
        n = 3 * (2 << (flags & 7))
        palette, p = np.frombuffer(b[p:p + n], np.uint8).reshape(-1, 3), p + n
    canvas, out, transparent = np.zeros((h, w), np.uint8), [], None
    while p < len(b):
        kind, p = b[p], p + 1
        if kind == 0x21:  # extension; a graphic control block sets transparency
            label, p = b[p], p + 1
            if label == 0xF9:
                transparent = b[p + 4] if b[p + 1] & 1 else None
            while b[p]:
                p += b[p] + 1
            p += 1
        elif kind == 0x2C:  # image
            x, y, fw, fh = (b[p + i] | b[p + i + 1] << 8 for i in (0, 2, 4, 6))
            f, p = b[p + 8], p + 9
            table = palette
            if f & 0x80:
                n = 3 * (2 << (f & 7))
                table, p = np.frombuffer(b[p:p + n], np.uint8).reshape(-1, 3), p + n
            min_size, p, data = b[p], p + 1, bytearray()
            while b[p]:
                data += b[p + 1:p + 1 + b[p]]
                p += b[p] + 1
            p += 1
            index = np.array(lzw(bytes(data), min_size)[: fw * fh], np.uint8).reshape(fh, fw)
            value = table[index].mean(axis=2) > 127
            region = canvas[y:y + fh, x:x + fw]
            if transparent is not None:
                value = np.where(index == transparent, region, value)
            canvas = canvas.copy()
            canvas[y:y + fh, x:x + fw] = value
            out.append(canvas)
        else:
            break
    return np.array(out)


# --- the geometry of lib/data/_sprites.ts, at 64 × 64 --------------------------

SIDE = 64
YY, XX = np.mgrid[0:SIDE, 0:SIDE] + 0.5  # pixel centres


def inside(shape, u, v):
    if shape == 0:
        return (np.abs(u) <= 0.15) & (np.abs(v) <= 0.15)
    if shape == 1:
        return (u / 0.19921875) ** 2 + (v / 0.11328125) ** 2 <= 1
    lx, ly, r, tip = 0.0732421875, -0.064453125, 0.078125, 0.1376953125
    result = np.zeros(u.shape, bool)
    for s in (-1, 1):
        cx = s * lx
        result |= (u - cx) ** 2 + (v - ly) ** 2 <= r * r
        dx, dy = cx, ly - tip
        length2 = dx * dx + dy * dy
        dot = u * dx + (v - tip) * dy
        result |= (dot <= length2 - r * r) & (dot >= np.hypot(u, v - tip) * np.sqrt(length2 - r * r))
    return result


def draw(shape, scale_index, orientation_index, x_index, y_index):
    scale = 0.5 + 0.1 * scale_index
    angle = 2 * np.pi * (orientation_index % 39) / 39
    cx, cy = SIDE * (0.25 + 0.5 * x_index / 31), SIDE * (0.25 + 0.5 * y_index / 31)
    dx, dy, unit = XX - cx, YY - cy, SIDE * scale
    c, s = np.cos(angle), np.sin(angle)
    return inside(shape, (c * dx - s * dy) / unit, (s * dx + c * dy) / unit)


# The sweeps of the GIF: (frame, shape, scale, orientation, posX, posY).
SWEEPS = (
    [(s, 2, s, 0, 0, 0) for s in range(6)]
    + [(18 + k, 2, 5, k, 0, 0) for k in range(1, 40)]
    + [(58 + j, 2, 5, 0, 0, j) for j in range(1, 32)]
    + [(90 + i, 2, 5, 0, i, 31) for i in range(1, 32)]
    + [(192 + s, 1, s, 0, 0, 0) for s in range(6)]
    + [(210 + k, 1, 5, k, 0, 0) for k in range(40)]
    + [(256 + s, 0, s, 0, 0, 0) for s in range(6)]
    + [(274 + k, 0, 5, k, 0, 0) for k in range(40)]
)

if __name__ == "__main__":
    gif = frames(sys.argv[1])
    for shape, name in enumerate(["square", "ellipse", "heart"]):
        rows = [row for row in SWEEPS if row[1] == shape]
        wrong = sum(int(np.sum(draw(*row[1:]) != gif[row[0]])) for row in rows)
        lit = sum(int(gif[row[0]].sum()) for row in rows)
        print(f"{name:8} {wrong} wrong pixels in {len(rows)} frames ({lit} lit)")
