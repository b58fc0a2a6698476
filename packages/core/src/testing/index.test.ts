import { beforeAll, describe, expect, it } from 'vitest';
import { defineArchitecture } from '../plugin/define.js';
import { buildModel, buildModelAsync, entryOptions, tf, useBackend } from './index.js';

const schema = {
  type: 'object',
  properties: { units: { type: 'integer', minimum: 1, default: 3 }, activation: { enum: ['relu', 'tanh'], default: 'tanh' } },
  additionalProperties: false,
} as const;

// Records the options it was built with; a dense layer over the flattened "real" image.
let seen: unknown;
const dense = defineArchitecture({
  description: 'A dense layer over the flattened image.',
  optionsSchema: schema,
  build({ tf, options, data, name }) {
    seen = options;
    const [h, w, c] = data.real!.shape;
    const input = tf.input({ shape: [h * w * c] });
    return tf.model({ inputs: input, outputs: tf.layers.dense({ units: options.units, activation: options.activation, name: `${name}_out` }).apply(input) as never, name });
  },
});
const real = { size: 10, shape: [2, 2, 1] as [number, number, number] };

beforeAll(() => useBackend());

describe('@ganforge/core/testing', () => {
  it('runs on the backend the engine selected', () => {
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fills in schema defaults like spec validation, without touching the caller\'s object', () => {
    const given = { units: 5 };
    expect(entryOptions(dense, given)).toEqual({ units: 5, activation: 'tanh' });
    expect(given).toEqual({ units: 5 });
  });

  it('rejects options a spec would be refused for, with the same codes', () => {
    expect(() => entryOptions(dense, { unit: 5 })).toThrowError(expect.objectContaining({ code: 'GF_SPEC_UNKNOWN_KEY' }));
    expect(() => entryOptions(dense, { units: 0 })).toThrowError(expect.objectContaining({ code: 'GF_SPEC_RANGE' }));
    expect(() => buildModel(dense, { options: { activation: 'gelu' }, data: { real } })).toThrowError(/activation/);
  });

  it('builds an architecture with the defaulted options, the name and the data shapes', () => {
    const model = buildModel(dense, { data: { real }, name: 'critic' });
    expect(seen).toEqual({ units: 3, activation: 'tanh' });
    expect(model.name).toBe('critic');
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    expect(model.getLayer('critic_out')).toBeDefined();
    model.dispose();
  });

  it('builds asynchronous architectures with buildModelAsync, and says so from buildModel', async () => {
    const later = defineArchitecture({ description: 'The same, built asynchronously.', optionsSchema: schema, build: async (ctx) => dense.build(ctx) });
    expect(() => buildModel(later, { data: { real } })).toThrowError(/buildModelAsync/);
    const model = await buildModelAsync(later, { options: { units: 2 }, data: { real } });
    expect(model.outputs[0]!.shape).toEqual([null, 2]);
    model.dispose();
  });
});
