import { describe, expect, it } from 'vitest';
import { lrFactor, type Schedule } from './schedules.js';

const s = (over: Partial<Schedule>): Schedule => ({ type: 'constant', warmupSteps: 0, decayStart: 0, minFactor: 0, ...over });

describe('lrFactor', () => {
  it('is 1 for constant', () => expect([0, 50, 99].map((t) => lrFactor(s({}), t, 100))).toEqual([1, 1, 1]));
  it('warms up linearly', () => expect([0, 1, 3, 4].map((t) => lrFactor(s({ warmupSteps: 4 }), t, 100))).toEqual([0.25, 0.5, 1, 1]));
  it('decays linearly from decayStart to minFactor', () => {
    const f = (t: number) => lrFactor(s({ type: 'linear', decayStart: 50, minFactor: 0.1 }), t, 100);
    expect(f(0)).toBe(1);
    expect(f(50)).toBe(1);
    expect(f(75)).toBeCloseTo(0.55);
    expect(f(100)).toBeCloseTo(0.1);
  });
  it('follows a half cosine', () => {
    const f = (t: number) => lrFactor(s({ type: 'cosine' }), t, 100);
    expect(f(0)).toBe(1);
    expect(f(50)).toBeCloseTo(0.5);
    expect(f(100)).toBeCloseTo(0);
  });
});
