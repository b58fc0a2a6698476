/**
 * Kernel Inception Distance's estimator (Bińkowski et al. 2018), on any features: the unbiased MMD² with the
 * cubic polynomial kernel k(x, y) = (x·y / d + 1)³, averaged over random subsets, with its std over them.
 */
import { xorshift32 } from '@ganforge/core';

export interface KidOptions {
  /** Number of random subsets. */
  subsets: number;
  /** Images per subset (capped at each set's size). */
  subsetSize: number;
  /** Seed of the subset draws. */
  seed: number;
}

export interface KidResult {
  mean: number;
  std: number;
  subsets: number;
  subsetSize: number;
}

/** Uniform numbers in [0, 1): subsets are a pure function of the seed (mixed with 0x9e3779b9 as always, so KIDs stay). */
function rng(seed: number): () => number {
  return xorshift32((seed >>> 0) ^ 0x9e3779b9);
}

/** `k` distinct indices below `n` (partial Fisher–Yates). */
function choose(n: number, k: number, random: () => number): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, k);
}

/** Kernel matrix between rows of `a` (na×d) and `b` (nb×d), float64, row-major. */
export function polynomialKernel(a: Float64Array, na: number, b: Float64Array, nb: number, d: number): Float64Array {
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    const ai = i * d;
    for (let j = 0; j < nb; j++) {
      const bj = j * d;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += a[ai + k]! * b[bj + k]!;
      out[i * nb + j] = (dot / d + 1) ** 3;
    }
  }
  return out;
}

/** Unbiased MMD² of one subset, reading precomputed kernel matrices. */
function subsetMmd(kxx: Float64Array, kyy: Float64Array, kxy: Float64Array, nx: number, ny: number, ix: Int32Array, iy: Int32Array): number {
  const m = ix.length;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let p = 0; p < m; p++) {
    const rx = ix[p]! * nx;
    const ry = iy[p]! * ny;
    // kxy is nx×ny: its rows are ny long.
    const rxy = ix[p]! * ny;
    for (let q = 0; q < m; q++) {
      if (p !== q) {
        xx += kxx[rx + ix[q]!]!;
        yy += kyy[ry + iy[q]!]!;
      }
      xy += kxy[rxy + iy[q]!]!;
    }
  }
  return xx / (m * (m - 1)) + yy / (m * (m - 1)) - (2 * xy) / (m * m);
}

/** Largest nx·ny for which the three full kernel matrices are kept in memory (3 × 8 bytes each: ~400 MB). */
const PRECOMPUTE_LIMIT = 16_000_000;

function gather(features: Float64Array, rows: Int32Array, d: number): Float64Array {
  const out = new Float64Array(rows.length * d);
  rows.forEach((row, i) => out.set(features.subarray(row * d, (row + 1) * d), i * d));
  return out;
}

/** KID between feature sets x (nx×d) and y (ny×d). */
export function kernelDistance(x: Float64Array, nx: number, y: Float64Array, ny: number, d: number, options: KidOptions): KidResult {
  const m = Math.min(options.subsetSize, nx, ny);
  if (m < 2) throw new RangeError(`KID needs subsets of at least 2 images, got ${m}.`);
  const random = rng(options.seed);
  const values: number[] = [];
  if (nx * ny <= PRECOMPUTE_LIMIT) {
    // Every kernel value is needed many times over the subsets: compute each once.
    const kxx = polynomialKernel(x, nx, x, nx, d);
    const kyy = polynomialKernel(y, ny, y, ny, d);
    const kxy = polynomialKernel(x, nx, y, ny, d);
    for (let s = 0; s < options.subsets; s++) values.push(subsetMmd(kxx, kyy, kxy, nx, ny, choose(nx, m, random), choose(ny, m, random)));
  } else {
    // Too large to hold: compute each subset's kernels on its own (slower, same numbers).
    for (let s = 0; s < options.subsets; s++) {
      const sx = gather(x, choose(nx, m, random), d);
      const sy = gather(y, choose(ny, m, random), d);
      const identity = Int32Array.from({ length: m }, (_, i) => i);
      values.push(subsetMmd(polynomialKernel(sx, m, sx, m, d), polynomialKernel(sy, m, sy, m, d), polynomialKernel(sx, m, sy, m, d), m, m, identity, identity));
    }
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), subsets: options.subsets, subsetSize: m };
}
