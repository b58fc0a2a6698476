/**
 * Tests only: an in-memory high-res stream of smooth patterns (sums of sines, phase and frequency per image),
 * and srgan/srgan with a recorder of each model's trainable weights after every phase.
 * Deterministic: image i is always the same.
 */
import { defineDataset, definePlugin, type LayersModel, type ObjectiveDefinition } from '@ganforge/core';
import { srganObjective } from '../objective.js';

const images = defineDataset({
  description: 'In-memory smooth test images, side x side x channels, values in [0, 1].',
  optionsSchema: {
    type: 'object',
    properties: {
      side: { type: 'integer', minimum: 2, default: 16 },
      channels: { type: 'integer', minimum: 1, maximum: 4, default: 3 },
      size: { type: 'integer', minimum: 1, default: 24 },
    },
    additionalProperties: false,
  },
  open({ options }) {
    const { side, channels, size } = options;
    const pixel = (i: number, r: number, c: number, ch: number): number => {
      const fr = 1 + (i % 3);
      const fc = 1 + ((i * 7) % 4);
      const phase = (i * 0.9) % (2 * Math.PI);
      const v = Math.sin((2 * Math.PI * fr * r) / side + phase) * Math.cos((2 * Math.PI * fc * c) / side + ch * 0.7);
      return 0.5 + 0.45 * v;
    };
    return {
      info: { size, shape: [side, side, channels] },
      range: [0, 1],
      read(indices) {
        const per = side * side * channels;
        const x = new Float32Array(indices.length * per);
        indices.forEach((index, k) => {
          for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) for (let ch = 0; ch < channels; ch++) x[k * per + (r * side + c) * channels + ch] = pixel(index, r, c, ch);
        });
        return { x };
      },
    };
  },
});

/** What "srgan-test/spy" saw: after each phase's update, a fingerprint of every model's trainable weights. */
export interface SpyRecord {
  step: number;
  phase: string;
  fingerprints: Record<string, number>;
}

export const spy: { records: SpyRecord[]; reset(): void } = {
  records: [],
  reset() {
    this.records = [];
  },
};

/**
 * Sum of |w| · (i + 1) over the trainable weights. Batch-norm moving statistics are left out: the generator
 * runs in training mode in both phases (as DCGAN's does), so they follow every batch it sees.
 */
function fingerprint(model: LayersModel): number {
  let sum = 0;
  model.trainableWeights.forEach((w, i) => {
    for (const v of w.read().dataSync()) sum += Math.abs(v) * (i + 1);
  });
  return sum;
}

const spyObjective: ObjectiveDefinition = {
  ...srganObjective,
  description: 'srgan/srgan with a recorder (tests only).',
  async setup(ctx) {
    const program = await srganObjective.setup(ctx);
    return {
      ...program,
      phases: program.phases.map((phase) => ({
        ...phase,
        afterUpdate(step) {
          phase.afterUpdate?.(step);
          spy.records.push({ step: step.step, phase: phase.name, fingerprints: Object.fromEntries(Object.entries(ctx.models).map(([name, m]) => [name, fingerprint(m)])) });
        },
      })),
    };
  },
};

export const testPlugin = definePlugin({
  meta: { name: 'srgan-test-plugin', version: '0.0.0', namespace: 'srgan-test', core: '*', apiVersion: 1 },
  datasets: { images },
  objectives: { spy: spyObjective },
});
