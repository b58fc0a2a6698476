import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@ganforge/core';
import { critic } from './critic.js';
import { buildModel, tf, useBackend } from '@ganforge/core/testing';

beforeAll(() => useBackend());

const info = (size: number, channels = 1) => ({ size: 10, shape: [size, size, channels] as [number, number, number] });
const layerClasses = (options: Record<string, unknown>, size = 28) => buildModel(critic, { options: { width: 4, ...options }, data: { real: info(size) } }).layers.map((l) => l.getClassName());

describe('wgan/critic', () => {
  it('scores each image with one unbounded linear output', () => {
    const model = buildModel(critic, { options: { width: 4 }, data: { real: info(28) } });
    const scores = model.predict(tf.randomNormal([3, 28, 28, 1])) as Tensor;
    expect(scores.shape).toEqual([3, 1]);
    const last = model.layers.at(-1)!;
    expect(last.getClassName()).toBe('Dense');
    expect((last.getConfig() as { activation: string }).activation).toBe('linear');
    expect(layerClasses({})).not.toContain('Activation');
  });

  it('halves the size down to at least 4 px: depth 2 at 28 px, 3 at 32 px, 4 at 64 px; width doubles per layer', () => {
    for (const [size, depth] of [[28, 2], [32, 3], [64, 4]] as const) {
      const model = buildModel(critic, { options: { width: 4 }, data: { real: info(size, 3) } });
      const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
      expect(convs).toHaveLength(depth);
      expect(convs.map((c) => (c.getConfig() as { filters: number }).filters)).toEqual(Array.from({ length: depth }, (_, i) => 4 * 2 ** i));
    }
  });

  it('has no normalisation by default, layer norm or batch norm when asked, never on the first convolution', () => {
    expect(layerClasses({})).not.toContain('BatchNormalization');
    expect(layerClasses({})).not.toContain('LayerNormalization');
    expect(layerClasses({ normalization: 'layer' }).filter((c) => c === 'LayerNormalization')).toHaveLength(1);
    expect(layerClasses({ normalization: 'batch' }).filter((c) => c === 'BatchNormalization')).toHaveLength(1);
  });

  it('rejects images it cannot halve, with a coded error', () => {
    expect(() => buildModel(critic, { data: { real: info(7) } })).toThrowError(expect.objectContaining({ code: 'GF_SPEC_CONFLICT' }));
    expect(() => buildModel(critic, { options: { depth: 3 }, data: { real: info(28) } })).toThrowError(expect.objectContaining({ code: 'GF_SPEC_CONFLICT' }));
  });
});
