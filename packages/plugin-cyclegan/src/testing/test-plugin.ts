/**
 * Tests only: two in-memory image domains with structure a translator can learn in a few steps, sized by
 * options: "stripes" (stream a: horizontal sine stripes, phase and frequency per image) and "blobs"
 * (stream b: a bright disc on a dark background, position per image). Deterministic: image i is always the same.
 */
import { defineDataset, definePlugin, type LayersModel, type ObjectiveDefinition, type Tensor } from '@ganforge/core';
import { cycleganObjective } from '../objective.js';

const images = defineDataset({
  description: 'In-memory test images: "stripes" or "blobs", side x side x channels, values in [0, 1].',
  optionsSchema: {
    type: 'object',
    properties: {
      kind: { enum: ['stripes', 'blobs'], default: 'stripes' },
      side: { type: 'integer', minimum: 4, default: 16 },
      channels: { type: 'integer', minimum: 1, maximum: 4, default: 3 },
      size: { type: 'integer', minimum: 1, default: 32 },
    },
    additionalProperties: false,
  },
  open({ options }) {
    const { kind, side, channels, size } = options;
    const pixel = (i: number, r: number, c: number, ch: number): number => {
      if (kind === 'stripes') {
        const frequency = 1 + (i % 3);
        const phase = (i * 0.7) % (2 * Math.PI);
        return 0.5 + 0.5 * Math.sin((2 * Math.PI * frequency * r) / side + phase + ch * 0.5);
      }
      const cx = ((i * 5) % side) + 0.5;
      const cy = ((i * 3) % side) + 0.5;
      const d2 = (r - cy) ** 2 + (c - cx) ** 2;
      return Math.min(1, Math.exp(-d2 / (side * 0.5)) * (0.6 + 0.4 * ((ch + i) % 2)));
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

/** What "cyclegan-test/spy" saw: after each phase's update, a fingerprint of every model's weights. */
export interface SpyRecord {
  step: number;
  phase: string;
  /** Sum of |w| · (i + 1) over each model's weights, by model name. */
  fingerprints: Record<string, number>;
}

export const spy: { records: SpyRecord[]; probe?: Tensor; probeOutput?: Float32Array; reset(): void } = {
  records: [],
  reset() {
    this.records = [];
    this.probeOutput = undefined;
  },
};

function fingerprint(model: LayersModel): number {
  let sum = 0;
  model.weights.forEach((w, i) => {
    for (const v of w.read().dataSync()) sum += Math.abs(v) * (i + 1);
  });
  return sum;
}

/** cyclegan/cyclegan, recording weight fingerprints after each phase and gAB's output on `spy.probe` after the last. */
const spyObjective: ObjectiveDefinition = {
  ...cycleganObjective,
  description: 'cyclegan/cyclegan with a recorder (tests only).',
  async setup(ctx) {
    const program = await cycleganObjective.setup(ctx);
    return {
      ...program,
      phases: program.phases.map((phase, p) => ({
        ...phase,
        afterUpdate(step) {
          phase.afterUpdate?.(step);
          spy.records.push({ step: step.step, phase: phase.name, fingerprints: Object.fromEntries(Object.entries(ctx.models).map(([name, m]) => [name, fingerprint(m)])) });
          if (p === program.phases.length - 1 && spy.probe) spy.probeOutput = (ctx.models.gAB!.predict(spy.probe) as Tensor).dataSync() as Float32Array;
        },
      })),
    };
  },
};

export const testPlugin = definePlugin({
  meta: { name: 'cyclegan-test-plugin', version: '0.0.0', namespace: 'cyclegan-test', core: '*', apiVersion: 1 },
  datasets: { images },
  objectives: { spy: spyObjective },
});
