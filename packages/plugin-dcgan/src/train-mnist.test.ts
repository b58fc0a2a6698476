/**
 * End to end: the shipped MNIST specs, shrunk to tiny nets and a few steps on the cpu backend, train
 * through the core's public train() and write sample grids; the conditional generator draws the labels asked for.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGenerator, train } from '@ganforge/core';
import { validateSpec } from '@ganforge/core/testing';
import mnist from '../../plugin-mnist/src/index.js';
import dcgan from './index.js';

const root = mkdtempSync(join(tmpdir(), 'ganforge-dcgan-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../../../specs/${name}.json`, import.meta.url), 'utf8'));

/** Without its evaluation section, whose metrics come from @ganforge/plugin-eval (tested there and in test/). */
const withoutEvaluation = (spec: Record<string, unknown>) => {
  const { evaluation: _evaluation, ...rest } = spec;
  return rest;
};

/** A shipped spec with the plugins passed as objects, tiny nets, few digits and steps, on cpu. */
function tiny(name: string, dir: string) {
  const spec = withoutEvaluation(shipped(name)) as ReturnType<typeof shipped>;
  spec.plugins = [];
  spec.data.real.options = { digits: [0, 1, 7], maxPerDigit: 16 };
  spec.models.generator.options = { ...spec.models.generator.options, width: 4, latentDim: 8, labelEmbedding: 4 };
  spec.models.discriminator.options = { ...spec.models.discriminator.options, width: 4 };
  spec.training = { ...spec.training, batchSize: 8, steps: 4, backend: 'cpu' };
  spec.output = { dir, sampleEvery: 2, sampleCount: 6, checkpointEvery: 4, logEvery: 1 };
  if (spec.models.generator.options.conditional === 'none' || spec.models.generator.options.conditional === undefined) delete spec.models.generator.options.labelEmbedding;
  // Self-conditioned specs: as many codes, label values and clusters as the tiny noise allows.
  if (spec.models.generator.options.codes) {
    spec.models.generator.options.codes = 4;
    spec.models.discriminator.options.classes = 4;
    spec.objective.options.clusters = 4;
  }
  return spec;
}

/** tiny(), without the example spec's self-conditioning: the plain DCGAN the code and clustering tests start from. */
function plainTiny(dir: string) {
  const spec = tiny('dcgan-mnist', dir);
  delete spec.models.generator.options.codes;
  delete spec.models.discriminator.options.conditional;
  delete spec.models.discriminator.options.classes;
  spec.objective = { use: 'dcgan/dcgan' };
  return spec;
}

describe('the shipped specs', () => {
  it.each(['dcgan-mnist', 'cgan-mnist'])('%s validates, with the DCGAN defaults filled in', async (name) => {
    const spec = shipped(name);
    expect(spec.$schema).toBe('../packages/core/schema/spec.schema.json');
    expect(spec.plugins).toEqual(name === 'cgan-mnist' ? ['dcgan', 'mnist', 'eval'] : ['dcgan', 'mnist']);
    const { spec: resolved } = await validateSpec({ ...withoutEvaluation(spec), plugins: [] }, { plugins: [dcgan, mnist], cwd: root });
    const lr = 5e-4;
    expect(resolved.training.optimizers.generator).toMatchObject({ type: 'adam', lr, beta1: 0.5, models: ['generator'] });
    expect(resolved.training.optimizers.discriminator).toMatchObject({ type: 'adam', lr, beta1: 0.5, models: ['discriminator'] });
    expect(resolved.losses.adversarial!.use).toBe('core/non-saturating');
    expect(resolved.models.generator!.options).toMatchObject({ latentDim: 100, width: 32, activation: 'relu', batchNorm: true });
    expect(resolved.models.discriminator!.options).toMatchObject({ width: 32, batchNorm: true });
    expect(resolved.training.ema).toMatchObject({ model: 'generator', decay: 0.995 });
  });

  it.each([
    [{ digits: [11] }, '/data/real/options/digits/0'],
    [{ split: 'test' }, '/data/real/options/split'],
    [{ validationFraction: 0.9 }, '/data/real/options/validationFraction'],
  ])('bad MNIST options %j are a located, coded spec error', async (options, pointer) => {
    const spec = { ...shipped('dcgan-mnist'), plugins: [] };
    spec.data.real.options = options;
    const failure = await validateSpec(spec, { plugins: [dcgan, mnist], cwd: root }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: expect.stringMatching(/^GF_SPEC_/) });
    expect((failure as { diagnostics: { pointer?: string }[] }).diagnostics.map((d) => d.pointer)).toContain(pointer);
  });
});

