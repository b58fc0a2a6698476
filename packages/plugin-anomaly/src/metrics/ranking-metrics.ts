/**
 * `anomaly/auroc` and `anomaly/average-precision`: how well a head's scores separate the held-out images of
 * one data stream (the positives, e.g. "anomalous") from those of every other stream (the negatives: normal
 * images never trained on). They judge scores, so `ganforge eval` runs them on the run's head.
 */
import { defineMetric, GanforgeError, type MetricInput } from '@ganforge/core';
import { auroc, averagePrecision } from './ranking.js';

const optionsSchema = {
  type: 'object',
  properties: {
    positive: { type: 'string', default: 'anomalous', description: 'Data stream whose held-out images are the positives (anomalies); the held-out images of every other stream are the negatives.' },
  },
  additionalProperties: false,
} as const;

/** Positives and negatives from a score evaluation, or a coded error saying what is missing. */
function split(input: MetricInput, positive: string, metric: string): { positives: Float32Array; negatives: Float32Array; counts: Record<string, number> } {
  const scores = input.scores;
  if (!scores) {
    throw new GanforgeError('GF_USAGE', `${metric} judges a head's scores, but was given images.`, {
      hint: "Evaluate the run's head: `ganforge eval <run> --metric " + metric + '` picks it (not during training: evaluation.every runs image metrics).',
    });
  }
  const streams = Object.keys(scores);
  if (!scores[positive]) {
    throw new GanforgeError('GF_SPEC_REFERENCE', `${metric}: stream "${positive}" (the positives) holds no held-out images (scored streams: ${streams.join(', ')}).`, {
      hint: `Add a data stream "${positive}" with a validationSplit (e.g. { "use": "mnist/digits", "options": { "digits": [0] }, "validationSplit": 0.5 }), or set the metric's "positive" option.`,
    });
  }
  const others = streams.filter((s) => s !== positive);
  if (others.length === 0) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `${metric}: only stream "${positive}" holds images out, so there are no negatives to rank against.`, {
      hint: 'Give the normal stream a validationSplit too.',
    });
  }
  const negatives = new Float32Array(others.reduce((n, s) => n + scores[s]!.length, 0));
  let offset = 0;
  for (const s of others) {
    negatives.set(scores[s]!, offset);
    offset += scores[s]!.length;
  }
  return { positives: scores[positive]!, negatives, counts: Object.fromEntries(streams.map((s) => [s, scores[s]!.length])) };
}

export const aurocMetric = defineMetric({
  description: "Area under the ROC curve of a head's scores: held-out images of the positive stream vs all other held-out images (1 = perfect, 0.5 = chance).",
  higherIsBetter: true,
  input: 'scores',
  optionsSchema,
  build: ({ options }) => ({
    protocol: { positives: options.positive, negatives: 'the held-out images of every other stream', ties: 'average ranks (Mann–Whitney U)' },
    compute(input) {
      const { positives, negatives } = split(input, options.positive, 'anomaly/auroc');
      return { value: auroc(positives, negatives), positives: positives.length, negatives: negatives.length };
    },
  }),
});

export const averagePrecisionMetric = defineMetric({
  description: "Average precision of a head's scores with the positive stream's held-out images as positives (depends on their share; chance = that share).",
  higherIsBetter: true,
  input: 'scores',
  optionsSchema,
  build: ({ options }) => ({
    protocol: { positives: options.positive, negatives: 'the held-out images of every other stream', definition: 'Σ (R_k − R_{k−1}) P_k over distinct thresholds (scikit-learn)' },
    compute(input) {
      const { positives, negatives } = split(input, options.positive, 'anomaly/average-precision');
      return { value: averagePrecision(positives, negatives), positiveShare: positives.length / (positives.length + negatives.length) };
    },
  }),
});
