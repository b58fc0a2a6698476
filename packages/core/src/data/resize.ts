/**
 * Image resampling in plain JS: a region of the source (for center-crop) scaled to the target size with a
 * separable triangle filter whose support widens when shrinking. That is bilinear when enlarging and an
 * area-like average when shrinking (as Pillow's BILINEAR does), so downscaled images do not alias.
 */

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Per output index: the first source index and the normalized weights of the source pixels it reads. */
interface Taps {
  start: Int32Array;
  weights: Float32Array[];
}

function taps(outSize: number, regionStart: number, regionSize: number, sourceSize: number): Taps {
  const scale = regionSize / outSize;
  const support = Math.max(1, scale);
  const start = new Int32Array(outSize);
  const weights: Float32Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const center = regionStart + (o + 0.5) * scale - 0.5;
    const first = Math.max(0, Math.ceil(center - support));
    const last = Math.min(sourceSize - 1, Math.floor(center + support));
    const w = new Float32Array(Math.max(1, last - first + 1));
    let sum = 0;
    for (let i = first; i <= last; i++) sum += w[i - first] = Math.max(0, 1 - Math.abs(i - center) / support);
    if (sum === 0) {
      // Only when the region is thinner than a pixel: take the nearest source pixel.
      start[o] = Math.min(sourceSize - 1, Math.max(0, Math.round(center)));
      weights.push(Float32Array.of(1));
      continue;
    }
    for (let i = 0; i < w.length; i++) w[i]! /= sum;
    start[o] = first;
    weights.push(w);
  }
  return { start, weights };
}

/**
 * Resamples `region` of an RGBA image to outWidth x outHeight, writing `channels` (1: luma, 3: RGB) bytes
 * per pixel into `out` at `offset`.
 */
export function resampleInto(
  rgba: Uint8Array,
  width: number,
  height: number,
  region: Region,
  outWidth: number,
  outHeight: number,
  channels: 1 | 3,
  out: Uint8Array,
  offset: number,
): void {
  // Convert to the output channels first, so the filter runs on 1 or 3 planes.
  const pixels = width * height;
  const source = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const r = rgba[p * 4]!;
    const g = rgba[p * 4 + 1]!;
    const b = rgba[p * 4 + 2]!;
    if (channels === 1) source[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else source.set([r, g, b], p * 3);
  }
  const same = region.x === 0 && region.y === 0 && region.width === outWidth && region.height === outHeight && width === outWidth && height === outHeight;
  if (same) {
    for (let i = 0; i < source.length; i++) out[offset + i] = Math.round(source[i]!);
    return;
  }
  const columns = taps(outWidth, region.x, region.width, width);
  const rows = taps(outHeight, region.y, region.height, height);
  // Horizontal pass: every source row → outWidth columns.
  const horizontal = new Float32Array(height * outWidth * channels);
  for (let y = 0; y < height; y++) {
    for (let o = 0; o < outWidth; o++) {
      const w = columns.weights[o]!;
      const first = columns.start[o]!;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += w[k]! * source[((y * width + first + k) * channels) + c]!;
        horizontal[(y * outWidth + o) * channels + c] = acc;
      }
    }
  }
  // Vertical pass.
  for (let o = 0; o < outHeight; o++) {
    const w = rows.weights[o]!;
    const first = rows.start[o]!;
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += w[k]! * horizontal[((first + k) * outWidth + x) * channels + c]!;
        out[offset + (o * outWidth + x) * channels + c] = Math.min(255, Math.max(0, Math.round(acc)));
      }
    }
  }
}

/** The centered square (side = the shorter side) of a width x height image. */
export function centerSquare(width: number, height: number): Region {
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), width: side, height: side };
}
