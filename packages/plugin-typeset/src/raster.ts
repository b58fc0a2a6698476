/**
 * A small anti-aliasing polygon rasterizer: glyph paths are flattened to polygons, filled with the nonzero
 * winding rule on a supersampled binary grid (one sample per subpixel centre), grown or thinned there
 * (stroke weight), and box-averaged down to pixels by the caller. Pure arithmetic, no dependencies.
 */

/** Closed polygons, each a flat [x0, y0, x1, y1, …] list. */
export type Outline = Float64Array[];

/** The drawing commands of an opentype.js path (y down). */
export type PathCommand =
  | { type: 'M' | 'L'; x: number; y: number }
  | { type: 'Q'; x1: number; y1: number; x: number; y: number }
  | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
  | { type: 'Z' };

const QUAD_STEPS = 8;
const CUBIC_STEPS = 12;

/** Path commands → polygons (curves split into fixed steps, fine enough at 28 px), coordinates × `scale`. */
export function flattenPath(commands: readonly PathCommand[], scale = 1): Outline {
  const outline: Outline = [];
  let points: number[] = [];
  let x = 0;
  let y = 0;
  const close = () => {
    if (points.length >= 6) outline.push(Float64Array.from(points, (v) => v * scale));
    points = [];
  };
  for (const c of commands) {
    if (c.type === 'M') {
      close();
      points.push(c.x, c.y);
    } else if (c.type === 'L') {
      points.push(c.x, c.y);
    } else if (c.type === 'Q') {
      for (let i = 1; i <= QUAD_STEPS; i++) {
        const t = i / QUAD_STEPS;
        const u = 1 - t;
        points.push(u * u * x + 2 * u * t * c.x1 + t * t * c.x, u * u * y + 2 * u * t * c.y1 + t * t * c.y);
      }
    } else if (c.type === 'C') {
      for (let i = 1; i <= CUBIC_STEPS; i++) {
        const t = i / CUBIC_STEPS;
        const u = 1 - t;
        const a = u * u * u;
        const b = 3 * u * u * t;
        const d = 3 * u * t * t;
        const e = t * t * t;
        points.push(a * x + b * c.x1 + d * c.x2 + e * c.x, a * y + b * c.y1 + d * c.y2 + e * c.y);
      }
    } else {
      close();
      continue;
    }
    x = c.x;
    y = c.y;
  }
  close();
  return outline;
}

/** A binary coverage grid: 1 where the shape covers the subpixel. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Fills the polygons (coordinates in subpixels of the mask) with the nonzero rule, sampling each subpixel at
 * its centre.
 */
export function fillPolygons(outline: Outline, width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  // Edges as (x at top, dx/dy, top y, bottom y, winding).
  const edges: number[] = [];
  for (const polygon of outline) {
    const n = polygon.length / 2;
    for (let i = 0; i < n; i++) {
      const x0 = polygon[2 * i]!;
      const y0 = polygon[2 * i + 1]!;
      const j = (i + 1) % n;
      const x1 = polygon[2 * j]!;
      const y1 = polygon[2 * j + 1]!;
      if (y0 === y1) continue;
      const [xa, ya, yb, wind] = y0 < y1 ? [x0, y0, y1, 1] : [x1, y1, y0, -1];
      edges.push(xa, (x1 - x0) / (y1 - y0), ya, yb, wind);
    }
  }
  const xs: number[] = [];
  const winds: number[] = [];
  const order: number[] = [];
  for (let row = 0; row < height; row++) {
    const sy = row + 0.5;
    xs.length = 0;
    winds.length = 0;
    for (let e = 0; e < edges.length; e += 5) {
      const top = edges[e + 2]!;
      if (sy < top || sy >= edges[e + 3]!) continue;
      xs.push(edges[e]! + (sy - top) * edges[e + 1]!);
      winds.push(edges[e + 4]!);
    }
    if (xs.length < 2) continue;
    order.length = 0;
    for (let i = 0; i < xs.length; i++) order.push(i);
    order.sort((a, b) => xs[a]! - xs[b]!);
    let winding = 0;
    for (let k = 0; k + 1 < order.length; k++) {
      winding += winds[order[k]!]!;
      if (winding === 0) continue;
      // Subpixels whose centre c lies between this crossing and the next: x0 <= c < x1.
      const from = Math.max(0, Math.ceil(xs[order[k]!]! - 0.5));
      const to = Math.min(width, Math.ceil(xs[order[k + 1]!]! - 0.5));
      if (to > from) data.fill(1, row * width + from, row * width + to);
    }
  }
  return { width, height, data };
}

/**
 * Grows (radius > 0) or thins (radius < 0) the shape by |radius| subpixels (fractions count): a pixel joins
 * (or leaves) the shape when its distance to the shape (or to the background) is at most |radius|. Distances
 * are 3-4 chamfer distances (two raster passes, within 8 % of Euclidean), so the pen is nearly round.
 */
export function morph(mask: Mask, radius: number): Mask {
  const { width: w, height: h, data } = mask;
  const limit = 3 * Math.abs(radius);
  if (limit < 3) return mask;
  const grow = radius > 0;
  const far = 1 << 30;
  const d = new Int32Array(w * h);
  // Distance to the nearest source: ink when growing, background when thinning.
  for (let i = 0; i < d.length; i++) d[i] = (data[i] === 1) === grow ? 0 : far;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let v = d[i]!;
      if (v === 0) continue;
      if (x > 0) v = Math.min(v, d[i - 1]! + 3);
      if (y > 0) {
        v = Math.min(v, d[i - w]! + 3);
        if (x > 0) v = Math.min(v, d[i - w - 1]! + 4);
        if (x < w - 1) v = Math.min(v, d[i - w + 1]! + 4);
      }
      d[i] = v;
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      let v = d[i]!;
      if (v === 0) continue;
      if (x < w - 1) v = Math.min(v, d[i + 1]! + 3);
      if (y < h - 1) {
        v = Math.min(v, d[i + w]! + 3);
        if (x < w - 1) v = Math.min(v, d[i + w + 1]! + 4);
        if (x > 0) v = Math.min(v, d[i + w - 1]! + 4);
      }
      d[i] = v;
    }
  }
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = grow ? (d[i]! <= limit ? 1 : 0) : d[i]! > limit ? 1 : 0;
  return { width: w, height: h, data: out };
}
