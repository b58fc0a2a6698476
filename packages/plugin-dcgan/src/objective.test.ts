import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch, DataInfo, LayersModel, ObjectiveProgram, PhaseLoss, Scalar, StepContext, Tensor, Tensor4D, Variable } from '@ganforge/core';
import { isGanforgeError } from '@ganforge/core';
import { discriminator } from './discriminator.js';
import { generator } from './generator.js';
import { dcganObjective } from './objective.js';
import { seededRandom } from './testing/seeded-random.js';
import { buildModel, corePlugin, silentLog, tf, useBackend } from '@ganforge/core/testing';

beforeAll(() => useBackend());

const labelled: DataInfo = { size: 8, shape: [8, 8, 1] as [number, number, number], numClasses: 3 };
const unlabelled: DataInfo = { size: 8, shape: [8, 8, 1] as [number, number, number] };

const random = seededRandom;

function models(conditional: boolean, data = labelled): { generator: LayersModel; discriminator: LayersModel } {
  return {
    generator: buildModel(generator, { options: { width: 4, latentDim: 8, conditional: conditional ? 'concat' : 'none' }, data: { real: data }, name: 'generator' }),
    discriminator: buildModel(discriminator, { options: { width: 4, conditional: conditional ? 'projection' : 'none' }, data: { real: data }, name: 'discriminator' }),
  };
}

async function setup(m: Record<string, LayersModel>, data = labelled): Promise<ObjectiveProgram> {
  const fn = corePlugin.losses!['non-saturating']!.build({ tf, options: { labelSmoothing: 0 } } as never) as never;
  return dcganObjective.setup({
    tf,
    options: {} as never,
    models: m,
    losses: { adversarial: { kind: 'adversarial', use: 'core/non-saturating', weight: 1, fn } },
    data: { real: data },
    log: silentLog,
  });
}

/** One phase the way the engine runs it: loss under a tape w.r.t. one model's variables, then Adam. */
function runPhase(program: ObjectiveProgram, phase: number, model: LayersModel, batch: () => Batch, step = 0) {
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  const optimizer = tf.train.adam(2e-4, 0.5);
  const seen: string[] = [];
  const context: StepContext = {
    tf,
    step,
    repeat: 0,
    random: random(step * 10 + phase),
    batch: (name) => (seen.push(name), batch()),
    augment: (x) => x,
    keep: (t) => tf.keep(t),
    report: () => {},
  };
  let parts: Record<string, number> = {};
  let values = { loss: NaN, gradNorms: [] as number[] };
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const out: PhaseLoss = program.phases[phase]!.loss(context);
      if ('total' in out) {
        parts = Object.fromEntries(Object.entries(out.parts ?? {}).map(([k, v]) => [k, v.dataSync()[0]!]));
        return out.total;
      }
      return out as Scalar;
    }, vars);
    values = { loss: value.dataSync()[0]!, gradNorms: Object.values(grads).map((g) => tf.norm(g).dataSync()[0]!) };
    optimizer.applyGradients(grads);
  });
  optimizer.dispose();
  return { ...values, parts, streams: seen };
}

const snapshot = (m: LayersModel) => m.trainableWeights.map((w) => [...w.read().dataSync()]);

