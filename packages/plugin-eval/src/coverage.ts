/**
 * "eval/coverage": which digits a generator draws, as the MNIST classifier sees them. A generator drawing
 * only one digit covers 1/10 of the classes, whatever its image quality.
 */
import { defineMetric } from '@ganforge/core';
import { NUM_CLASSES } from './classifier.js';
import { extractorProtocol, featuresOf, predictions } from './features.js';

export const coverageMetric = defineMetric({
  description: 'Class coverage: share of the 10 digits that generated images are classified as, the class histogram, and the share classified confidently. Higher is better.',
  higherIsBetter: true,
  optionsSchema: {
    type: 'object',
    properties: {
      minShare: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 0.025,
        description: 'A class counts as covered when at least this share of generated images is classified as it (uniform: 0.1).',
      },
      confidence: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 0.9,
        description: 'An image counts as confidently classified when its top class probability reaches this.',
      },
    },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const minShare = options.minShare ?? 0.025;
    const threshold = options.confidence ?? 0.9;
    return {
      protocol: { ...extractorProtocol(tf), minShare, confidence: threshold },
      async compute({ fake, range }) {
        const { classes, confidence } = predictions(await featuresOf(tf, fake, range, 'eval/coverage'));
        const counts = new Array<number>(NUM_CLASSES).fill(0);
        for (const k of classes) counts[k]!++;
        const shares = counts.map((c) => c / classes.length);
        const covered = shares.filter((s) => s >= minShare).length;
        const confident = confidence.reduce((a, p) => a + (p >= threshold ? 1 : 0), 0) / classes.length;
        const out: Record<string, number> = { value: covered / NUM_CLASSES, confident };
        shares.forEach((share, k) => (out[`class_${k}`] = share));
        return out;
      },
    };
  },
});
