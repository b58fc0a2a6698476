/** The threshold's quantile follows numpy.quantile's default (linear interpolation between order statistics). */
import { describe, expect, it } from 'vitest';
import { quantileOf } from './heads.js';

describe('quantileOf', () => {
  it('matches numpy.quantile', () => {
    expect(quantileOf(Float32Array.from([1, 2, 3, 4]), 0.95)).toBeCloseTo(3.85, 6); // np.quantile([1,2,3,4], 0.95)
    expect(quantileOf(Float32Array.from([5, 1, 3]), 0.5)).toBe(3);
    expect(quantileOf(Float32Array.from([2, 8]), 1)).toBe(8);
    expect(quantileOf(Float32Array.from([7]), 0.95)).toBe(7);
  });
});
