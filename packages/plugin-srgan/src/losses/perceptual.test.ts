/**
 * srgan/perceptual: the packaged feature net loads (sha256-checked) and stays frozen; the loss is 0 for
 * identical images, grows with distortion, passes finite nonzero gradients to the prediction, and trains a
 * tiny SRResNet through the engine as its content loss without moving the feature net.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PairwiseLoss, Tensor4D } from '@ganforge/core';
import { entryOptions, tf, useBackend } from '@ganforge/core/testing';
import { loadPhotoFeatures } from '../features/photo-features.js';
import { tinySpec, trainTiny } from '../testing/train-tiny.js';
import { perceptualLossEntry } from './perceptual.js';

beforeAll(() => useBackend('cpu'));

const build = (options: Record<string, unknown> = {}) => perceptualLossEntry.build({ tf, options: entryOptions(perceptualLossEntry, options) }) as PairwiseLoss;

describe('srgan/perceptual', () => {
  it('is 0 for identical images, grows with the distortion, and sends finite nonzero gradients', () => {
    const loss = build();
    const target = tf.randomUniform([2, 24, 24, 3], -1, 1, 'float32', 1) as Tensor4D;
    const noise = tf.randomNormal([2, 24, 24, 3], 0, 1, 'float32', 2) as Tensor4D;
    const at = (amount: number) => tf.tidy(() => loss(tf.add(target, tf.mul(noise, amount)), target).dataSync()[0]!);
    expect(at(0)).toBe(0);
    const [small, large] = [at(0.05), at(0.3)];
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small);
    const grad = tf.grad((x: Tensor4D) => loss(x, target))(tf.add(target, tf.mul(noise, 0.1)) as Tensor4D);
    const g = Array.from(grad.dataSync());
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.some((v) => v !== 0)).toBe(true);
    tf.dispose([target, noise, grad]);
  });

  it('reads a deeper tap when asked, and the rescale multiplies', () => {
    const x = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 3) as Tensor4D;
    const y = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 4) as Tensor4D;
    const [b2, b3, b2x] = [build(), build({ layer: 'block3' }), build({ rescale: 10 })].map((l) => l(x, y).dataSync()[0]!);
    expect(b3).not.toBeCloseTo(b2!, 6);
    expect(b2x).toBeCloseTo(10 * b2!, 4);
    tf.dispose([x, y]);
  });

  it('trains a tiny SRResNet as its content loss; the feature net does not move', async () => {
    const { model } = loadPhotoFeatures(tf);
    expect(model.trainable).toBe(false);
    const spec = tinySpec({ steps: 6, lr: 3e-3 });
    spec.losses = { content: { use: 'srgan/perceptual', options: { layer: 'block1' } } };
    const { steps } = await trainTiny(spec);
    const losses = steps.map((s) => s.losses.generator!);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    // Every photo-features variable alive now (the loss's own copy among them) still holds the packaged values.
    const packaged = new Map(model.weights.map((w) => [`${w.name.split('/')[0]!.replace(/_\d+$/, '')}|${w.shape}`, w.read().dataSync()]));
    const layer = /^(conv1_1|block1|conv2_1|block2|conv3_1|block3)(_\d+)?\/(kernel|bias)/;
    let checked = 0;
    for (const v of Object.values(tf.engine().registeredVariables) as { name: string; shape: number[]; dataSync(): Float32Array }[]) {
      const match = layer.exec(v.name);
      const want = match && packaged.get(`${match[1]}|${v.shape}`);
      if (!want) continue;
      expect(Array.from(v.dataSync())).toEqual(Array.from(want));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2 * 12);
  });
});
