/** Mean absolute error, e.g. for cycle consistency (CycleGAN) or pix2pix's reconstruction term. */
import { defineLoss } from '../plugin/define.js';

export const l1Loss = defineLoss({
  kind: 'pairwise',
  description: 'Mean absolute difference between prediction and target (L1).',
  build:
    ({ tf }) =>
    (prediction, target) =>
      tf.mean(tf.abs(tf.sub(prediction, target))),
});
