/** "eval/kid": unbiased kernel distance (KID) of MNIST-classifier features, mean and std over random subsets. */
import { defineMetric } from '@ganforge/core';
import { FEATURE_SIZE } from './classifier.js';
import { extractorProtocol, featuresOf } from './features.js';
import { kernelDistance } from './mmd.js';

export const kidMetric = defineMetric({
  description: 'In-domain KID: unbiased MMD² (cubic polynomial kernel) of MNIST-classifier features, mean and std over subsets. Lower is better.',
  higherIsBetter: false,
  optionsSchema: {
    type: 'object',
    properties: {
      subsets: { type: 'integer', minimum: 2, maximum: 10000, default: 100, description: 'Number of random subsets.' },
      subsetSize: {
        type: 'integer',
        minimum: 2,
        maximum: 100000,
        description: 'Images per subset. Default: half the images, at most 1000 (so subsets differ and the std means something).',
      },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Seed of the subset draws.' },
    },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const subsets = options.subsets ?? 100;
    const seed = options.seed ?? 0;
    return {
      protocol: { ...extractorProtocol(tf), statistic: 'unbiased MMD², kernel (x·y/d + 1)³', subsets, subsetSize: options.subsetSize ?? 'min(1000, n/2)', seed } as Record<string, unknown>,
      async compute({ real, fake, range }) {
        const [r, f] = await Promise.all([featuresOf(tf, real, range, 'eval/kid'), featuresOf(tf, fake, range, 'eval/kid')]);
        const subsetSize = options.subsetSize ?? Math.max(2, Math.min(1000, Math.floor(Math.min(r.n, f.n) / 2)));
        const kid = kernelDistance(r.features, r.n, f.features, f.n, FEATURE_SIZE, { subsets, subsetSize, seed });
        return { value: kid.mean, std: kid.std, subsetSize: kid.subsetSize };
      },
    };
  },
});
