/** Noise that carries chosen codes: the code is the wanted one, each row is a permutation of itself, the rest untouched. */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@ganforge/core/testing';
import { codesOf, noiseWithCodes } from './generator-code.js';

beforeAll(() => useBackend());

describe('noiseWithCodes', () => {
  it('moves each row\'s largest code value to the wanted code and changes nothing else', () => {
    const k = 5;
    const noise = tf.randomNormal([64, 8], 0, 1, 'float32', 3);
    const wanted = tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % k), 'int32');
    const carried = noiseWithCodes(tf, noise, wanted, k);
    expect([...codesOf(tf, carried, k).dataSync()]).toEqual([...wanted.dataSync()]);
    const before = noise.arraySync() as number[][];
    const after = carried.arraySync() as number[][];
    let moved = 0;
    for (let r = 0; r < before.length; r++) {
      // A swap inside the first k values: the same values, sorted; the rest as they were.
      expect([...after[r]!.slice(0, k)].sort()).toEqual([...before[r]!.slice(0, k)].sort());
      expect(after[r]!.slice(k)).toEqual(before[r]!.slice(k));
      if (after[r]!.some((v, i) => v !== before[r]![i])) moved++;
    }
    // Rows whose code was already the wanted one stay; the others (about 4/5) change.
    const already = [...codesOf(tf, noise, k).dataSync()].filter((c, i) => c === wanted.dataSync()[i]).length;
    expect(moved).toBe(64 - already);
    expect(moved).toBeGreaterThan(30);
  });

  it('works when the code spans the whole noise vector', () => {
    const noise = tf.tensor2d([[0.5, 2, -1]]);
    expect([...noiseWithCodes(tf, noise, tf.tensor1d([2], 'int32'), 3).dataSync()]).toEqual([0.5, -1, 2]);
  });
});
