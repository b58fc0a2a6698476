/**
 * One typeset digit as a 28x28 MNIST-like image, a pure function of (seed, index): the digit is index % 10,
 * the font and every jitter come from a generator seeded by a hash of (seed, index).
 *
 * Normalization follows MNIST: the glyph (after slant and rotation) is scaled to fit a 20x20 box keeping
 * its aspect ratio, anti-aliased, and placed so its centre of mass is at the centre of the 28x28 frame.
 * Jitter then changes the box size, the stroke weight and the centre-of-mass position.
 */
import { fillPolygons, morph, type Outline } from './raster.js';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;
/** The box MNIST fits each digit into. */
export const BOX = 20;
/** Subpixels per pixel side: coverage is sampled on a 4x4 grid per pixel (17 grey levels). */
const SS = 4;

export interface Jitter {
  /** Relative change of the 20 px box side, drawn from [-scale, +scale]. */
  scale: number;
  /** Centre-of-mass offset in pixels, each axis drawn from [-shift, +shift]. */
  shift: number;
  /** Stroke change in pixels (positive: bolder), applied to every image. */
  stroke: number;
  /** Stroke change drawn from [-strokeJitter, +strokeJitter] pixels, added to `stroke`. */
  strokeJitter: number;
  /** Rotation in degrees drawn from [-rotation, +rotation]. */
  rotation: number;
  /** Italic-like shear (x shift per unit of height), drawn from [0, slant]. */
  slant: number;
}

/** Draws of one image. */
export interface Draw {
  digit: number;
  /** Index into the list of fonts in use. */
  font: number;
  scale: number;
  dx: number;
  dy: number;
  stroke: number;
  /** Radians. */
  angle: number;
  shear: number;
}

/** lowbias32 (Chris Wellons): a well-mixing 32-bit integer hash. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** mulberry32 from a seed: uniform numbers in [0, 1). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What image `index` of the dataset with `seed` draws. */
export function drawFor(seed: number, index: number, fonts: number, jitter: Jitter): Draw {
  const random = generator(mix32(mix32(seed >>> 0) ^ mix32((index + 0x632be5ab) >>> 0)));
  const symmetric = () => 2 * random() - 1;
  return {
    digit: index % NUM_CLASSES,
    font: Math.min(fonts - 1, Math.floor(random() * fonts)),
    scale: 1 + jitter.scale * symmetric(),
    dx: jitter.shift * symmetric(),
    dy: jitter.shift * symmetric(),
    stroke: jitter.stroke + jitter.strokeJitter * symmetric(),
    angle: (jitter.rotation * symmetric() * Math.PI) / 180,
    shear: jitter.slant * random(),
  };
}

/** Renders a digit outline (em units, y down) with the draws into `out` at `offset` (784 bytes, 0..255). */
export function renderDigit(outline: Outline, draw: Draw, out: Uint8Array, offset = 0): void {
  const cos = Math.cos(draw.angle);
  const sin = Math.sin(draw.angle);
  // Slant, then rotate; track the bounding box.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const moved = outline.map((polygon) => {
    const p = new Float64Array(polygon.length);
    for (let i = 0; i < polygon.length; i += 2) {
      const y = polygon[i + 1]!;
      const x = polygon[i]! - draw.shear * y;
      const rx = x * cos - y * sin;
      const ry = x * sin + y * cos;
      p[i] = rx;
      p[i + 1] = ry;
      if (rx < minX) minX = rx;
      if (rx > maxX) maxX = rx;
      if (ry < minY) minY = ry;
      if (ry > maxY) maxY = ry;
    }
    return p;
  });
  // Fit into the (jittered) box; the stroke change grows the ink by `stroke` on each side, so the outline
  // gets the box less that, and the inked digit fills the box.
  const box = BOX * draw.scale;
  const inner = Math.max(4, box - 2 * draw.stroke);
  const sigma = (inner * SS) / Math.max(maxX - minX, maxY - minY, 1e-9);
  const pad = Math.ceil(Math.max(draw.stroke, 0) * SS) + 2;
  const width = Math.ceil((maxX - minX) * sigma) + 2 * pad;
  const height = Math.ceil((maxY - minY) * sigma) + 2 * pad;
  for (const p of moved) {
    for (let i = 0; i < p.length; i += 2) {
      p[i] = (p[i]! - minX) * sigma + pad;
      p[i + 1] = (p[i + 1]! - minY) * sigma + pad;
    }
  }
  const mask = morph(fillPolygons(moved, width, height), draw.stroke * SS);

  // Centre of mass → centre of the frame, plus the shift.
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask.data[y * width + x]) {
        mass++;
        sx += x + 0.5;
        sy += y + 0.5;
      }
    }
  }
  const frame = IMAGE_SIZE * SS;
  // MNIST puts the centre of mass on pixel (14, 14) (row and column indices), i.e. at 14.5 in continuous units.
  const centre = IMAGE_SIZE / 2 + 0.5;
  const ox = mass ? Math.round((centre + draw.dx) * SS - sx / mass) : 0;
  const oy = mass ? Math.round((centre + draw.dy) * SS - sy / mass) : 0;

  const sums = new Uint16Array(PIXELS);
  for (let y = 0; y < height; y++) {
    const fy = y + oy;
    if (fy < 0 || fy >= frame) continue;
    const row = (fy >> 2) * IMAGE_SIZE;
    for (let x = 0; x < width; x++) {
      if (!mask.data[y * width + x]) continue;
      const fx = x + ox;
      if (fx < 0 || fx >= frame) continue;
      const k = row + (fx >> 2);
      sums[k] = sums[k]! + 1;
    }
  }
  for (let i = 0; i < PIXELS; i++) out[offset + i] = Math.round((sums[i]! * 255) / (SS * SS));
}