describe('training on MNIST (tiny, cpu)', () => {
  it('dcgan-mnist trains a few steps and writes grids and the generator', async () => {
    const result = await train(tiny('dcgan-mnist', 'dcgan'), { plugins: [dcgan, mnist], cwd: root });
    expect(result.step).toBe(4);
    const samples = join(root, 'dcgan', 'samples');
    expect(readdirSync(samples)).toEqual(['step-000000002.png', 'step-000000004.png']);
    // A PNG (signature, then IHDR with width and height) at least one digit large.
    const png = readFileSync(join(samples, 'step-000000004.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(28);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(28);
    const lines = readFileSync(join(root, 'dcgan', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(Number.isFinite(line.losses.discriminator)).toBe(true);
      expect(Number.isFinite(line.losses.generator)).toBe(true);
    }
    expect(existsSync(join(root, 'dcgan', 'generator', 'model.json'))).toBe(true);
  });

  it('cgan-mnist trains, and its exported generator draws the label asked for', async () => {
    const result = await train(tiny('cgan-mnist', 'cgan'), { plugins: [dcgan, mnist], cwd: root });
    expect(result.step).toBe(4);
    const generator = await loadGenerator(join(root, 'cgan'));
    expect(generator.conditional).toBe(true);
    const sevens = generator.sample(3, { labels: [7, 7, 7], seed: 3 });
    const ones = generator.sample(3, { labels: [1, 1, 1], seed: 3 });
    expect(sevens.shape).toEqual([3, 28, 28, 1]);
    // Same noise, another label: another image (the label reaches the output).
    expect([...sevens.dataSync()]).not.toEqual([...ones.dataSync()]);
    sevens.dispose();
    ones.dispose();
    generator.dispose();
  });

  it('dcgan-mnist with an InfoGAN code trains q with the generator, checkpoints it, and exports a plain noise → image generator', async () => {
    const spec = plainTiny('infogan');
    spec.models.generator.options.codes = 3;
    spec.models.q = { use: 'dcgan/discriminator', options: { width: 4, outputs: 3 } };
    const result = await train(spec, { plugins: [dcgan, mnist], cwd: root });
    expect(result.step).toBe(4);
    const lines = readFileSync(join(root, 'infogan', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // The generator's loss is adversarial + information term (ln 3 ≈ 1.1 for an untrained q).
    for (const { losses } of lines) {
      expect(losses['generator/info']).toBeGreaterThan(0.5);
      expect(losses.generator).toBeCloseTo(losses['generator/adversarial'] + losses['generator/info'], 4);
    }
    const state = JSON.parse(readFileSync(join(root, 'infogan', 'checkpoints', 'step-000000004', 'state.json'), 'utf8'));
    expect(Object.keys(state.models).sort()).toEqual(['discriminator', 'generator', 'q']);
    // Adam keeps two slots per trainable variable of its group: the generator group's now include q's (all 6
    // of q's weights are trainable: no batch norm), next to the same run without q.
    const plain = plainTiny('infogan-without-q');
    plain.models.generator.options.codes = 3;
    await train(plain, { plugins: [dcgan, mnist], cwd: root });
    const plainState = JSON.parse(readFileSync(join(root, 'infogan-without-q', 'checkpoints', 'step-000000004', 'state.json'), 'utf8'));
    expect(state.models.q).toHaveLength(6);
    expect(state.optimizers.generator.length - plainState.optimizers.generator.length).toBe(2 * 6);
    const generator = await loadGenerator(join(root, 'infogan'));
    expect(generator.conditional).toBe(false);
    const images = generator.sample(2, { seed: 1 });
    expect(images.shape).toEqual([2, 28, 28, 1]);
    images.dispose();
    generator.dispose();
  });

  it('self-conditioned by pixel clusters: centroids checkpointed, a resumed run continues exactly', async () => {
    const spec = (dir: string) => {
      const s = plainTiny(dir);
      s.models.generator.options.codes = 4;
      s.models.discriminator.options = { ...s.models.discriminator.options, conditional: 'projection', classes: 4 };
      s.objective = { use: 'dcgan/dcgan', options: { clusters: 4 } };
      s.training.steps = 4;
      s.output.checkpointEvery = 2;
      return s;
    };
    const losses = (dir: string) => readFileSync(join(root, dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).losses);
    await train(spec('clusters-whole'), { plugins: [dcgan, mnist], cwd: root });
    await train(spec('clusters-split'), { plugins: [dcgan, mnist], cwd: root, steps: 2 });
    const state = JSON.parse(readFileSync(join(root, 'clusters-split', 'checkpoints', 'step-000000002', 'state.json'), 'utf8'));
    expect(state.objective.json).toMatchObject({ filled: 4 });
    expect(state.objective.json.counts.reduce((a: number, b: number) => a + b, 0)).toBe(2 * 8); // two batches of 8
    await train(spec('clusters-split'), { plugins: [dcgan, mnist], cwd: root, resume: join(root, 'clusters-split') });
    const whole = losses('clusters-whole');
    const split = losses('clusters-split');
    expect(split.slice(-2).map((l: Record<string, number>) => l.discriminator)).toEqual(whole.slice(-2).map((l: Record<string, number>) => l.discriminator));
  });

  it('a self-conditioned discriminator needs clusters or q, and clusters as many as the code', async () => {
    const s = plainTiny('clusters-bad');
    s.models.generator.options.codes = 4;
    s.models.discriminator.options = { ...s.models.discriminator.options, conditional: 'projection', classes: 4 };
    await expect(train(s, { plugins: [dcgan, mnist], cwd: root })).rejects.toMatchObject({ code: 'GF_SPEC_CONFLICT', message: expect.stringMatching(/label the real images/) });
    s.objective = { use: 'dcgan/dcgan', options: { clusters: 5 } };
    await expect(train(s, { plugins: [dcgan, mnist], cwd: root })).rejects.toMatchObject({ code: 'GF_SPEC_CONFLICT', message: expect.stringMatching(/clusters is 5.*4 values/) });
  });
});
