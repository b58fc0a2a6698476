import { beforeAll, describe, expect, it } from 'vitest';
import { isGanforgeError, type LayersModel, type Tensor } from '@ganforge/core';
import { discriminator } from './discriminator.js';
import { generator } from './generator.js';
import { buildModel, tf, useBackend } from '@ganforge/core/testing';

beforeAll(() => useBackend());

const mnist = { size: 100, shape: [28, 28, 1] as [number, number, number], numClasses: 10 };
const run = (model: LayersModel, inputs: Tensor | Tensor[]) => tf.tidy(() => (model.predict(inputs) as Tensor).shape);

describe('dcgan/generator and dcgan/discriminator', () => {
  it.each([
    [28, 1, 2],
    [28, 3, 2],
    [32, 1, 3],
    [32, 3, 3],
    [64, 3, 4],
  ])('fit %i px images with %i channel(s) (depth %i picked)', (size, channels, depth) => {
    const data = { size: 10, shape: [size, size, channels] as [number, number, number] };
    const G = buildModel(generator, { options: { width: 8, latentDim: 16 }, data: { real: data }, name: 'generator' });
    const D = buildModel(discriminator, { options: { width: 8 }, data: { real: data }, name: 'discriminator' });
    expect(run(G, tf.randomNormal([2, 16]))).toEqual([2, size, size, channels]);
    expect(run(D, tf.zeros([2, size, size, channels]))).toEqual([2, 1]);
    // Stride-2 layers: depth transposed convs in G, depth convs in D.
    expect(G.layers.filter((l) => l.getClassName() === 'Conv2DTranspose')).toHaveLength(depth);
    expect(D.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(depth);
    // Widths double towards the smallest feature map: G starts at width * 2^(depth-1).
    const dense = G.layers.find((l) => l.getClassName() === 'Dense')!;
    const base = size / 2 ** depth;
    expect(dense.getConfig().units).toBe(base * base * 8 * 2 ** (depth - 1));
    G.dispose();
    D.dispose();
  });

  it('the benchmark shape has exactly the PyTorch peer\'s parameters', () => {
    // Benchmark G: Linear(100, 6272, bias=False) 627,200 + BatchNorm2d(128) 256 + ConvTranspose2d(128, 64, 4, bias=False) 131,072
    //   + BatchNorm2d(64) 128 + ConvTranspose2d(64, 1, 4) 1,024 + 1 = 759,681.
    // Benchmark D: Conv2d(1, 64, 4) 1,024 + 64 + Conv2d(64, 128, 4) 131,072 + 128 + Linear(6272, 1) 6,272 + 1 = 138,561.
    const G = buildModel(generator, { options: { width: 64, latentDim: 100, activation: 'leakyRelu', batchNorm: true, kernelSize: 4 }, data: { real: mnist }, name: 'generator' });
    const D = buildModel(discriminator, { options: { width: 64, activation: 'leakyRelu', batchNorm: false, kernelSize: 4 }, data: { real: mnist }, name: 'discriminator' });
    expect(trainableParams(G)).toBe(759_681);
    expect(trainableParams(D)).toBe(138_561);
    // Layer by layer, in the peer's order.
    expect(G.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer', 'Dense', 'Reshape', 'BatchNormalization', 'LeakyReLU',
      'Conv2DTranspose', 'BatchNormalization', 'LeakyReLU', 'Conv2DTranspose', 'Activation',
    ]);
    expect(D.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Conv2D', 'LeakyReLU', 'Conv2D', 'LeakyReLU', 'Flatten', 'Dense']);
    expect(G.layers.at(-1)!.getConfig().activation).toBe('tanh');
    G.dispose();
    D.dispose();
  });

  it('the classic 64 px DCGAN: 4x4x512 → … → 64x64x3', () => {
    const data = { size: 10, shape: [64, 64, 3] as [number, number, number] };
    const G = buildModel(generator, { data: { real: data }, name: 'generator' });
    const widths = G.layers.filter((l) => l.getClassName() === 'Conv2DTranspose').map((l) => l.getConfig().filters);
    expect(widths).toEqual([256, 128, 64, 3]);
    expect(G.layers.find((l) => l.getClassName() === 'Reshape')!.getConfig().targetShape).toEqual([4, 4, 512]);
    G.dispose();
  });

  it('refine: stride-1 3x3 convs after each hidden upsampling, the image size unchanged', () => {
    const data = { size: 10, shape: [32, 32, 3] as [number, number, number] };
    const G = buildModel(generator, { options: { width: 8, latentDim: 16, refine: 2 }, data: { real: data }, name: 'generator' });
    const refines = G.layers.filter((l) => l.getClassName() === 'Conv2D');
    // depth 3 at 32 px: two hidden upsamplings (16 then 8 channels), two refinements each; none after the image layer.
    expect(refines.map((l) => [l.getConfig().filters, l.getConfig().kernelSize, l.getConfig().strides])).toEqual([
      [16, [3, 3], [1, 1]], [16, [3, 3], [1, 1]], [8, [3, 3], [1, 1]], [8, [3, 3], [1, 1]],
    ]);
    expect(run(G, tf.randomNormal([2, 16]))).toEqual([2, 32, 32, 3]);
    const plain = buildModel(generator, { options: { width: 8, latentDim: 16 }, data: { real: data }, name: 'generator' });
    expect(plain.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(0);
    G.dispose();
    plain.dispose();
  });

  it.each(['projection', 'concat'] as const)('conditional: G embeds labels, D takes them by %s', (mode) => {
    const G = buildModel(generator, { options: { width: 8, latentDim: 16, conditional: 'concat' }, data: { real: mnist }, name: 'generator' });
    const D = buildModel(discriminator, { options: { width: 8, conditional: mode }, data: { real: mnist }, name: 'discriminator' });
    expect(G.inputs).toHaveLength(2);
    expect(D.inputs).toHaveLength(2);
    const labels = tf.tensor1d([3, 7], 'int32');
    expect(run(G, [tf.randomNormal([2, 16]), labels])).toEqual([2, 28, 28, 1]);
    expect(run(D, [tf.zeros([2, 28, 28, 1]), labels])).toEqual([2, 1]);
    // The label changes the output.
    const score = (label: number) => (D.predict([tf.ones([1, 28, 28, 1]), tf.tensor1d([label], 'int32')]) as Tensor).dataSync()[0];
    expect(score(1)).not.toBe(score(2));
    G.dispose();
    D.dispose();
  });

  it('options change the nets: bias, batch norm, activation, kernel size, depth', () => {
    const G = buildModel(generator, { options: { width: 8, latentDim: 4, batchNorm: false, activation: 'relu', kernelSize: 3, depth: 1 }, data: { real: mnist } });
    expect(G.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    expect(G.layers.some((l) => l.getClassName() === 'ReLU')).toBe(true);
    const convT = G.layers.filter((l) => l.getClassName() === 'Conv2DTranspose');
    expect(convT.map((l) => l.getConfig().kernelSize)).toEqual([[3, 3]]);
    // Without batch norm, hidden layers get a bias by default.
    expect(G.layers.find((l) => l.getClassName() === 'Dense')!.getConfig().useBias).toBe(true);
    const D = buildModel(discriminator, { options: { width: 8, batchNorm: true, bias: false }, data: { real: mnist } });
    expect(D.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(1); // not on the first conv
    expect(D.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig().useBias)).toEqual([false, false]);
  });

  it('the same seed gives the same weights', () => {
    const a = buildModel(generator, { options: { width: 4, latentDim: 4 }, data: { real: mnist } });
    const b = buildModel(generator, { options: { width: 4, latentDim: 4 }, data: { real: mnist } });
    expect([...a.trainableWeights[0]!.read().dataSync()]).toEqual([...b.trainableWeights[0]!.read().dataSync()]);
  });

  it.each([
    [generator, { conditional: 'concat' }, { size: 5, shape: [28, 28, 1] }, /no labels/],
    [discriminator, { conditional: 'projection' }, { size: 5, shape: [28, 28, 1] }, /no labels/],
    [generator, {}, { size: 5, shape: [27, 27, 1] }, /cannot fit 27x27/],
    [discriminator, { depth: 3 }, { size: 5, shape: [28, 28, 1] }, /cannot be halved 3 times/],
  ] as const)('bad combinations give coded errors (%#)', (entry, options, data, message) => {
    try {
      buildModel(entry, { options: options, data: { real: data as never } });
      expect.unreachable();
    } catch (error) {
      expect(isGanforgeError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('GF_SPEC_CONFLICT');
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('conditional label inputs', () => {
  it('take int32 [batch] labels through apply (training) and predict (sampling), and [batch, 1] too', () => {
    const G = buildModel(generator, { options: { width: 4, latentDim: 8, conditional: 'concat' }, data: { real: mnist }, name: 'generator' });
    const D = buildModel(discriminator, { options: { width: 4, conditional: 'projection' }, data: { real: mnist }, name: 'discriminator' });
    tf.tidy(() => {
      const z = tf.randomNormal([3, 8]);
      const flat = tf.tensor1d([0, 5, 9], 'int32');
      const column = tf.tensor2d([[0], [5], [9]], [3, 1], 'int32');
      const images = G.apply([z, flat], { training: true }) as Tensor;
      expect(images.shape).toEqual([3, 28, 28, 1]);
      expect((G.predict([z, flat]) as Tensor).shape).toEqual([3, 28, 28, 1]);
      expect((G.predict([z, column]) as Tensor).shape).toEqual([3, 28, 28, 1]);
      expect((D.apply([images, flat], { training: true }) as Tensor).shape).toEqual([3, 1]);
      expect((D.predict([images, flat]) as Tensor).shape).toEqual([3, 1]);
    });
  });
});

describe('seeding', () => {
  it('conditional nets are reproducible too (label embeddings are seeded)', () => {
    const build = () => buildModel(discriminator, { options: { width: 4, conditional: 'projection' }, data: { real: mnist } });
    const a = build();
    const b = build();
    const weights = (m: LayersModel) => m.trainableWeights.map((w) => [...w.read().dataSync()]);
    expect(weights(a)).toEqual(weights(b));
  });
});

/** Trainable parameters (what PyTorch's parameters() counts; batch-norm running statistics are not). */
function trainableParams(model: LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}
