/** Type-level tests: options types are inferred from inline schemas, defaults make keys required. */
import { describe, expectTypeOf, it } from 'vitest';
import { defineArchitecture, defineLoss, defineObjective, definePlugin, type LayersModel, type TF } from '../../packages/core/src/index.js';

describe('define* helpers', () => {
  it('infer an entry\'s options from its schema', () => {
    defineArchitecture({
      description: 'x',
      optionsSchema: {
        type: 'object',
        properties: {
          width: { type: 'integer', default: 64 },
          activation: { enum: ['relu', 'leakyRelu'], default: 'relu' },
          note: { type: 'string' },
        },
        required: [],
        additionalProperties: false,
      },
      build(ctx) {
        expectTypeOf(ctx.options.width).toEqualTypeOf<number>();
        expectTypeOf(ctx.options.activation).toEqualTypeOf<'relu' | 'leakyRelu'>();
        expectTypeOf(ctx.options.note).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.tf).toEqualTypeOf<TF>();
        return ctx.tf.sequential() as LayersModel;
      },
    });
  });

  it('give entries without a schema empty options', () => {
    defineArchitecture({
      description: 'x',
      build(ctx) {
        expectTypeOf(ctx.options).toEqualTypeOf<Record<string, never>>();
        return ctx.tf.sequential();
      },
    });
  });

  it('keep loss kinds apart', () => {
    const adversarial = defineLoss({
      kind: 'adversarial',
      description: 'x',
      build: ({ tf }) => ({ discriminator: (r, f) => tf.add(tf.mean(r), tf.mean(f)), generator: (f) => tf.mean(f) }),
    });
    expectTypeOf(adversarial.kind).toEqualTypeOf<'adversarial' | 'pairwise'>();
    // @ts-expect-error a pairwise loss is a function, not a pair of functions
    defineLoss({ kind: 'pairwise', description: 'x', build: ({ tf }) => ({ discriminator: (r: never) => tf.mean(r), generator: (f: never) => tf.mean(f) }) });
  });

  it('check objective phases', () => {
    defineObjective({
      description: 'x',
      optionsSchema: { type: 'object', properties: { nCritic: { type: 'integer', default: 5 } }, additionalProperties: false },
      models: { g: { description: 'g' } },
      data: { real: { description: 'r' } },
      optimizers: { g: { models: ['g'] } },
      setup: ({ options }) => {
        expectTypeOf(options.nCritic).toEqualTypeOf<number>();
        return { phases: [{ name: 'g', optimizer: 'g', repeat: options.nCritic, loss: (step) => step.tf.scalar(0) }] };
      },
    });
  });

  it('keep a plugin\'s literal namespace', () => {
    const plugin = definePlugin({ meta: { name: 'p', version: '1.0.0', namespace: 'p', core: '^0.1.0', apiVersion: 1 } });
    expectTypeOf(plugin.meta.namespace).toEqualTypeOf<'p'>();
    // @ts-expect-error apiVersion must be the core's
    definePlugin({ meta: { name: 'p', version: '1.0.0', namespace: 'p', core: '^0.1.0', apiVersion: 2 } });
  });
});
