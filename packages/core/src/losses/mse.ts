/** Mean squared error, e.g. for content or feature-matching losses. */
import { defineLoss } from '../plugin/define.js';

export const mseLoss = defineLoss({
  kind: 'pairwise',
  description: 'Mean squared difference between prediction and target (MSE, L2).',
  build:
    ({ tf }) =>
    (prediction, target) =>
      tf.mean(tf.squaredDifference(prediction, target)),
});
