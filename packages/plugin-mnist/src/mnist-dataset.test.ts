import { describe, expect, it } from 'vitest';
import { isGanforgeError, nodeHost, PluginRegistry, type DataSource, type TF } from '@ganforge/core';
import mnistPlugin from './index.js';
import { mnistDataset } from './mnist-dataset.js';

const log = { info() {}, warn() {}, debug() {} };
// The dataset reads bytes and needs no tf.
const open = (options: Record<string, unknown>) =>
  mnistDataset.open({ tf: {} as TF, options: options as never, specDir: process.cwd(), storage: nodeHost().storage, log }) as DataSource;

describe('mnist/digits', () => {
  it('registers as a plugin under the namespace "mnist"', () => {
    const registry = new PluginRegistry();
    registry.register(mnistPlugin, { specifier: '@ganforge/plugin-mnist' });
    expect(registry.resolve('datasets', 'mnist/digits').entry).toBe(mnistDataset);
    expect(mnistPlugin.meta).toMatchObject({ name: '@ganforge/plugin-mnist', namespace: 'mnist', apiVersion: 1 });
  });

  it('serves all 10,000 labelled 28x28 digits as bytes', () => {
    const source = open({});
    expect(source.info).toEqual({ size: 10_000, shape: [28, 28, 1], numClasses: 10 });
    expect(source.range).toEqual([0, 255]);
    const batch = source.read([0, 9_999]) as { x: Uint8Array; label: Int32Array };
    expect(batch.x).toBeInstanceOf(Uint8Array);
    expect(batch.x.length).toBe(2 * 784);
    expect([...batch.label]).toEqual([0, 9]);
    // A digit has ink: some bright pixels, mostly background.
    const first = batch.x.subarray(0, 784);
    expect(Math.max(...first)).toBeGreaterThan(200);
    expect(first.filter((v) => v === 0).length).toBeGreaterThan(400);
  });

  it('keeps only the digits asked for, with the digit itself as label', () => {
    const source = open({ digits: [7, 3] });
    expect(source.info.size).toBe(1032 + 1070);
    expect(source.info.numClasses).toBe(10);
    const { label } = source.read([...Array(source.info.size).keys()]) as { label: Int32Array };
    expect(new Set(label)).toEqual(new Set([3, 7]));
  });

  it('splits each digit deterministically into train and validation halves', () => {
    const train = open({ digits: [0], split: 'train', validationFraction: 0.1 });
    const validation = open({ digits: [0], split: 'validation', validationFraction: 0.1 });
    expect(train.info.size + validation.info.size).toBe(1001);
    expect(validation.info.size).toBe(100);
    // The two halves share no image.
    const image = (s: DataSource, i: number) => Buffer.from((s.read([i]) as { x: Uint8Array }).x).toString('hex');
    const trainImages = new Set([...Array(train.info.size).keys()].map((i) => image(train, i)));
    expect([...Array(validation.info.size).keys()].some((i) => trainImages.has(image(validation, i)))).toBe(false);
  });

  it('caps the images per digit', () => {
    expect(open({ digits: [1, 2], maxPerDigit: 5 }).info.size).toBe(10);
  });

  it.each([
    [{ digits: [10] }, 'GF_SPEC_RANGE', /digits/],
    [{ digits: [1, 1] }, 'GF_SPEC_RANGE', /twice/],
    [{ digits: [] }, 'GF_SPEC_RANGE', /digits/],
    [{ split: 'test' }, 'GF_SPEC_ENUM', /split/],
    [{ validationFraction: 0.9 }, 'GF_SPEC_RANGE', /validationFraction/],
    [{ maxPerDigit: 0 }, 'GF_SPEC_RANGE', /maxPerDigit/],
  ])('rejects bad options %j with a coded error', (options, code, message) => {
    try {
      open(options);
      expect.unreachable();
    } catch (error) {
      expect(isGanforgeError(error)).toBe(true);
      expect((error as { code: string }).code).toBe(code);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('rejects reads outside the dataset', () => {
    const source = open({ digits: [5], maxPerDigit: 3 });
    expect(() => source.read([3])).toThrow(expect.objectContaining({ code: 'GF_DATA' }));
  });
});
