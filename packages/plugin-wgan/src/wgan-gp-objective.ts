/**
 * WGAN-GP (Gulrajani et al. 2017, Algorithm 1): the critic's Wasserstein loss plus λ times a gradient
 * penalty on per-image gradient norms at random interpolates between real and generated images, n_critic
 * critic updates per generator update. Paper defaults: Adam lr 1e-4, β1 = 0, β2 = 0.9, λ = 10, n_critic = 5.
 * Options: the one-sided penalty, or R1 on real images (Mescheder et al. 2018) instead.
 */
import { defineObjective, GanforgeError, type LayersModel } from '@ganforge/core';
import { criticTraining } from './critic-training.js';
import { PENALTIES } from '@ganforge/plugin-stability';
import { clustersOption, nCriticOption, wganData, wganLosses, wganModels, wganOffers } from './models.js';

const ADAM = { type: 'adam', lr: 1e-4, beta1: 0, beta2: 0.9 } as const;

export const wganGpObjective = defineObjective({
  description: 'WGAN-GP: critic loss plus a per-image gradient penalty (two-sided, one-sided or R1), n_critic critic updates per generator update.',
  optionsSchema: {
    type: 'object',
    properties: {
      nCritic: nCriticOption,
      clusters: clustersOption,
      penalty: {
        enum: [...PENALTIES],
        default: 'two-sided',
        description: '"two-sided": λ E[(‖∇D(x̂)‖ - t)²] on interpolates (the paper); "one-sided": only norms above t cost; "r1": λ/2 E[‖∇D(x)‖²] on real images.',
      },
      lambda: { type: 'number', minimum: 0, maximum: 1e6, default: 10, description: 'λ: weight of the gradient penalty.' },
      target: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, default: 1, description: 't: the gradient norm the two- and one-sided penalties pull toward (unused by r1).' },
    },
    additionalProperties: false,
  },
  models: wganModels,
  data: wganData,
  optimizers: {
    generator: { models: ['generator'], defaults: ADAM },
    critic: { models: ['critic'], defaults: ADAM },
  },
  losses: wganLosses,
  ...wganOffers,
  setup(ctx) {
    const { options } = ctx;
    rejectBatchNorm(ctx.models.critic!);
    return criticTraining(ctx, { nCritic: options.nCritic, clusters: options.clusters }, {
      penalty: { kind: options.penalty, weight: options.lambda, target: options.target },
    });
  },
});

/** Batch norm mixes the images of a batch, so per-image gradients (and the penalty on them) lose their meaning. */
function rejectBatchNorm(critic: LayersModel): void {
  const batchNorm = critic.layers.find((layer) => layer.getClassName() === 'BatchNormalization');
  if (batchNorm) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `The WGAN-GP critic "${critic.name}" has a batch-norm layer ("${batchNorm.name}"), which makes one image's score depend on the others and breaks the per-image gradient penalty.`, {
      hint: 'Use wgan/critic with options.normalization "layer" or "none" (dcgan/discriminator: batchNorm false).',
    });
  }
}
