/** The WGAN objectives through the real engine: paper defaults, n_critic, weight clipping, the penalty, and the losses with DCGAN. */
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.js';
import { builtModels } from './testing/test-plugin.js';
import dcganPlugin from '../../plugin-dcgan/src/index.js';
import { critic } from './critic.js';
import { buildModel, silentLog, tf, useBackend, validateSpec } from '@ganforge/core/testing';
import { plugins, tinySpec, trainTiny } from './testing/train-tiny.js';

beforeAll(() => useBackend());

const finite = (losses: Record<string, number>) => Object.values(losses).every(Number.isFinite);

describe('wgan/wgan and wgan/wgan-gp', () => {
  it('declare the paper defaults: WGAN RMSprop 5e-5, c 0.01, n_critic 5; WGAN-GP Adam 1e-4 (0, 0.9), λ 10, n_critic 5', async () => {
    const wgan = (await validateSpec(tinySpec({ objective: { use: 'wgan/wgan' } }), { plugins })).spec;
    for (const group of ['generator', 'critic']) {
      expect(wgan.training.optimizers[group]).toMatchObject({ type: 'rmsprop', lr: 5e-5, rho: 0.99, momentum: 0, models: [group] });
    }
    expect(wgan.objective.options).toEqual({ nCritic: 5, clusters: 0, clip: 0.01 });
    expect(wgan.losses.adversarial!.use).toBe('wgan/wasserstein');

    const gp = (await validateSpec(tinySpec(), { plugins })).spec;
    for (const group of ['generator', 'critic']) {
      expect(gp.training.optimizers[group]).toMatchObject({ type: 'adam', lr: 1e-4, beta1: 0, beta2: 0.9, models: [group] });
    }
    expect(gp.objective.options).toEqual({ nCritic: 5, clusters: 0, penalty: 'two-sided', lambda: 10, target: 1 });
    expect(gp.losses.adversarial!.use).toBe('wgan/wasserstein');
  });

  it('run the critic phase n_critic times per generator phase', async () => {
    const program = await plugin.objectives['wgan-gp'].setup({
      tf: {} as never,
      options: { nCritic: 3, clusters: 0, penalty: 'two-sided', lambda: 10, target: 1 },
      models: { generator: { inputs: [{ shape: [null, 4] }], name: 'g' }, critic: { inputs: [{ shape: [null, 4, 4, 1] }], name: 'c', layers: [] } } as never,
      losses: { adversarial: { kind: 'adversarial', use: 'wgan/wasserstein', weight: 1, fn: {} as never } },
      data: {},
      log: { info() {}, warn() {}, debug() {} },
    });
    expect(program.phases.map((p) => [p.name, p.optimizer, p.repeat ?? 1])).toEqual([
      ['critic', 'critic', 3],
      ['generator', 'generator', 1],
    ]);
  });

  it('wgan clips every critic weight to [-c, c] after the critic updates', async () => {
    const clip = 0.02;
    const readWeights = () => builtModels.critic!.trainableWeights.flatMap((w) => [...(w.read().dataSync() as Float32Array)]);
    let weights: number[] = [];
    const { steps } = await trainTiny(tinySpec({ objective: { use: 'wgan/wgan', options: { clip, nCritic: 2 } }, critic: { normalization: 'none' } }), () => {
      weights = readWeights();
    });
    expect(steps).toHaveLength(2);
    expect(finite(steps[1]!.losses)).toBe(true);
    const largest = Math.max(...weights.map(Math.abs));
    expect(largest).toBeLessThanOrEqual(clip + 1e-7);
    // Glorot-uniform kernels start well beyond 0.02: many weights sit exactly at the bound.
    expect(weights.filter((w) => Math.abs(Math.abs(w) - clip) < 1e-7).length).toBeGreaterThan(weights.length / 4);
  });

  it.each(['two-sided', 'one-sided', 'r1'])('wgan-gp trains with the %s penalty and logs it with the mean gradient norm', async (penalty) => {
    const { steps } = await trainTiny(tinySpec({ objective: { use: 'wgan/wgan-gp', options: { penalty, nCritic: 2 } } }));
    const losses = steps.at(-1)!.losses;
    expect(Object.keys(losses).sort()).toEqual(
      ['critic', 'critic/fake_score', 'critic/grad_norm', 'critic/penalty', 'critic/real_score', 'critic/wasserstein', 'generator'].sort(),
    );
    expect(finite(losses)).toBe(true);
    expect(losses['critic/grad_norm']).toBeGreaterThan(0);
  });

  it('wgan-gp refuses a critic with batch norm (it mixes the images whose gradients are penalised); wgan takes it', async () => {
    const real = { size: 10, shape: [28, 28, 1] as [number, number, number] };
    const context = (normalization: string) => ({
      tf,
      options: { nCritic: 5, clusters: 0, penalty: 'two-sided' as const, lambda: 10, target: 1, clip: 0.01 },
      models: { generator: buildModel(dcganPlugin.architectures.generator, { options: { latentDim: 4, width: 2 }, data: { real } }), critic: buildModel(critic, { options: { width: 2, normalization }, data: { real } }) },
      losses: { adversarial: { kind: 'adversarial' as const, use: 'wgan/wasserstein', weight: 1, fn: {} as never } },
      data: { real },
      log: silentLog,
    });
    expect(() => plugin.objectives['wgan-gp'].setup(context('batch'))).toThrowError(expect.objectContaining({ code: 'GF_SPEC_CONFLICT' }));
    expect(() => plugin.objectives['wgan-gp'].setup(context('layer'))).not.toThrow();
    expect(() => plugin.objectives.wgan.setup(context('batch'))).not.toThrow();
  });
});

describe('lsgan and hinge losses', () => {
  it.each(['wgan/lsgan', 'wgan/hinge'])('%s trains with the dcgan objective (losses.adversarial.use)', async (use) => {
    const spec = tinySpec({ objective: { use: 'dcgan/dcgan' }, losses: { adversarial: { use } } });
    const models = spec.models as Record<string, unknown>;
    spec.models = { generator: models.generator, discriminator: { use: 'dcgan/discriminator', options: { width: 8 } } };
    const { steps } = await trainTiny(spec);
    expect(steps).toHaveLength(2);
    expect(finite(steps[1]!.losses)).toBe(true);
  });

  it('wgan-gp accepts hinge as its adversarial loss', async () => {
    const { steps } = await trainTiny(tinySpec({ objective: { use: 'wgan/wgan-gp', options: { nCritic: 1 } }, losses: { adversarial: { use: 'wgan/hinge' } } }));
    expect(finite(steps[1]!.losses)).toBe(true);
  });
});
