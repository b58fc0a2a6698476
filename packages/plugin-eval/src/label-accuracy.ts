/**
 * "eval/label-accuracy": how often the MNIST classifier sees the digit each image should show — the label a
 * conditional generator was asked for, or the label of a translator's input (label preservation).
 */
import { defineMetric } from '@ganforge/core';
import { extractorProtocol, featuresOf, predictions } from './features.js';

export const labelAccuracyMetric = defineMetric({
  description: 'Conditional generators: share of images classified as the label asked for; translators: as the label of their input (label preservation). Higher is better; skipped when there is no label.',
  higherIsBetter: true,
  build({ tf, log }) {
    let warned = false;
    return {
      protocol: extractorProtocol(tf),
      async compute({ fake, fakeLabels, range }): Promise<Record<string, number>> {
        if (!fakeLabels) {
          if (!warned) log.warn('eval/label-accuracy: the images carry no label to check (an unconditional generator, or a translator whose inputs are unlabelled); skipped.');
          warned = true;
          return {};
        }
        const { classes } = predictions(await featuresOf(tf, fake, range, 'eval/label-accuracy'));
        const asked = await fakeLabels.data();
        let hits = 0;
        for (let i = 0; i < classes.length; i++) if (classes[i] === asked[i]) hits++;
        return { value: hits / classes.length };
      },
    };
  },
});
