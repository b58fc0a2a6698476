import { beforeAll, describe, expect, it } from 'vitest';
import { isGanforgeError, type LayersModel, type Tensor } from '@ganforge/core';
import { buildModel, entryOptions, tf, useBackend } from '@ganforge/core/testing';
import { discriminator } from './discriminator.js';
import { srresnet } from './srresnet.js';

beforeAll(() => useBackend());

const hr = (side: number, channels = 3) => ({ hr: { size: 4, shape: [side, side, channels] as [number, number, number] } });
const outShape = (m: LayersModel, shape: number[]) => tf.tidy(() => (m.predict(tf.zeros(shape)) as Tensor).shape);
const classes = (m: LayersModel, name: string) => m.layers.filter((l) => l.getClassName() === name);

describe('srgan/srresnet', () => {
  it('the paper\'s net: 9x9 conv 64 + PReLU, 16 blocks, trunk conv + BN, two ×2 pixel-shuffle stages, 9x9 conv to C, tanh', () => {
    const G = buildModel(srresnet, { data: hr(96), name: 'generator' });
    const convs = classes(G, 'Conv2D').map((l) => [l.getConfig().filters, l.getConfig().kernelSize]);
    expect(convs[0]).toEqual([64, [9, 9]]);
    expect(convs.slice(1, 33).every(([f, k]) => f === 64 && JSON.stringify(k) === '[3,3]')).toBe(true);
    expect(convs.slice(33)).toEqual([[64, [3, 3]], [256, [3, 3]], [256, [3, 3]], [3, [9, 9]]]);
    expect(classes(G, 'BatchNormalization')).toHaveLength(33);
    expect(classes(G, 'PixelShuffle')).toHaveLength(2);
    // PReLU per channel: one slope per feature map (sharedAxes [1, 2]).
    expect(classes(G, 'PReLU').map((l) => l.getWeights()[0]!.shape)).toEqual(Array(1 + 16 + 2).fill([1, 1, 64]));
    expect(G.inputs[0]!.shape).toEqual([null, null, null, 3]);
    expect(G.layers.at(-1)!.getConfig().activation).toBe('tanh');
    G.dispose();
  });

  it.each([
    [2, [1, 8, 8, 3], [1, 16, 16, 3]],
    [2, [2, 5, 7, 3], [2, 10, 14, 3]],
    [4, [1, 6, 3, 3], [1, 24, 12, 3]],
    [4, [1, 4, 4, 3], [1, 16, 16, 3]],
  ] as const)('tiny nets (scale %i) upscale images of any size: %j → %j', (scale, input, output) => {
    const G = buildModel(srresnet, { options: { width: 4, blocks: 1, scale }, data: hr(16) });
    expect(outShape(G, [...input])).toEqual(output);
    G.dispose();
  });

  it('batchNorm false drops every BN (convs get biases); skip "bilinear" adds the bilinearly upscaled input', () => {
    const plain = buildModel(srresnet, { options: { width: 4, blocks: 2, scale: 2, batchNorm: false }, data: hr(16) });
    expect(classes(plain, 'BatchNormalization')).toHaveLength(0);
    expect(classes(plain, 'Conv2D').every((l) => l.getConfig().useBias === true)).toBe(true);
    plain.dispose();
    const G = buildModel(srresnet, { options: { width: 4, blocks: 1, scale: 4, skip: 'bilinear' }, data: hr(16) });
    // With the last conv zeroed the net is exactly bilinear interpolation.
    const last = classes(G, 'Conv2D').at(-1)!;
    last.setWeights(last.getWeights().map((w) => tf.zerosLike(w)));
    const x = tf.randomUniform([1, 5, 6, 3], -1, 1, 'float32', 9);
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(G.predict(x) as Tensor, tf.image.resizeBilinear(x as never, [20, 24])))).dataSync()[0]!);
    expect(gap).toBeLessThan(1e-6);
    tf.dispose(x);
    G.dispose();
  });

  it('grey streams, linear output, no blocks; seeded weights', () => {
    const G = buildModel(srresnet, { options: { width: 4, blocks: 0, scale: 2, outputActivation: 'linear' }, data: hr(8, 1), seed: 3 });
    expect(outShape(G, [1, 3, 3, 1])).toEqual([1, 6, 6, 1]);
    expect(G.layers.at(-1)!.getConfig().activation).toBe('linear');
    const again = buildModel(srresnet, { options: { width: 4, blocks: 0, scale: 2, outputActivation: 'linear' }, data: hr(8, 1), seed: 3 });
    const other = buildModel(srresnet, { options: { width: 4, blocks: 0, scale: 2, outputActivation: 'linear' }, data: hr(8, 1), seed: 4 });
    const first = (m: LayersModel) => [...m.trainableWeights[0]!.read().dataSync()];
    expect(first(again)).toEqual(first(G));
    expect(first(other)).not.toEqual(first(G));
  });

  it('bad options are coded errors', () => {
    for (const [options, code] of [[{ scale: 3 }, /^GF_SPEC/], [{ width: 0 }, /^GF_SPEC/]] as const) {
      try {
        entryOptions(srresnet, options);
        expect.unreachable();
      } catch (error) {
        expect(isGanforgeError(error)).toBe(true);
        expect((error as { code: string }).code).toMatch(code);
      }
    }
    try {
      buildModel(srresnet, { options: { stream: 'x' }, data: hr(8) });
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('GF_SPEC_REFERENCE');
    }
  });
});

describe('srgan/discriminator', () => {
  it('the paper\'s net on 96 px: k3n64s1, k3n64s2, k3n128s1, k3n128s2 … k3n512s2, dense 1024, dense 1', () => {
    const D = buildModel(discriminator, { data: hr(96), name: 'discriminator' });
    const convs = classes(D, 'Conv2D').map((l) => [l.getConfig().filters, (l.getConfig().strides as number[])[0]]);
    expect(convs).toEqual([[64, 1], [64, 2], [128, 1], [128, 2], [256, 1], [256, 2], [512, 1], [512, 2]]);
    expect(classes(D, 'BatchNormalization')).toHaveLength(7);
    expect(classes(D, 'Dense').map((l) => l.getConfig().units)).toEqual([1024, 1]);
    expect(D.getLayer('discriminator_flatten').outputShape).toEqual([null, 6 * 6 * 512]);
    expect(D.outputs[0]!.shape).toEqual([null, 1]);
    D.dispose();
  });

  it('tiny nets judge the hr stream', () => {
    const D = buildModel(discriminator, { options: { width: 4, depth: 2, dense: 16 }, data: hr(16) });
    expect(D.inputs[0]!.shape).toEqual([null, 16, 16, 3]);
    expect(outShape(D, [3, 16, 16, 3])).toEqual([3, 1]);
  });
});
