/** What both WGAN objectives declare alike: their models, data and loss role. */
import type { ObjectiveDefinition } from '@ganforge/core';

export const wganModels: ObjectiveDefinition['models'] = {
  generator: { description: 'Maps a noise vector to an image, e.g. dcgan/generator.' },
  critic: { description: 'Maps an image to one unbounded score (no sigmoid), e.g. wgan/critic; or an image and a label, for self-conditioning (option clusters), e.g. dcgan/discriminator with conditional "projection".' },
};

export const wganData: ObjectiveDefinition['data'] = {
  real: { description: 'The images to imitate (labels, if any, are not used).', labels: 'optional' },
};

export const wganLosses: NonNullable<ObjectiveDefinition['losses']> = {
  adversarial: {
    kind: 'adversarial',
    description: 'Loss on the critic scores: wgan/wasserstein, or wgan/hinge / wgan/lsgan.',
    default: { use: 'wgan/wasserstein' },
  },
};

export const nCriticOption = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  default: 5,
  description: 'Critic updates per generator update (n_critic), each on a fresh real batch.',
} as const;

export const clustersOption = {
  type: 'integer',
  minimum: 0,
  maximum: 10000,
  default: 0,
  description:
    'Self-conditioning by pixel clusters (Liu et al. 2020, with pixel k-means): a critic that takes a label (e.g. dcgan/discriminator with conditional "projection" and classes K) scores each real image with the nearest of K centroids (online k-means over the real images, kept in checkpoints) and each generated image with its code (generator options.codes K). No data label is read. 0: off.',
} as const;

/** What a trained WGAN offers, and where augmentations may apply. */
export const wganOffers: Pick<ObjectiveDefinition, 'artifacts' | 'ema' | 'augmentPoints'> = {
  artifacts: {
    generator: { description: 'Draws images from noise.', models: ['generator'], input: 'noise', output: 'image' },
  },
  ema: 'generator',
  augmentPoints: { critic: 'Real and generated images on their way into the critic (both phases): DiffAugment-style.' },
};
