/** "eval/fid": Fréchet distance between held-out real and generated digits in the MNIST classifier's feature space. */
import { defineMetric } from '@ganforge/core';
import { FEATURE_SIZE } from './classifier.js';
import { extractorProtocol, featuresOf } from './features.js';
import { fitGaussian, frechetDistance } from './frechet.js';

export const fidMetric = defineMetric({
  description: 'In-domain FID: Fréchet distance of MNIST-classifier features, real (held out) vs generated. Lower is better; not comparable with Inception FID.',
  higherIsBetter: false,
  build({ tf }) {
    return {
      protocol: { ...extractorProtocol(tf), statistic: 'Fréchet distance of Gaussians (float64, unbiased covariance)' },
      async compute({ real, fake, range }) {
        const [r, f] = await Promise.all([featuresOf(tf, real, range, 'eval/fid'), featuresOf(tf, fake, range, 'eval/fid')]);
        return { value: frechetDistance(fitGaussian(r.features, r.n, FEATURE_SIZE), fitGaussian(f.features, f.n, FEATURE_SIZE)) };
      },
    };
  },
});
