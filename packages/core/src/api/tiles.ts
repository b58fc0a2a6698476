/**
 * Running an image → image model (an upscaler) on images larger than memory allows, tile by tile. Each tile
 * is cut with `pad` pixels of context on every side (clipped at the image's edges) and only its own region is
 * kept from the output, so when `pad` covers the model's receptive field the tiled result equals the untiled
 * one (to float round-off): no seam to blend away. `receptiveRadius` measures that field with an impulse.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { TF } from '../plugin/types.js';

export interface TileOptions {
  /** Output size ÷ input size (1 for a translator, 2 or 4 for an upscaler). */
  scale: number;
  /** Input pixels per tile side, without context (default 128). */
  tile?: number;
  /** Input pixels of context around each tile (default 16). */
  pad?: number;
}

/** apply(tiles) for every tile of `images` ([n, H, W, C]), assembled into [n, H·scale, W·scale, C']. */
export function applyTiled(tf: TF, apply: (x: Tensor4D) => Tensor4D, images: Tensor4D, options: TileOptions): Tensor4D {
  const { scale } = options;
  const tile = Math.max(1, Math.floor(options.tile ?? 128));
  const pad = Math.max(0, Math.floor(options.pad ?? 16));
  const [, height, width] = images.shape;
  if (height <= tile && width <= tile) return apply(images);
  return tf.tidy(() => {
    const rows: Tensor4D[] = [];
    for (let y0 = 0; y0 < height; y0 += tile) {
      const y1 = Math.min(height, y0 + tile);
      const row: Tensor4D[] = [];
      for (let x0 = 0; x0 < width; x0 += tile) {
        const x1 = Math.min(width, x0 + tile);
        row.push(
          tf.tidy(() => {
            const [cy0, cx0] = [Math.max(0, y0 - pad), Math.max(0, x0 - pad)];
            const [cy1, cx1] = [Math.min(height, y1 + pad), Math.min(width, x1 + pad)];
            const out = apply(tf.slice(images, [0, cy0, cx0, 0], [-1, cy1 - cy0, cx1 - cx0, -1]));
            return tf.slice(out, [0, (y0 - cy0) * scale, (x0 - cx0) * scale, 0], [-1, (y1 - y0) * scale, (x1 - x0) * scale, -1]);
          }),
        );
      }
      rows.push(row.length === 1 ? row[0]! : tf.concat(row, 2));
    }
    return rows.length === 1 ? rows[0]! : tf.concat(rows, 1);
  });
}

/**
 * How far (in input pixels) one input pixel's influence reaches in the output: the support of the response
 * to an impulse at the centre of a (2·limit+1)² probe, over the response to a flat image. `limit` when it
 * reaches the probe's edge (the field is at least that wide).
 */
export function receptiveRadius(tf: TF, apply: (x: Tensor4D) => Tensor4D, channels: number, scale: number, limit = 48): number {
  const side = 2 * limit + 1;
  const diff = tf.tidy(() => {
    const flat = tf.zeros([1, side, side, channels]) as Tensor4D;
    const pixels = new Float32Array(side * side * channels);
    pixels.fill(0.5, (limit * side + limit) * channels, (limit * side + limit + 1) * channels);
    const impulse = tf.tensor4d(pixels, [1, side, side, channels]);
    return tf.squeeze(tf.max(tf.abs(tf.sub(apply(impulse), apply(flat))), 3), [0]);
  });
  const values = diff.dataSync();
  const [h, w] = diff.shape as [number, number];
  diff.dispose();
  const centre = limit * scale + (scale - 1) / 2;
  let reach = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (values[y * w + x]! > 1e-6) reach = Math.max(reach, Math.abs(y - centre), Math.abs(x - centre));
    }
  }
  return Math.min(limit, Math.ceil(reach / scale));
}
