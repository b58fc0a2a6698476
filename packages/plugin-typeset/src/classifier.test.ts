/**
 * The typeset digits are the second domain of an MNIST ↔ typeset CycleGAN, where "does the translation keep
 * the digit?" is measured by the MNIST classifier of @ganforge/plugin-eval: it must read the typeset digits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '@ganforge/core';
import { entryOptions, silentLog, tf, useBackend } from '@ganforge/core/testing';
import { loadClassifier, type FeatureExtractor } from '@ganforge/plugin-eval';
import { FONT_IDS } from './fonts.js';
import { typesetDataset } from './typeset-dataset.js';

let classifier: FeatureExtractor;
beforeAll(async () => {
  await useBackend();
  classifier = loadClassifier(tf);
});
afterAll(() => classifier?.dispose());

async function accuracy(options: Record<string, unknown>): Promise<number> {
  const source = typesetDataset.open({ tf, options: entryOptions(typesetDataset, options), specDir: '.', log: silentLog } as never) as DataSource;
  const n = source.info.size;
  const { x, label } = source.read([...Array(n).keys()]) as { x: Uint8Array; label: Int32Array };
  const images = tf.tensor4d(Float32Array.from(x, (v) => v / 255), [n, 28, 28, 1]);
  const { probabilities } = await classifier.run(images);
  images.dispose();
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (probabilities[i * 10 + k]! > probabilities[i * 10 + best]!) best = k;
    if (best === label[i]) hits++;
  }
  return hits / n;
}

describe('the plugin-eval MNIST classifier on typeset digits', () => {
  it('labels at least 90 % of the default dataset correctly', async () => {
    const overall = await accuracy({ size: 2_000, seed: 11 });
    console.log(`typeset/digits, default options: classifier accuracy ${(overall * 100).toFixed(1)} %`);
    expect(overall).toBeGreaterThanOrEqual(0.9);
  });

  it('reads every font well enough (at least 85 % each)', async () => {
    const perFont: Record<string, string> = {};
    let worst = 1;
    for (const font of FONT_IDS) {
      const value = await accuracy({ size: 200, seed: 11, fonts: [font] });
      perFont[font] = `${(value * 100).toFixed(1)} %`;
      worst = Math.min(worst, value);
    }
    console.table(perFont);
    expect(worst).toBeGreaterThanOrEqual(0.85);
  });
});
