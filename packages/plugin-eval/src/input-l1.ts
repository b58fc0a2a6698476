/**
 * "eval/input-l1": for image → image artifacts, the mean absolute difference between each output and its
 * own input, on pixels mapped to [0, 1]. For a reconstruction (A → B → A) it is the held-out cycle-
 * consistency error; for a translation, how far it moved the pixels. Lower means closer to the inputs.
 */
import { defineMetric } from '@ganforge/core';

export const inputL1Metric = defineMetric({
  description: 'Image → image artifacts: mean |output − input| per pixel in [0, 1] (e.g. the held-out cycle error of a reconstruction). Lower is better.',
  higherIsBetter: false,
  build({ tf, log }) {
    let warned = false;
    return {
      protocol: { pixels: 'mapped to [0, 1] from the training range', pairs: 'each output with its own input' },
      async compute({ fake, inputs, range }): Promise<Record<string, number>> {
        if (!inputs) {
          if (!warned) log.warn('eval/input-l1: the artifact takes noise, not images, so there is no input to compare with; skipped.');
          warned = true;
          return {};
        }
        if (inputs.shape.join('x') !== fake.shape.join('x')) {
          throw new Error(`outputs are ${fake.shape.join('x')} but inputs ${inputs.shape.join('x')}: input-l1 compares images of one shape (use it on reconstructions).`);
        }
        const [lo, hi] = range;
        const value = tf.tidy(() => tf.mean(tf.abs(tf.sub(fake, inputs))).dataSync()[0]! / (hi - lo));
        return { value };
      },
    };
  },
});
