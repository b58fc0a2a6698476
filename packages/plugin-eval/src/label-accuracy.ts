/** "eval/label-accuracy": for conditional generators, how often the MNIST classifier sees the digit that was asked for. */
import { defineMetric } from '@ganforge/core';
import { extractorProtocol, featuresOf, predictions } from './features.js';

export const labelAccuracyMetric = defineMetric({
  description: 'Conditional models: share of generated images classified as the label they were asked for. Higher is better; skipped for unconditional models.',
  higherIsBetter: true,
  build({ tf, log }) {
    let warned = false;
    return {
      protocol: extractorProtocol(tf),
      async compute({ fake, fakeLabels, range }): Promise<Record<string, number>> {
        if (!fakeLabels) {
          if (!warned) log.warn('eval/label-accuracy: the generator is not conditional, so there is no asked-for label to check; skipped.');
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