describe('dcgan/dcgan objective', () => {
  it('declares the models, data stream, optimizer groups (Adam 2e-4, beta1 0.5) and loss role', () => {
    expect(Object.keys(dcganObjective.models)).toEqual(['generator', 'discriminator', 'q']);
    expect(dcganObjective.data.real!.labels).toBe('optional');
    expect(dcganObjective.optimizers.generator).toEqual({ models: ['generator', 'q'], defaults: { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } });
    expect(dcganObjective.optimizers.discriminator!.models).toEqual(['discriminator']);
    expect(dcganObjective.losses!.adversarial).toMatchObject({ kind: 'adversarial', default: { use: 'core/non-saturating' } });
  });

  it('runs a discriminator phase, then a generator phase, each moving only its own model', async () => {
    const m = models(false, unlabelled);
    const program = await setup(m, unlabelled);
    expect(program.phases.map((p) => [p.name, p.optimizer])).toEqual([
      ['discriminator', 'discriminator'],
      ['generator', 'generator'],
    ]);
    const batch = () => ({ x: tf.randomUniform([4, 8, 8, 1], -1, 1) as Tensor4D });
    const g0 = snapshot(m.generator);
    const d = runPhase(program, 0, m.discriminator, batch);
    expect(d.streams).toEqual(['real']);
    expect(Number.isFinite(d.loss)).toBe(true);
    // Fresh nets output logits near 0: each BCE term is about ln 2.
    expect(d.loss).toBeGreaterThan(1);
    expect(d.loss).toBeLessThan(1.8);
    expect(Object.keys(d.parts)).toEqual(['real_logit', 'fake_logit']);
    // Every discriminator variable gets a gradient.
    expect(d.gradNorms.every((n) => n > 0)).toBe(true);
    // G was not touched by the discriminator phase (its BN moving statistics are not trainable).
    expect(snapshot(m.generator)).toEqual(g0);

    const d1 = snapshot(m.discriminator);
    const g = runPhase(program, 1, m.generator, batch);
    expect(g.streams).toEqual([]); // the generator phase needs no real batch
    expect(g.gradNorms.every((n) => n > 0)).toBe(true);
    expect(snapshot(m.discriminator)).toEqual(d1);
    expect(snapshot(m.generator)).not.toEqual(g0);
  });

  it('samples images in the stream shape; conditional samples follow the labels asked for', async () => {
    // What the engine passes besides n, random and labels; a generator needs no real images.
    const request = { purpose: 'grid' as const, images: (): never => expect.unreachable('a generator samples from noise') };
    const draw = (program: ObjectiveProgram, n: number, seed: number, labels?: Int32Array) => program.sample!({ n, random: random(seed), labels, ...request }) as Tensor4D;
    const plain = await setup(models(false, unlabelled), unlabelled);
    expect(tf.tidy(() => draw(plain, 5, 1).shape)).toEqual([5, 8, 8, 1]);

    const m = models(true);
    const cgan = await setup(m);
    const labels = Int32Array.from([2, 2, 0]);
    const asked = tf.tidy(() => [...draw(cgan, 3, 7, labels).dataSync()]);
    // Same noise, labels fed explicitly: identical images.
    const direct = tf.tidy(() => [...(m.generator.predict([random(7).normal([3, 8]), tf.tensor1d(labels, 'int32')]) as Tensor).dataSync()]);
    expect(asked).toEqual(direct);
    // Without labels it cycles through the classes 0, 1, 2, 0…
    const cycled = tf.tidy(() => [...draw(cgan, 3, 7).dataSync()]);
    const cycledDirect = tf.tidy(() => [...(m.generator.predict([random(7).normal([3, 8]), tf.tensor1d([0, 1, 2], 'int32')]) as Tensor).dataSync()]);
    expect(cycled).toEqual(cycledDirect);
  });

  it('conditional: the discriminator phase reads labels, the generator phase reuses them', async () => {
    const m = models(true);
    const program = await setup(m);
    const batch = () => ({ x: tf.randomUniform([4, 8, 8, 1], -1, 1) as Tensor4D, label: tf.tensor1d([0, 1, 2, 1], 'int32') as never });
    const d = runPhase(program, 0, m.discriminator, batch);
    expect(d.gradNorms.every((n) => n > 0)).toBe(true);
    const before = tf.memory().numTensors;
    const g = runPhase(program, 1, m.generator, batch);
    expect(g.gradNorms.every((n) => n > 0)).toBe(true); // includes the label embedding
    expect(tf.memory().numTensors).toBe(before + 0);
    program.dispose!();
    expect(tf.memory().numTensors).toBe(before - 1); // the kept labels are released
  });

  it('a labelled batch is required when the models are conditional', async () => {
    const m = models(true);
    const program = await setup(m);
    expect(() => runPhase(program, 0, m.discriminator, () => ({ x: tf.zeros([2, 8, 8, 1]) as Tensor4D }))).toThrow(
      expect.objectContaining({ code: 'GF_DATA' }),
    );
  });

  it.each([
    ['a conditional generator with a plain discriminator', () => ({ generator: models(true).generator, discriminator: models(false).discriminator }), labelled, /generator is conditional/],
    ['a plain generator with a conditional discriminator', () => ({ generator: models(false).generator, discriminator: models(true).discriminator }), labelled, /discriminator is conditional/],
    ['conditional models on unlabelled data', () => models(true), unlabelled, /no labels/],
  ])('rejects %s', async (_, make, data, message) => {
    try {
      await setup(make(), data);
      expect.unreachable();
    } catch (error) {
      expect(isGanforgeError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('GF_SPEC_CONFLICT');
      expect((error as Error).message).toMatch(message);
    }
  });
});
