/**
 * PSNR/SSIM on Y against values computed independently (numpy, the SSIM window applied in 2-D by brute force
 * rather than separably), analytic cases, and the metric entries' bicubic baseline.
 */
import { describe, expect, it } from 'vitest';
import { tf, useBackend, entryOptions } from '@ganforge/core/testing';
import type { Tensor4D } from '@ganforge/core';
import { psnrY, ssimY, type Image8 } from './fidelity.js';
import { psnrMetric, ssimMetric } from './entries.js';

const [H, W] = [20, 23];
/** The reference script's images: ((i · seed · 2654435761) mod 251), then a bounded perturbation. */
function image(seed: number, channels: number): Float64Array {
  return Float64Array.from({ length: H * W * channels }, (_, i) => (i * seed * 2654435761) % 251);
}
function pair(channels: number): [Image8, Image8] {
  const a = image(3, channels);
  const noise = image(7, channels);
  const b = a.map((v, i) => Math.max(0, Math.min(255, v + (noise[i]! % 41) - 20)));
  return [{ data: a, height: H, width: W, channels }, { data: b, height: H, width: W, channels }];
}

describe('psnrY / ssimY', () => {
  it('match a float64 numpy reference (border 2), gray and RGB', () => {
    const [g1, g2] = pair(1);
    expect(psnrY(g1, g2, 2)).toBeCloseTo(26.82365799291162, 10);
    expect(ssimY(g1, g2, 2)).toBeCloseTo(0.9874088499253101, 10);
    const [c1, c2] = pair(3);
    expect(psnrY(c1, c2, 2)).toBeCloseTo(33.016459539099706, 10);
    expect(ssimY(c1, c2, 2)).toBeCloseTo(0.993272332486543, 10);
  });

  it('give the analytic values: identical images, a constant offset, the border cut', () => {
    const [a] = pair(1);
    expect(psnrY(a, a, 0)).toBe(Infinity);
    expect(ssimY(a, a, 0)).toBeCloseTo(1, 12);
    const flat = (v: number): Image8 => ({ data: new Uint8Array(H * W).fill(v), height: H, width: W, channels: 1 });
    // MSE 10² → 20·log10(255/10)
    expect(psnrY(flat(100), flat(110), 0)).toBeCloseTo(20 * Math.log10(25.5), 12);
    // Constant images: SSIM = (2pq + C1) / (p² + q² + C1)
    const c1 = (0.01 * 255) ** 2;
    expect(ssimY(flat(100), flat(110), 0)).toBeCloseTo((2 * 100 * 110 + c1) / (100 ** 2 + 110 ** 2 + c1), 12);
    // A difference only in the outer ring vanishes with border 1.
    const ring = flat(100);
    (ring.data as Uint8Array)[0] = 0;
    expect(psnrY(flat(100), ring, 0)).toBeLessThan(60);
    expect(psnrY(flat(100), ring, 1)).toBe(Infinity);
    expect(() => psnrY(flat(1), { ...flat(1), width: W - 1 }, 0)).toThrow(/differ in shape/);
  });
});

describe('srgan/psnr and srgan/ssim', () => {
  it('score fakes against reals and report the bicubic baseline in the same row', async () => {
    await useBackend('cpu');
    // Smooth images in [-1, 1]: bicubic gets them nearly right, noise much less so.
    const real = tf.tidy(() => {
      const y = tf.reshape(tf.range(0, 32), [1, 32, 1, 1]);
      const x = tf.reshape(tf.range(0, 32), [1, 1, 32, 1]);
      return tf.tile(tf.mul(tf.sin(tf.add(tf.div(y, 6), tf.div(x, 9))), 0.8), [2, 1, 1, 3]);
    }) as Tensor4D;
    const noisy = tf.clipByValue(tf.add(real, tf.randomNormal(real.shape, 0, 0.2, 'float32', 1)), -1, 1) as Tensor4D;
    for (const [entry, name] of [[psnrMetric, 'psnr'], [ssimMetric, 'ssim']] as const) {
      const metric = await entry.build({ tf, options: entryOptions(entry, { scale: 4 }), log: { info() {}, warn() {}, debug() {} } });
      const same = await metric.compute({ real, fake: real, range: [-1, 1] });
      expect(same.value).toBe(name === 'psnr' ? Infinity : 1);
      const scored = await metric.compute({ real, fake: noisy, range: [-1, 1] });
      expect(scored.bicubic).toBeGreaterThan(scored.value!);
      expect(scored.gain).toBeCloseTo(scored.value! - scored.bicubic!, 12);
      expect(metric.protocol).toMatchObject({ metric: name, border: 4 });
    }
    tf.dispose([real, noisy]);
  });
});
