/**
 * WGAN (Arjovsky et al. 2017, Algorithm 1): n_critic critic updates on the Wasserstein loss, every one
 * followed by clipping all critic weights to [-c, c], then one generator update. Paper defaults:
 * RMSprop lr 5e-5 for both networks (momentum-based optimizers made training unstable), c = 0.01, n_critic = 5.
 * rho 0.99 and epsilon 1e-8 are the reference code's (PyTorch RMSprop defaults).
 */
import { defineObjective } from '@ganforge/core';
import { criticTraining } from './critic-training.js';
import { clustersOption, nCriticOption, wganData, wganLosses, wganModels, wganOffers } from './models.js';
import { clipWeights } from './weight-clipping.js';

const RMSPROP = { type: 'rmsprop', lr: 5e-5, rho: 0.99, epsilon: 1e-8, momentum: 0 } as const;

export const wganObjective = defineObjective({
  description: 'WGAN with weight clipping: n_critic critic updates (weights clipped to [-c, c] after each), then a generator update.',
  optionsSchema: {
    type: 'object',
    properties: {
      nCritic: nCriticOption,
      clusters: clustersOption,
      clip: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.01, description: 'c: critic weights are clipped to [-c, c] after every critic update.' },
    },
    additionalProperties: false,
  },
  models: wganModels,
  data: wganData,
  optimizers: {
    generator: { models: ['generator'], defaults: RMSPROP },
    critic: { models: ['critic'], defaults: RMSPROP },
  },
  losses: wganLosses,
  ...wganOffers,
  setup(ctx) {
    const { tf, options } = ctx;
    return criticTraining(ctx, { nCritic: options.nCritic, clusters: options.clusters }, { afterCriticUpdate: (critic) => clipWeights(tf, critic, options.clip) });
  },
});
