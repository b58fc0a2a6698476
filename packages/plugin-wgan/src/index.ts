/**
 * @ganforge/plugin-wgan: Wasserstein GANs for ganforge: the "wgan/critic" architecture, the "wgan/wgan"
 * (weight clipping) and "wgan/wgan-gp" (gradient penalty) objectives, and the "wgan/wasserstein",
 * "wgan/lsgan" and "wgan/hinge" adversarial losses (the last two work with any objective's adversarial role).
 */
import { definePlugin } from '@ganforge/core';
import { critic } from './critic.js';
import { hingeLoss } from './losses/hinge.js';
import { lsganLoss } from './losses/lsgan.js';
import { wassersteinLoss } from './losses/wasserstein.js';
import { wganGpObjective } from './wgan-gp-objective.js';
import { wganObjective } from './wgan-objective.js';

// Bundled into dist by tsup, so the plugin runs where there is no file system (a browser page).
import pkg from '../package.json' with { type: 'json' };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'wgan', core: '^0.1.0', apiVersion: 1 },
  architectures: { critic },
  objectives: { wgan: wganObjective, 'wgan-gp': wganGpObjective },
  losses: { wasserstein: wassersteinLoss, lsgan: lsganLoss, hinge: hingeLoss },
});
