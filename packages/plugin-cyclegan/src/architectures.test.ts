import { beforeAll, describe, expect, it } from 'vitest';
import { isGanforgeError, type LayersModel, type Tensor } from '@ganforge/core';
import { buildModel, tf, useBackend } from '@ganforge/core/testing';
import { resnetGenerator } from './generator.js';
import { patchgan } from './patchgan.js';

beforeAll(() => useBackend());

const shape = (side: number, channels = 3) => ({ size: 4, shape: [side, side, channels] as [number, number, number] });
const params = (m: LayersModel) => m.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
const outShape = (m: LayersModel, x: Tensor) => tf.tidy(() => (m.predict(x) as Tensor).shape);

describe('cyclegan/resnet-generator', () => {
  it('the paper\'s 256 px net: c7s1-64, d128, d256, 9 × R256, u128, u64, c7s1-3', () => {
    const G = buildModel(resnetGenerator, { data: { a: shape(256), b: shape(256) }, name: 'gAB' });
    const convs = G.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => [l.getConfig().filters, l.getConfig().kernelSize]);
    expect(convs[0]).toEqual([64, [7, 7]]);
    expect(convs.slice(1, 3)).toEqual([[128, [3, 3]], [256, [3, 3]]]);
    expect(convs.slice(3, -1)).toHaveLength(18);
    expect(convs.at(-1)).toEqual([3, [7, 7]]);
    expect(G.layers.filter((l) => l.getClassName() === 'Conv2DTranspose').map((l) => l.getConfig().filters)).toEqual([128, 64]);
    expect(G.layers.filter((l) => l.getClassName() === 'InstanceNormalization')).toHaveLength(1 + 2 + 18 + 2);
    expect(G.layers.filter((l) => l.getClassName() === 'ReflectionPadding2D')).toHaveLength(2 + 18);
    expect(G.outputs[0]!.shape).toEqual([null, 256, 256, 3]);
    // PyTorch's ResnetGenerator(ngf=64, n_blocks=9, affine instance norm, no conv bias before a norm):
    // 7·7·3·64 + 3·3·64·128 + 3·3·128·256 + 18·3·3·256·256 + 3·3·256·128 + 3·3·128·64 + 7·7·64·3 + 3, plus 2 per normalized channel.
    const convWeights = 7 * 7 * 3 * 64 + 9 * 64 * 128 + 9 * 128 * 256 + 18 * 9 * 256 * 256 + 9 * 256 * 128 + 9 * 128 * 64 + 7 * 7 * 64 * 3 + 3;
    const norms = 2 * (64 + 128 + 256 + 18 * 256 + 128 + 64);
    expect(params(G)).toBe(convWeights + norms);
    G.dispose();
  });

  it.each([
    [8, 'instance'],
    [16, 'batch'],
    [12, 'none'],
  ] as const)('tiny nets translate %i px images (norm %s)', (side, norm) => {
    const G = buildModel(resnetGenerator, { options: { width: 4, blocks: 1, norm }, data: { a: shape(side), b: shape(side) } });
    expect(outShape(G, tf.zeros([2, side, side, 3]))).toEqual([2, side, side, 3]);
    expect(G.layers.some((l) => l.getClassName() === 'InstanceNormalization')).toBe(norm === 'instance');
    expect(G.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(norm === 'batch');
    // Biases only where no normalization follows (and on the output).
    const biased = G.layers.filter((l) => l.getClassName().startsWith('Conv') && l.getConfig().useBias).length;
    expect(biased).toBe(norm === 'none' ? 1 + 2 + 2 + 2 + 1 : 1);
    G.dispose();
  });

  it.each([0, 1, 3])('downsamplings %i: as many stride-2 convs and upsamplings, residual width w·2^d', (downs) => {
    const G = buildModel(resnetGenerator, { options: { width: 4, blocks: 1, downsamplings: downs }, data: { a: shape(16), b: shape(16) } });
    expect(outShape(G, tf.zeros([1, 16, 16, 3]))).toEqual([1, 16, 16, 3]);
    const strided = G.layers.filter((l) => l.getClassName() === 'Conv2D' && (l.getConfig().strides as number[])[0] === 2);
    expect(strided).toHaveLength(downs);
    expect(G.layers.filter((l) => l.getClassName() === 'Conv2DTranspose')).toHaveLength(downs);
    expect(G.getLayer('model_res0_conv1').getConfig().filters).toBe(4 * 2 ** downs);
    G.dispose();
  });

  it('maps between streams with different channel counts (from/to)', () => {
    const G = buildModel(resnetGenerator, { options: { width: 4, blocks: 1, from: 'grey', to: 'colour' }, data: { grey: shape(8, 1), colour: shape(8, 3) } });
    expect(G.inputs[0]!.shape).toEqual([null, 8, 8, 1]);
    expect(G.outputs[0]!.shape).toEqual([null, 8, 8, 3]);
  });

  it('weights: N(0, 0.02) kernels, seeded', () => {
    const build = (seed: number) => buildModel(resnetGenerator, { options: { width: 8, blocks: 2 }, data: { a: shape(8), b: shape(8) }, seed });
    const [a, b, c] = [build(1), build(1), build(2)];
    const values = (m: LayersModel) => [...m.trainableWeights[0]!.read().dataSync()];
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    const kernel = [...a.getLayer('model_res0_conv1').getWeights()[0]!.dataSync()];
    const std = Math.sqrt(kernel.reduce((s, v) => s + v * v, 0) / kernel.length);
    expect(std).toBeGreaterThan(0.017);
    expect(std).toBeLessThan(0.023);
  });

  it.each([
    [{ from: 'c' }, 'GF_SPEC_REFERENCE', /"c"/, 8],
    [{ to: 'x' }, 'GF_SPEC_REFERENCE', /"x"/, 8],
    [{}, 'GF_SPEC_CONFLICT', /divisible by 4/, 10],
    [{ downsamplings: 3 }, 'GF_SPEC_CONFLICT', /3 times, so height and width must be divisible by 8/, 12],
    [{ downsamplings: 3 }, 'GF_SPEC_CONFLICT', /down to 1x1: its residual blocks' reflection padding needs at least 2x2/, 8],
  ] as const)('bad options are coded errors (%#)', (options, code, message, side) => {
    try {
      buildModel(resnetGenerator, { options: { width: 4, blocks: 1, ...options }, data: { a: shape(side), b: shape(side) } });
      expect.unreachable();
    } catch (error) {
      expect(isGanforgeError(error)).toBe(true);
      expect((error as { code: string }).code).toBe(code);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('cyclegan/patchgan', () => {
  it('the 70x70 PatchGAN on 256 px: C64-C128-C256-C512-1, a 30x30 score map', () => {
    const D = buildModel(patchgan, { data: { a: shape(256) }, name: 'dA' });
    const convs = D.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => [l.getConfig().filters, l.getConfig().strides]);
    expect(convs).toEqual([[64, [2, 2]], [128, [2, 2]], [256, [2, 2]], [512, [1, 1]], [1, [1, 1]]]);
    expect(D.layers.filter((l) => l.getClassName() === 'InstanceNormalization')).toHaveLength(3);
    expect(D.outputs[0]!.shape).toEqual([null, 30, 30, 1]);
    // PyTorch's NLayerDiscriminator with affine instance norm: conv weights + first and last bias + norm scale/offset.
    const weights = 16 * (3 * 64 + 64 * 128 + 128 * 256 + 256 * 512 + 512) + 64 + 1 + 2 * (128 + 256 + 512);
    expect(params(D)).toBe(weights);
    D.dispose();
  });

  it('judges the stream it is told to, and tiny nets fit small images', () => {
    const D = buildModel(patchgan, { options: { width: 4, layers: 1, stream: 'b' }, data: { a: shape(16), b: shape(8, 1) } });
    expect(outShape(D, tf.zeros([2, 8, 8, 1]))).toEqual([2, 2, 2, 1]);
  });

  it('too many layers for the image size is a coded error', () => {
    try {
      buildModel(patchgan, { options: { layers: 3 }, data: { a: shape(16) } });
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('GF_SPEC_CONFLICT');
      expect((error as Error).message).toMatch(/patch map would be empty/);
    }
  });
});
