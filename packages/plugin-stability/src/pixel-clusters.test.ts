/** Online k-means pseudo-labels: seeding, running means, separation of clear groups, exact save/load. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor, Tensor4D } from '@ganforge/core';
import { tf, useBackend } from '@ganforge/core/testing';
import { PixelClusters } from './pixel-clusters.js';

beforeAll(() => useBackend());

const keep = <T extends Tensor>(t: T) => tf.keep(t);
/** n 2x2 images around `level` (± 0.1), seeded. */
const group = (n: number, level: number, seed: number) => tf.add(tf.randomUniform([n, 2, 2, 1], -0.1, 0.1, 'float32', seed), level) as Tensor4D;

describe('PixelClusters', () => {
  it('seeds centroids with the first images, then keeps each one the running mean of its images', () => {
    const clusters = new PixelClusters(tf, 2);
    const first = tf.tensor4d([0, 0, 0, 0, 1, 1, 1, 1], [2, 2, 2, 1]);
    expect([...tf.tidy(() => clusters.assignAndLearn(first, keep)).dataSync()]).toEqual([0, 1]);
    // Both near centroid 1: it becomes the mean of its three images (1, 0.8, 0.6 → 0.8).
    const next = tf.tensor4d([0.8, 0.8, 0.8, 0.8, 0.6, 0.6, 0.6, 0.6], [2, 2, 2, 1]);
    expect([...tf.tidy(() => clusters.assignAndLearn(next, keep)).dataSync()]).toEqual([1, 1]);
    const saved = clusters.state().save();
    expect([...saved.tensors.centroids!.dataSync()].map((v) => +v.toFixed(5))).toEqual([0, 0, 0, 0, 0.8, 0.8, 0.8, 0.8]);
    expect(saved.json).toEqual({ counts: [1, 3], filled: 2 });
    // 0.45 is nearer 0.8 than 0, so it joins cluster 1 without learning when only assigned.
    expect([...tf.tidy(() => clusters.assign(tf.fill([1, 2, 2, 1], 0.45) as Tensor4D)).dataSync()]).toEqual([1]);
    clusters.dispose();
  });

  it('separates clearly different groups of images (arriving shuffled, as training batches do)', () => {
    const clusters = new PixelClusters(tf, 3);
    const order = tf.tensor1d([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], 'int32');
    for (let step = 0; step < 6; step++) {
      tf.tidy(() => clusters.assignAndLearn(tf.gather(tf.concat([group(4, -1, step), group(4, 0, step + 10), group(4, 1, step + 20)]), order) as Tensor4D, keep));
    }
    order.dispose();
    const labels = tf.tidy(() => [...clusters.assign(tf.concat([group(5, -1, 99), group(5, 0, 98), group(5, 1, 97)]) as Tensor4D).dataSync()]);
    const byGroup = [labels.slice(0, 5), labels.slice(5, 10), labels.slice(10)];
    for (const g of byGroup) expect(new Set(g).size).toBe(1);
    expect(new Set(byGroup.map((g) => g[0])).size).toBe(3);
    clusters.dispose();
  });

  it('a reloaded state continues exactly as the original', () => {
    const a = new PixelClusters(tf, 4);
    tf.tidy(() => a.assignAndLearn(group(6, 0, 1), keep));
    const saved = a.state().save();
    const b = new PixelClusters(tf, 4);
    b.state().load({ tensors: saved.tensors, json: structuredClone(saved.json) });
    const batch = group(8, 0.2, 2);
    const la = tf.tidy(() => [...a.assignAndLearn(batch, keep).dataSync()]);
    const lb = tf.tidy(() => [...b.assignAndLearn(batch, keep).dataSync()]);
    expect(lb).toEqual(la);
    expect([...b.state().save().tensors.centroids!.dataSync()]).toEqual([...a.state().save().tensors.centroids!.dataSync()]);
    expect(() => new PixelClusters(tf, 5).state().load({ tensors: saved.tensors, json: saved.json })).toThrow(expect.objectContaining({ code: 'GF_CHECKPOINT' }));
    tf.dispose(batch);
    a.dispose();
    b.dispose();
  });
});
