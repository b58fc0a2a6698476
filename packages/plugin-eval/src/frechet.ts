/**
 * Fréchet distance between Gaussians fitted to two sets of feature vectors (the "F" of FID), in float64:
 *   |μ₁ − μ₂|² + tr(Σ₁) + tr(Σ₂) − 2 tr((Σ₁^½ Σ₂ Σ₁^½)^½)
 * The last trace uses the symmetric form, so two symmetric eigen-decompositions replace a general sqrtm.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface Gaussian {
  mean: Float64Array;
  /** Unbiased covariance (n − 1), d×d. */
  covariance: Matrix;
}

/** Mean and covariance of `n` rows of `d` features, stored row-major. */
export function fitGaussian(features: Float64Array, n: number, d: number): Gaussian {
  if (n < 2) throw new RangeError(`A covariance needs at least 2 feature vectors, got ${n}.`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += features[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const centered = new Matrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centered.set(i, j, features[i * d + j]! - mean[j]!);
  const covariance = centered.transpose().mmul(centered).div(n - 1);
  return { mean, covariance };
}

/** Eigen-decomposition of a symmetric matrix, eigenvalues clamped at 0 (covariances are PSD up to round-off). */
function symmetricSqrt(m: Matrix): Matrix {
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const vectors = eig.eigenvectorMatrix;
  const roots = eig.realEigenvalues.map((v) => Math.sqrt(Math.max(0, v)));
  return vectors.mmul(Matrix.diag(roots)).mmul(vectors.transpose());
}

function trace(m: Matrix): number {
  let sum = 0;
  for (let i = 0; i < m.rows; i++) sum += m.get(i, i);
  return sum;
}

export function frechetDistance(a: Gaussian, b: Gaussian): number {
  let meanTerm = 0;
  for (let j = 0; j < a.mean.length; j++) meanTerm += (a.mean[j]! - b.mean[j]!) ** 2;
  const rootA = symmetricSqrt(a.covariance);
  const product = rootA.mmul(b.covariance).mmul(rootA);
  // Symmetrise away round-off before the symmetric solver.
  const symmetric = product.add(product.transpose()).div(2);
  const eig = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true });
  const crossTrace = eig.realEigenvalues.reduce((sum, v) => sum + Math.sqrt(Math.max(0, v)), 0);
  // Identical inputs can round to a tiny negative number.
  return Math.max(0, meanTerm + trace(a.covariance) + trace(b.covariance) - 2 * crossTrace);
}
