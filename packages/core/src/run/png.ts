/**
 * Images to PNG bytes: one image, or a grid of many with a 1-pixel gap, from float pixels in the stream's
 * scale. Encoding is pure JavaScript (fast-png); writing the bytes is the caller's, through its Storage.
 */
import { encode as encodePng } from 'fast-png';
import type { PixelScale } from '../data/pipeline.js';

export interface ImageBatch {
  /** NHWC pixels, in `scale`. */
  data: Float32Array;
  shape: [number, number, number, number];
  scale: PixelScale;
  /** Columns of its grid, when the images come in rows (input | output | …); default: a square grid. */
  columns?: number;
}

/** A pixel value in the batch's scale → 0..255 ("none" is taken as already 0..255). */
function toByte(value: number, scale: PixelScale): number {
  const unit = scale === 'tanh' ? (value + 1) / 2 : scale === 'unit' ? value : value / 255;
  return Math.max(0, Math.min(255, Math.round(unit * 255)));
}

function encode(width: number, height: number, rgba: Uint8Array): Uint8Array {
  return encodePng({ width, height, data: rgba, channels: 4, depth: 8 });
}

/** Copy image `i` into an RGBA canvas at (left, top). Grey images are spread to RGB; alpha is opaque. */
function paint(batch: ImageBatch, i: number, canvas: Uint8Array, canvasWidth: number, left: number, top: number): void {
  const [, h, w, c] = batch.shape;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = ((i * h + y) * w + x) * c;
      const dst = ((top + y) * canvasWidth + left + x) * 4;
      for (let k = 0; k < 3; k++) canvas[dst + k] = toByte(batch.data[src + (c >= 3 ? k : 0)]!, batch.scale);
      canvas[dst + 3] = c === 4 ? toByte(batch.data[src + 3]!, batch.scale) : 255;
    }
  }
}

/** The grid as RGBA bytes (what a page puts in an ImageData), images 1 pixel apart. */
export function gridPixels(batch: ImageBatch, columns = batch.columns ?? Math.ceil(Math.sqrt(batch.shape[0]))): { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } {
  const [n, h, w] = batch.shape;
  const rows = Math.ceil(n / columns);
  const gap = 1;
  const width = columns * w + (columns - 1) * gap;
  const height = rows * h + (rows - 1) * gap;
  const canvas = new Uint8Array(width * height * 4);
  for (let i = 0; i < n; i++) paint(batch, i, canvas, width, (i % columns) * (w + gap), Math.floor(i / columns) * (h + gap));
  return { width, height, rgba: new Uint8ClampedArray(canvas.buffer) };
}

export function encodeGrid(batch: ImageBatch, columns = batch.columns ?? Math.ceil(Math.sqrt(batch.shape[0]))): Uint8Array {
  const { width, height, rgba } = gridPixels(batch, columns);
  return encode(width, height, new Uint8Array(rgba.buffer));
}

export function encodeImage(batch: ImageBatch, i: number): Uint8Array {
  const [, h, w] = batch.shape;
  const canvas = new Uint8Array(w * h * 4);
  paint(batch, i, canvas, w, 0, 0);
  return encode(w, h, canvas);
}
