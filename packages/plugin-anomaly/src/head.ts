/**
 * The `anomaly/score` head: one anomaly score per image from a trained GANomaly run's models (higher = more
 * anomalous).
 * - "latent" (GANomaly): mean over z of (G_E(x) − E(G_D(G_E(x))))².
 * - "residual" (f-AnoGAN's izi_f score, Schlegl et al. 2019): mean over pixels of (x − x̂)² plus
 *   κ · mean over features of (f(x) − f(x̂))², with f the discriminator's features and x̂ = G_D(G_E(x)).
 */
import { defineHead, GanforgeError, type LayersModel, type Tensor, type Tensor1D } from '@ganforge/core';

export const scoreHead = defineHead({
  description: 'Anomaly score per image from encoder/decoder/reencoder (GANomaly latent distance) or reconstruction + feature residuals (f-AnoGAN).',
  optionsSchema: {
    type: 'object',
    properties: {
      method: {
        enum: ['latent', 'residual'],
        default: 'latent',
        description: '"latent": |z − ẑ|² (GANomaly, needs encoder, decoder, reencoder); "residual": |x − x̂|² + κ|f(x) − f(x̂)|² (f-AnoGAN, needs encoder, decoder, discriminator).',
      },
      kappa: { type: 'number', minimum: 0, default: 1, description: 'Weight of the feature residual for "residual" (f-AnoGAN: 1).' },
    },
    additionalProperties: false,
  },
  build({ tf, options, models }) {
    const needed = options.method === 'latent' ? ['encoder', 'decoder', 'reencoder'] : ['encoder', 'decoder', 'discriminator'];
    const missing = needed.filter((name) => !models[name]);
    if (missing.length > 0) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `The anomaly/score head ("${options.method}") needs model${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, but the run has ${Object.keys(models).map((m) => `"${m}"`).join(', ') || 'no models'}.`, {
        pointer: '/heads',
        hint: 'Train with the anomaly/ganomaly objective (models encoder, decoder, reencoder, discriminator), or pick the method its models allow.',
      });
    }
    const run = (model: LayersModel, x: Tensor) => model.apply(x, { training: false }) as Tensor | Tensor[];
    const { encoder, decoder, reencoder, discriminator } = models as Record<string, LayersModel>;
    return {
      score: (images) =>
        tf.tidy(() => {
          const z = run(encoder!, images) as Tensor;
          const reconstruction = run(decoder!, z) as Tensor;
          if (options.method === 'latent') return tf.mean(tf.squaredDifference(z, run(reencoder!, reconstruction) as Tensor), 1) as Tensor1D;
          const pixels = tf.mean(tf.reshape(tf.squaredDifference(images, reconstruction), [images.shape[0], -1]), 1);
          const features = (x: Tensor) => (run(discriminator!, x) as Tensor[])[1]!;
          const residual = tf.mean(tf.squaredDifference(features(images), features(reconstruction)), 1);
          return tf.add(pixels, tf.mul(residual, options.kappa)) as Tensor1D;
        }),
    };
  },
});
