import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { xorshift32 } from '@ganforge/core';
import { fitGaussian, frechetDistance } from './frechet.js';
import { kernelDistance } from './mmd.js';

/** Seeded standard normals (Box–Muller over xorshift). */
function normals(n: number, d: number, seed: number, shift = 0, scale = 1): Float64Array {
  const random = xorshift32(seed);
  // Half a step up, (state + 0.5) / 2³², so log() never sees 0.
  const u = () => random() + 2 ** -33;
  return Float64Array.from({ length: n * d }, () => shift + scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('Fréchet distance', () => {
  it('is 0 between a set and itself', () => {
    const x = normals(200, 5, 1);
    const g = fitGaussian(x, 200, 5);
    expect(frechetDistance(g, g)).toBeCloseTo(0, 8);
  });

  it('matches the closed form for diagonal covariances: |Δμ|² + Σ(√a − √b)²', () => {
    const a = { mean: Float64Array.from([0, 0, 0]), covariance: diag([1, 4, 9]) };
    const b = { mean: Float64Array.from([1, 2, 0]), covariance: diag([4, 1, 9]) };
    // 1 + 4 + (1-2)² + (2-1)² + 0 = 7
    expect(frechetDistance(a, b)).toBeCloseTo(7, 8);
    expect(frechetDistance(b, a)).toBeCloseTo(7, 8);
  });

  it('grows with the shift between two samples', () => {
    const base = fitGaussian(normals(500, 4, 2), 500, 4);
    const near = fitGaussian(normals(500, 4, 3, 0.1), 500, 4);
    const far = fitGaussian(normals(500, 4, 4, 1), 500, 4);
    expect(frechetDistance(base, near)).toBeLessThan(frechetDistance(base, far));
    expect(frechetDistance(base, far)).toBeGreaterThan(3); // ≈ 4 · 1²
  });
});

describe('KID estimator (unbiased MMD², cubic kernel)', () => {
  it('is near 0 for one distribution and clearly positive for two', () => {
    const options = { subsets: 20, subsetSize: 100, seed: 0 };
    const same = kernelDistance(normals(300, 8, 5), 300, normals(300, 8, 6), 300, 8, options);
    const other = kernelDistance(normals(300, 8, 7), 300, normals(300, 8, 8, 0.5, 1.5), 300, 8, options);
    expect(Math.abs(same.mean)).toBeLessThan(3 * same.std + 1e-3);
    expect(other.mean).toBeGreaterThan(10 * Math.abs(same.mean));
    expect(other.mean - 3 * other.std).toBeGreaterThan(0);
  });

  it('gives the same numbers for the same seed, whether kernels are precomputed or not', () => {
    const x = normals(60, 4, 9);
    const y = normals(60, 4, 10, 0.3);
    const a = kernelDistance(x, 60, y, 50, 4, { subsets: 5, subsetSize: 30, seed: 3 });
    const b = kernelDistance(x, 60, y, 50, 4, { subsets: 5, subsetSize: 30, seed: 3 });
    expect(a).toEqual(b);
    // Unequal set sizes index the cross-kernel correctly: the value is finite and positive.
    expect(Number.isFinite(a.mean) && a.mean > 0).toBe(true);
  });
});

const diag = (values: number[]) => Matrix.diag(values);
