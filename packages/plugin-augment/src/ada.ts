/**
 * `augment/ada`: adaptive discriminator augmentation (Karras et al. 2020). A pipeline of this plugin's ops,
 * each applied to an image with one shared probability p, which follows the discriminator's overfitting:
 * every `adjustEvery` steps, r_t = E[sign(D(real))] (reported by the objective as "realSign", averaged
 * over those steps) is compared with `target`; p moves up when r_t is above it (D is too sure of the reals)
 * and down otherwise, by (batch × adjustEvery) / `imagesToFull` — so p could go from 0 to 1 within
 * `imagesToFull` images. p is logged in metrics.jsonl ("augment/ada.p", with r_t as "augment/ada.rt") and
 * saved in checkpoints, so a resumed run continues with the same p. The hooks ride on the augment function
 * (core's AdaptiveHooks), so the engine needs no ADA-specific code.
 */
import { defineAugmentation, GanforgeError, type RandomSource, type Tensor4D, type TF } from '@ganforge/core';
import { blend } from './probability.js';
import { brightness, color, contrast, saturation } from './ops/color.js';
import { cutoutOp } from './ops/cutout.js';
import { flip, rotate } from './ops/flip-rotate.js';
import { translation } from './ops/translation.js';

/** The ops ADA can use, each built to augment every image (p = 1); ADA's p decides per image. */
const OPS = {
  flip: (tf: TF) => flip.build({ tf, options: { p: 1 } }),
  rotate: (tf: TF) => rotate.build({ tf, options: { p: 1 } }),
  translation: (tf: TF) => translation.build({ tf, options: { p: 1, ratio: 0.125 } }),
  brightness: (tf: TF) => brightness.build({ tf, options: { p: 1 } }),
  saturation: (tf: TF) => saturation.build({ tf, options: { p: 1 } }),
  contrast: (tf: TF) => contrast.build({ tf, options: { p: 1 } }),
  color: (tf: TF) => color.build({ tf, options: { p: 1 } }),
  cutout: (tf: TF) => cutoutOp.build({ tf, options: { p: 1, ratio: 0.5 } }),
};
type OpName = keyof typeof OPS;

export const ada = defineAugmentation({
  description: "Adaptive augmentation (ADA): the plugin's ops applied with one probability p that rises while the discriminator overfits (E[sign(D(real))] above target) and falls otherwise.",
  optionsSchema: {
    type: 'object',
    properties: {
      ops: {
        type: 'array',
        items: { enum: Object.keys(OPS) as OpName[] },
        minItems: 1,
        uniqueItems: true,
        default: ['flip', 'rotate', 'translation', 'color', 'cutout'],
        description: 'The ops, applied in this order, each to an image with probability p (ADA: geometric, then color, then cutout).',
      },
      target: { type: 'number', minimum: -1, maximum: 1, default: 0.6, description: 'Target of r_t = E[sign(D(real))] (the paper: 0.6).' },
      adjustEvery: { type: 'integer', minimum: 1, maximum: 10_000, default: 4, description: 'Steps between adjustments of p (the paper: 4).' },
      imagesToFull: { type: 'integer', minimum: 1, default: 500_000, description: 'Images over which p could rise from 0 to 1 (the paper: 500k; smaller runs want less).' },
      initialP: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'p at the start.' },
      maxP: { type: 'number', minimum: 0, maximum: 1, default: 1, description: 'p never exceeds this.' },
    },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const ops = options.ops.map((name) => OPS[name as OpName](tf));
    let p = options.initialP;
    let batch = 0;
    let sum = 0;
    let count = 0;
    let rt = Number.NaN;
    const apply = (images: Tensor4D, random: RandomSource): Tensor4D => {
      batch = images.shape[0];
      if (p <= 0) return images;
      return ops.reduce((x, op) => blend(tf, x, op(x, random), p, random), images);
    };
    return Object.assign(apply, {
      observe(signals: Record<string, number>, step: number) {
        const signal = signals.realSign;
        if (signal === undefined) {
          throw new GanforgeError('GF_SPEC_CONFLICT', 'augment/ada adapts p from E[sign(D(real))], but the objective reports no "realSign" signal.', {
            pointer: '/augment',
            hint: 'Use it with an objective that reports realSign (dcgan/dcgan does), or use fixed-p ops (augment/translation, augment/flip, …).',
          });
        }
        sum += signal;
        count++;
        if (step % options.adjustEvery !== 0) return;
        rt = sum / count;
        const delta = (batch * count) / options.imagesToFull;
        p = Math.min(options.maxP, Math.max(0, p + Math.sign(rt - options.target) * delta));
        sum = 0;
        count = 0;
      },
      values: () => ({ p, ...(Number.isNaN(rt) ? {} : { rt }) }),
      state: {
        save: () => ({ p, sum, count, rt: Number.isNaN(rt) ? null : rt, batch }),
        load(saved: unknown) {
          const s = saved as { p: number; sum: number; count: number; rt: number | null; batch: number };
          p = s.p;
          sum = s.sum;
          count = s.count;
          rt = s.rt ?? Number.NaN;
          batch = s.batch;
        },
      },
    });
  },
});
