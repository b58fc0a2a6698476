/** AUROC and average precision against values scikit-learn gives for the same inputs, ties included. */
import { describe, expect, it } from 'vitest';
import { auroc, averagePrecision } from './ranking.js';

const f = (values: number[]) => Float32Array.from(values);

describe('auroc', () => {
  it('equals the pair count (sklearn.metrics.roc_auc_score)', () => {
    // y = [0, 0, 1, 1], s = [0.1, 0.4, 0.35, 0.8] → 0.75
    expect(auroc(f([0.35, 0.8]), f([0.1, 0.4]))).toBeCloseTo(0.75, 12);
    // ties count half: y = [0, 1, 0, 1, 1], s = [0.5, 0.5, 0.2, 0.9, 0.1] → 3.5 / 6
    expect(auroc(f([0.5, 0.9, 0.1]), f([0.5, 0.2]))).toBeCloseTo(3.5 / 6, 12);
  });

  it('is 1 for perfect separation, 0 for inverted, 0.5 for identical scores', () => {
    expect(auroc(f([3, 4]), f([1, 2]))).toBe(1);
    expect(auroc(f([1, 2]), f([3, 4]))).toBe(0);
    expect(auroc(f([1, 1]), f([1, 1, 1]))).toBe(0.5);
  });
});

describe('averagePrecision', () => {
  it('follows sklearn.metrics.average_precision_score', () => {
    // y = [0, 0, 1, 1], s = [0.1, 0.4, 0.35, 0.8] → 0.8333…
    expect(averagePrecision(f([0.35, 0.8]), f([0.1, 0.4]))).toBeCloseTo(5 / 6, 12);
    // y = [0, 1, 0, 1, 1], s = [0.5, 0.5, 0.2, 0.9, 0.1] → 1/3 · 1 + 1/3 · 2/3 + 1/3 · 3/5
    expect(averagePrecision(f([0.5, 0.9, 0.1]), f([0.5, 0.2]))).toBeCloseTo(1 / 3 + 2 / 9 + 1 / 5, 12);
  });

  it('is 1 for perfect separation and the positive share for identical scores', () => {
    expect(averagePrecision(f([3, 4]), f([1, 2]))).toBe(1);
    expect(averagePrecision(f([1, 1]), f([1, 1, 1, 1, 1, 1]))).toBeCloseTo(0.25, 12);
  });
});
