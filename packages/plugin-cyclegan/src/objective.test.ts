import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch, LayersModel, ObjectiveProgram, RandomSource, SampleResult, Tensor4D } from '@ganforge/core';
import { buildModel, corePlugin, silentLog, tf, useBackend } from '@ganforge/core/testing';
import { resnetGenerator } from './generator.js';
import { lsganLoss } from './lsgan.js';
import { cycleganObjective } from './objective.js';
import { patchgan } from './patchgan.js';

beforeAll(() => useBackend());

const data = { a: { size: 8, shape: [8, 8, 3] as [number, number, number] }, b: { size: 8, shape: [8, 8, 3] as [number, number, number] } };
const random: RandomSource = {
  normal: (s) => tf.randomNormal(s),
  uniform: (s, min = 0, max = 1) => tf.randomUniform(s, min, max),
  integers: (s, n) => tf.randomUniform(s, 0, n, 'int32'),
  next: () => 0.7,
};

async function setup(evaluate: 'a' | 'b' = 'b'): Promise<{ program: ObjectiveProgram; models: Record<string, LayersModel> }> {
  const models = {
    gAB: buildModel(resnetGenerator, { options: { width: 4, blocks: 1 }, data, name: 'gAB' }),
    gBA: buildModel(resnetGenerator, { options: { width: 4, blocks: 1, from: 'b', to: 'a' }, data, name: 'gBA' }),
    dA: buildModel(patchgan, { options: { width: 4, layers: 1 }, data, name: 'dA' }),
    dB: buildModel(patchgan, { options: { width: 4, layers: 1, stream: 'b' }, data, name: 'dB' }),
  };
  const l1 = corePlugin.losses!.l1!.build({ tf, options: {} } as never) as never;
  const program = await cycleganObjective.setup({
    tf,
    options: { poolSize: 50, evaluate },
    models,
    losses: {
      adversarial: { kind: 'adversarial', use: 'cyclegan/lsgan', weight: 1, fn: lsganLoss.build({ tf, options: {} } as never) as never },
      cycle: { kind: 'pairwise', use: 'core/l1', weight: 10, fn: l1 },
      identity: { kind: 'pairwise', use: 'core/l1', weight: 5, fn: l1 },
    },
    data,
    log: silentLog,
  });
  return { program, models };
}

const fixed = (stream: string, n: number): Batch => ({
  x: tf.randomUniform([n, 8, 8, 3], -1, 1, 'float32', stream === 'a' ? 1 : 2) as Tensor4D,
  ...(stream === 'a' ? { label: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 2), 'int32') as never } : {}),
});

describe('cyclegan/cyclegan', () => {
  it('declares four models, streams a and b, two groups with the paper\'s Adam, three loss roles and four artifacts', () => {
    expect(Object.keys(cycleganObjective.models)).toEqual(['gAB', 'gBA', 'dA', 'dB']);
    expect(Object.keys(cycleganObjective.data)).toEqual(['a', 'b']);
    expect(cycleganObjective.optimizers).toEqual({
      generators: { models: ['gAB', 'gBA'], defaults: { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } },
      discriminators: { models: ['dA', 'dB'], defaults: { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } },
    });
    expect(cycleganObjective.losses).toMatchObject({
      adversarial: { kind: 'adversarial', default: { use: 'cyclegan/lsgan' } },
      cycle: { kind: 'pairwise', default: { use: 'core/l1', weight: 10 } },
      identity: { kind: 'pairwise', default: { use: 'core/l1', weight: 5 } },
    });
    expect(Object.fromEntries(Object.entries(cycleganObjective.artifacts!).map(([k, v]) => [k, v.models]))).toEqual({
      'translate-ab': ['gAB'], 'translate-ba': ['gBA'], 'reconstruct-a': ['gAB', 'gBA'], 'reconstruct-b': ['gBA', 'gAB'],
    });
    expect(cycleganObjective.artifacts!['translate-ab']!.aliases).toEqual(['AB']);
    expect(Object.keys(cycleganObjective.augmentPoints!)).toEqual(['discriminator']);
  });

  it('grids: rows of a | gAB(a) | gBA(gAB(a)) | b | gBA(b) | gAB(gBA(b)), 6 columns', async () => {
    const { program, models } = await setup();
    const out = tf.tidy(() => {
      const r = program.sample!({ n: 13, random, purpose: 'grid', images: fixed }) as SampleResult;
      const a = fixed('a', 2).x;
      const ab = models.gAB!.predict(a) as Tensor4D;
      // Row 1, column 3 is gBA(gAB(a[1])).
      const expected = tf.slice(models.gBA!.predict(ab) as Tensor4D, [1, 0, 0, 0], [1, -1, -1, -1]);
      const got = tf.slice(r.images, [6 + 2, 0, 0, 0], [1, -1, -1, -1]);
      return { shape: r.images.shape, columns: r.columns, diff: tf.max(tf.abs(tf.sub(expected, got))).dataSync()[0]! };
    });
    expect(out.shape).toEqual([12, 8, 8, 3]);
    expect(out.columns).toBe(6);
    expect(out.diff).toBeLessThan(1e-6);
    program.dispose!();
  });

  it.each(['b', 'a'] as const)('evaluation: n translations into domain %s, with the inputs\' labels', async (evaluate) => {
    const { program } = await setup(evaluate);
    const r = tf.tidy(() => {
      const s = program.sample!({ n: 5, random, purpose: 'evaluation', images: fixed }) as SampleResult;
      return { shape: s.images.shape, labels: s.labels ? [...s.labels.dataSync()] : undefined };
    });
    expect(r.shape).toEqual([5, 8, 8, 3]);
    expect(r.labels).toEqual(evaluate === 'b' ? [0, 1, 0, 1, 0] : undefined);
    program.dispose!();
  });
});
