/**
 * @ganforge/plugin-augment: differentiable augmentations for ganforge specs' `augment` section. Put them at
 * an objective's discriminator point (`"at": "discriminator"` for DCGAN) and they apply to real and generated
 * images alike, with gradients flowing back to the generator (DiffAugment, Zhao et al. 2020), each image with
 * probability `p` (ADA's per-image application, Karras et al. 2020). Draws come from the run's seeded,
 * checkpointed augment stream.
 */
import { definePlugin } from '@ganforge/core';
import { brightness, color, contrast, saturation } from './ops/color.js';
import { cutoutOp } from './ops/cutout.js';
import { flip, rotate } from './ops/flip-rotate.js';
import { translation } from './ops/translation.js';
import { ada } from './ada.js';

// Bundled into dist by tsup, so the plugin runs where there is no file system (a browser page).
import pkg from '../package.json' with { type: 'json' };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'augment', core: '^0.1.0', apiVersion: 1 },
  augmentations: { translation, cutout: cutoutOp, color, brightness, saturation, contrast, flip, rotate, ada },
});
