/**
 * The metrics on real digits with the committed classifier (cpu backend, small N): the sanity checks that
 * make the numbers trustworthy. Held-out digits only: the classifier never trained on them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGanforgeError, PluginRegistry, type Tensor4D } from '@ganforge/core';
import { loadClassifier, readManifest } from './classifier.js';
import { coverageMetric } from './coverage.js';
import { fidMetric } from './fid.js';
import evalPlugin from './index.js';
import { kidMetric } from './kid.js';
import { labelAccuracyMetric } from './label-accuracy.js';
import { tf, useBackend } from '@ganforge/core/testing';
import { buildMetric, heldOutDigits, pick, strided, TANH } from './testing/mnist-digits.js';

let digits: { images: Tensor4D; labels: Int32Array };
beforeAll(async () => {
  await useBackend();
  digits = heldOutDigits();
});
afterAll(() => digits.images.dispose());

describe('@ganforge/plugin-eval', () => {
  it('registers eval/fid, eval/kid, eval/coverage and eval/label-accuracy with their directions', () => {
    const registry = new PluginRegistry();
    registry.register(evalPlugin, { specifier: '@ganforge/plugin-eval' });
    expect(registry.resolve('metrics', 'eval/fid').entry.higherIsBetter).toBe(false);
    expect(registry.resolve('metrics', 'eval/kid').entry.higherIsBetter).toBe(false);
    expect(registry.resolve('metrics', 'eval/coverage').entry.higherIsBetter).toBe(true);
    expect(registry.resolve('metrics', 'eval/label-accuracy').entry.higherIsBetter).toBe(true);
  });

  it('loads the committed classifier, whose weights match their manifest and classify held-out digits', async () => {
    const extractor = loadClassifier(tf);
    expect(extractor.hash).toBe(readManifest().sha256);
    expect(readManifest().heldOut.accuracy).toBeGreaterThanOrEqual(0.98);
    const sample = strided(digits.labels.length, 5, 0);
    const images = tf.tidy(() => tf.div(tf.add(pick(digits.images, sample), 1), 2)) as Tensor4D;
    const { probabilities } = await extractor.run(images);
    images.dispose();
    extractor.dispose();
    let correct = 0;
    sample.forEach((index, row) => {
      const p = probabilities.subarray(row * 10, row * 10 + 10);
      if (p.indexOf(Math.max(...p)) === digits.labels[index]) correct++;
    });
    expect(correct / sample.length).toBeGreaterThan(0.97);
  });

  it('FID and KID: real vs real from one distribution scores far below real vs noise', async () => {
    const n = digits.labels.length;
    const a = pick(digits.images, strided(n, 2, 0));
    const b = pick(digits.images, strided(n, 2, 1));
    const noise = tf.randomUniform(a.shape, -1, 1, 'float32', 7) as Tensor4D;
    const fid = await buildMetric(fidMetric);
    const kid = await buildMetric(kidMetric, { subsets: 20 });
    const realFid = (await fid.compute({ real: a, fake: b, range: TANH })).value!;
    const noiseFid = (await fid.compute({ real: a, fake: noise, range: TANH })).value!;
    const realKid = await kid.compute({ real: a, fake: b, range: TANH });
    const noiseKid = await kid.compute({ real: a, fake: noise, range: TANH });
    tf.dispose([a, b, noise]);
    expect(realFid).toBeGreaterThanOrEqual(0);
    expect(noiseFid).toBeGreaterThan(20 * realFid);
    expect(noiseKid.value!).toBeGreaterThan(20 * Math.abs(realKid.value!));
    expect(fid.protocol).toMatchObject({ extractorSha256: readManifest().sha256 });
  });

  it('coverage: a generator that draws only one digit covers 1/10 of the classes; real digits cover all', async () => {
    const coverage = await buildMetric(coverageMetric);
    const ones = heldOutDigits({ digits: [1] });
    const onlyOnes = await coverage.compute({ real: digits.images, fake: ones.images, range: TANH });
    const all = await coverage.compute({ real: digits.images, fake: digits.images, range: TANH });
    ones.images.dispose();
    expect(onlyOnes.value).toBe(0.1);
    expect(onlyOnes.class_1).toBeGreaterThan(0.95);
    expect(all.value).toBe(1);
    expect(all.confident).toBeGreaterThan(0.9);
  });

  it("KID's std over subsets shrinks as N grows", async () => {
    const kid = await buildMetric(kidMetric, { subsets: 30 });
    const std = async (n: number) => {
      const a = pick(digits.images, strided(digits.labels.length, 2, 0).slice(0, n));
      const b = pick(digits.images, strided(digits.labels.length, 2, 1).slice(0, n));
      const out = await kid.compute({ real: a, fake: b, range: TANH });
      tf.dispose([a, b]);
      return out.std!;
    };
    const small = await std(60);
    const large = await std(480);
    expect(large).toBeLessThan(small / 2);
  });

  it('label accuracy: high for the true labels, chance-level for shuffled ones, skipped without labels', async () => {
    const metric = await buildMetric(labelAccuracyMetric);
    const sample = strided(digits.labels.length, 4, 0);
    const images = pick(digits.images, sample);
    const truth = tf.tensor1d(sample.map((i) => digits.labels[i]!), 'int32');
    const shuffled = tf.tensor1d(sample.map((i) => (digits.labels[i]! + 3) % 10), 'int32');
    const right = await metric.compute({ real: images, fake: images, fakeLabels: truth, range: TANH });
    const wrong = await metric.compute({ real: images, fake: images, fakeLabels: shuffled, range: TANH });
    const none = await metric.compute({ real: images, fake: images, range: TANH });
    tf.dispose([images, truth, shuffled]);
    expect(right.value).toBeGreaterThan(0.95);
    expect(wrong.value).toBeLessThan(0.05);
    expect(none).toEqual({});
  });

  it('rejects images that are not 28x28 grayscale with a coded error', async () => {
    const fid = await buildMetric(fidMetric);
    const rgb = tf.zeros([4, 32, 32, 3]) as Tensor4D;
    await expect(fid.compute({ real: rgb, fake: rgb, range: TANH })).rejects.toSatisfy((e: unknown) => isGanforgeError(e) && (e as { code: string }).code === 'GF_SPEC_CONFLICT');
    rgb.dispose();
  });
});
