/**
 * The bicubic resizer: against a float64 reference written pixel by pixel (both borders), against values
 * from Pillow 12.3 (`Image.fromarray(a, mode="F").resize((w, h), Image.BICUBIC)`, float images: antialiased
 * bicubic, a = -0.5; the "pil" border), and MATLAB's border rule only changing rows whose taps leave the image.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor4D } from '@ganforge/core';
import { tf, useBackend } from '@ganforge/core/testing';
import { bicubicDownsample, bicubicResize, cubic, resizeMatrix, type Border } from './bicubic.js';

beforeAll(() => useBackend('cpu'));

/** The test image of the Pillow script: sin(0.7 r + 0.3 c²) + 0.1 r - 0.05 c. */
const image = (h: number, w: number) => Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => Math.sin(0.7 * r + 0.3 * c * c) + 0.1 * r - 0.05 * c));

/** Float64 reference, one output pixel at a time (PIL's / MATLAB's formulas written out, no matrices). */
function reference(img: number[][], oh: number, ow: number, border: Border): number[][] {
  const [h, w] = [img.length, img[0]!.length];
  const taps = (inSize: number, outSize: number, i: number): [number, number][] => {
    const scale = inSize / outSize;
    const stretch = Math.max(1, scale);
    const centre = (i + 0.5) * scale; // PIL's centre, in pixel-edge coordinates
    const list: [number, number][] = [];
    for (let j = Math.floor(centre - 2 * stretch) - 1; j <= Math.ceil(centre + 2 * stretch) + 1; j++) {
      const wgt = cubic((j + 0.5 - centre) / stretch);
      if (wgt === 0) continue;
      let k = j;
      if (k < 0 || k >= inSize) {
        if (border === 'pil') continue;
        k = k < 0 ? -k - 1 : 2 * inSize - 1 - k;
      }
      list.push([k, wgt]);
    }
    const total = list.reduce((s, [, v]) => s + v, 0);
    return list.map(([k, v]) => [k, v / total]);
  };
  return Array.from({ length: oh }, (_, r) =>
    Array.from({ length: ow }, (_, c) => {
      let sum = 0;
      for (const [y, wy] of taps(h, oh, r)) for (const [x, wx] of taps(w, ow, c)) sum += wy * wx * img[y]![x]!;
      return sum;
    }),
  );
}

function resized(img: number[][], oh: number, ow: number, border: Border): number[][] {
  const y = tf.tidy(() => tf.reshape(bicubicResize(tf, tf.tensor4d(img.flat(), [1, img.length, img[0]!.length, 1]), oh, ow, border), [oh, ow]));
  const values = y.arraySync() as number[][];
  y.dispose();
  return values;
}

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, r) => row.map((v, c) => Math.abs(v - b[r]![c]!))));

// Pillow 12.3, mode "F", Image.BICUBIC, rounded to 6 decimals.
const PIL: Record<string, number[][]> = {
  '8x6->4x3': [[0.618492, 0.274218, -0.155246], [1.089674, -0.101781, 0.086642], [0.180405, -0.105673, 0.243333], [-0.347341, 0.570014, 0.364318]],
  '8x8->2x2': [[0.403093, -0.199019], [0.131656, 0.307529]],
  '3x5->6x10': [
    [-0.088095, -0.031296, 0.088735, 0.346621, 0.733923, 0.802875, 0.553478, -0.050287, -0.945477, -1.36823],
    [0.111189, 0.164514, 0.277244, 0.496135, 0.813258, 0.787867, 0.419962, -0.161161, -0.903319, -1.253858],
    [0.533083, 0.579067, 0.676371, 0.812755, 0.981379, 0.756259, 0.137397, -0.395907, -0.814238, -1.011967],
    [0.884359, 0.914079, 0.977073, 1.006881, 0.999071, 0.607223, -0.168665, -0.577127, -0.615469, -0.633837],
    [1.118863, 1.125534, 1.139844, 1.053005, 0.864011, 0.360339, -0.45801, -0.681011, -0.333126, -0.169151],
    [1.229733, 1.225518, 1.216836, 1.074892, 0.800297, 0.243758, -0.594726, -0.730142, -0.199782, 0.050341],
  ],
  '12x12->3x3': [[0.398126, -0.135529, -0.169759], [0.177358, 0.264628, 0.165439], [1.118543, 0.705906, 0.160171]],
};

describe('bicubicResize', () => {
  it.each(Object.keys(PIL))('equals Pillow on %s (border "pil")', (key) => {
    const [[h, w], [oh, ow]] = key.split('->').map((s) => s.split('x').map(Number)) as [[number, number], [number, number]];
    const img = image(h, w);
    expect(maxDiff(reference(img, oh, ow, 'pil'), PIL[key]!)).toBeLessThan(2e-6);
    expect(maxDiff(resized(img, oh, ow, 'pil'), PIL[key]!)).toBeLessThan(1e-5);
  });

  it.each(['matlab', 'pil'] as const)('equals the float64 reference (border %s) down by 2, 3, 4 and up by 2', (border) => {
    for (const [h, w, oh, ow] of [[16, 12, 8, 6], [12, 9, 4, 3], [16, 16, 4, 4], [5, 7, 10, 14]] as const) {
      const img = image(h, w);
      expect(maxDiff(resized(img, oh, ow, border), reference(img, oh, ow, border)), `${h}x${w} → ${oh}x${ow}`).toBeLessThan(1e-5);
    }
  });

  it('the borders differ only where taps leave the image; rows sum to 1; constants stay constant', () => {
    const [n, out] = [24, 6]; // scale 4: support 8 input pixels either side of the centre
    const [m, p] = [resizeMatrix(n, out, 'matlab'), resizeMatrix(n, out, 'pil')];
    for (let i = 0; i < out; i++) {
      const centre = (i + 0.5) * 4 - 0.5;
      const inside = centre - 8 >= -1 && centre + 8 <= n;
      const row = (mm: Float64Array) => [...mm.subarray(i * n, (i + 1) * n)];
      expect(row(m).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(row(p).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      if (inside) expect(row(m)).toEqual(row(p));
      else expect(row(m)).not.toEqual(row(p));
    }
    const flat = tf.tidy(() => bicubicDownsample(tf, tf.fill([2, 8, 12, 3], 0.37) as Tensor4D, 4).dataSync());
    for (const v of flat) expect(v).toBeCloseTo(0.37, 6);
  });

  it('keeps batches and channels apart', () => {
    const x = tf.randomUniform([3, 8, 8, 2], -1, 1, 'float32', 4) as Tensor4D;
    const all = bicubicDownsample(tf, x, 2);
    const one = bicubicDownsample(tf, tf.slice(x, [1, 0, 0, 1], [1, -1, -1, 1]), 2);
    const diff = tf.max(tf.abs(tf.sub(tf.slice(all, [1, 0, 0, 1], [1, -1, -1, 1]), one))).dataSync()[0]!;
    expect(all.shape).toEqual([3, 4, 4, 2]);
    expect(diff).toBeLessThan(1e-6);
    tf.dispose([x, all, one]);
    expect(() => bicubicDownsample(tf, tf.zeros([1, 6, 5, 1]) as Tensor4D, 2)).toThrow(/divisible/);
  });
});
