/**
 * Antialiased bicubic resizing, as PIL's `Image.resize(..., BICUBIC)` and MATLAB's `imresize(..., 'bicubic')`
 * do it: Keys' cubic kernel with a = -0.5, output pixel i centred at input coordinate (i + 0.5)·s - 0.5
 * (s = in/out), and when downscaling the kernel stretched by s (support 2s instead of 2), so every input pixel
 * contributes (antialiasing); weights normalized to sum 1. The two differ only at the borders:
 * - "matlab": taps past the border read the mirrored image (MATLAB's symmetric extension: -1 → 0, n → n - 1);
 * - "pil": taps past the border are dropped and the remaining weights renormalized.
 * It is separable, so a resize is two matrix products: rows (out_h × in_h) then columns (out_w × in_w); the
 * matrices are computed in float64 in JavaScript, cached by size, and applied with tf.matMul (any backend).
 */
import type { Tensor4D, TF } from '@ganforge/core';

export type Border = 'matlab' | 'pil';

/** Keys' cubic convolution kernel with a = -0.5 (PIL and MATLAB). */
export function cubic(x: number, a = -0.5): number {
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

const cache = new Map<string, Float64Array>();

/**
 * The resize matrix, row-major [outSize, inSize]: out[i] = Σ_j m[i·inSize + j] · in[j], in float64.
 */
export function resizeMatrix(inSize: number, outSize: number, border: Border = 'matlab'): Float64Array {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new Error(`resizeMatrix needs positive integer sizes, got ${inSize} → ${outSize}.`);
  }
  const key = `${inSize}:${outSize}:${border}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const scale = inSize / outSize;
  const stretch = Math.max(scale, 1);
  const support = 2 * stretch;
  const m = new Float64Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale - 0.5;
    const first = Math.floor(centre - support);
    const last = Math.ceil(centre + support);
    let total = 0;
    const taps: [number, number][] = [];
    for (let j = first; j <= last; j++) {
      const w = cubic((j - centre) / stretch);
      if (w === 0) continue;
      let k = j;
      if (border === 'pil') {
        if (j < 0 || j >= inSize) continue;
      } else {
        // Symmetric extension with period 2n: -1 → 0, -2 → 1, n → n - 1, ...
        const period = 2 * inSize;
        k = ((j % period) + period) % period;
        if (k >= inSize) k = period - 1 - k;
      }
      taps.push([k, w]);
      total += w;
    }
    for (const [k, w] of taps) m[i * inSize + k] = m[i * inSize + k]! + w / total;
  }
  cache.set(key, m);
  return m;
}

/** Resizes NHWC images to [height, width] with the antialiased bicubic above (no clipping of over/undershoot). */
export function bicubicResize(tf: TF, images: Tensor4D, height: number, width: number, border: Border = 'matlab'): Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = images.shape;
    const rows = tf.tensor2d(Float32Array.from(resizeMatrix(h, height, border)), [height, h]);
    const cols = tf.tensor2d(Float32Array.from(resizeMatrix(w, width, border)), [width, w]);
    // Rows: [h, n·w·c] → [height, n·w·c].
    let x = tf.reshape(tf.transpose(images, [1, 0, 2, 3]), [h, n * w * c]);
    x = tf.matMul(rows, x);
    // Columns: [height, n, w, c] → [w, height·n·c] → [width, height·n·c] → [n, height, width, c].
    let y = tf.reshape(tf.transpose(tf.reshape(x, [height, n, w, c]), [2, 0, 1, 3]), [w, height * n * c]);
    y = tf.matMul(cols, y);
    return tf.transpose(tf.reshape(y, [width, height, n, c]), [2, 1, 0, 3]) as Tensor4D;
  });
}

/** Downscales NHWC images by an integer factor (height and width must be divisible by it). */
export function bicubicDownsample(tf: TF, images: Tensor4D, factor: number, border: Border = 'matlab'): Tensor4D {
  const [, h, w] = images.shape;
  if (h % factor !== 0 || w % factor !== 0) throw new Error(`bicubicDownsample: ${w}x${h} images are not divisible by ${factor}.`);
  return bicubicResize(tf, images, h / factor, w / factor, border);
}
