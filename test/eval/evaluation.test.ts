/**
 * The evaluation runner with the real plugins (dcgan, mnist, eval) on a tiny run: `ganforge eval` writes
 * eval.json with the protocol, evaluation during training keeps the best step, and bad setups are coded errors.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../packages/core/src/engine/run-training.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { evaluateRun, type EvalReport } from '../../packages/core/src/eval/evaluate-run.js';
import type { EvaluationsFile } from '../../packages/core/src/eval/during-training.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../engine/helpers.js';

const tmp = tempDir('gf-eval-');
// Plugins resolve from the repository (where they are installed); runs go to a temp folder.
const repo = fileURLToPath(new URL('../..', import.meta.url));
afterAll(() => tmp.cleanup());

/** A DCGAN small enough to train a few steps on cpu in seconds, on 120 digits with 30 held out. */
function tinySpec(overrides: { evaluation?: object; validationSplit?: number; dir: string; steps?: number }): object {
  return {
    name: 'tiny-eval',
    plugins: ['dcgan', 'mnist', 'eval'],
    data: { real: { use: 'mnist/digits', options: { maxPerDigit: 12 }, validationSplit: overrides.validationSplit ?? 0.25 } },
    models: {
      generator: { use: 'dcgan/generator', options: { latentDim: 8, width: 4 } },
      discriminator: { use: 'dcgan/discriminator', options: { width: 4 } },
    },
    objective: { use: 'dcgan/dcgan' },
    training: { batchSize: 8, steps: overrides.steps ?? 4, seed: 3, backend: 'cpu' },
    ...(overrides.evaluation ? { evaluation: overrides.evaluation } : {}),
    output: { dir: join(tmp.dir, overrides.dir), sampleEvery: 1000, checkpointEvery: 1000 },
  };
}

async function trainTiny(spec: object) {
  const { spec: resolved, registry, specDir } = await validateSpec(spec, { cwd: repo });
  return runTraining({ spec: resolved, registry, specDir, cwd: repo });
}

const evaluation = {
  every: 2,
  samples: 30,
  metrics: {
    fid: { use: 'eval/fid' },
    kid: { use: 'eval/kid', options: { subsets: 5 } },
    coverage: { use: 'eval/coverage' },
  },
  keepBest: { metric: 'fid' },
};

let runDir: string;
beforeAll(async () => {
  runDir = (await trainTiny(tinySpec({ evaluation, dir: 'with-eval' }))).runDir;
});

describe('ganforge eval', () => {
  it('scores the exported generator on the held-out split and writes eval.json with the protocol', async () => {
    const { exitCode: code, stdout, stderr } = await runCli(['eval', runDir, '--n', '30', '--seed', '1'], repo);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/30 generated vs 30 held-out real images of stream "real"/);
    expect(stdout).toMatch(/fid\s+\d/);
    const report = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8')) as EvalReport;
    expect(report.protocol).toMatchObject({
      nReal: 30,
      nFake: 30,
      seed: 1,
      fakeLabels: 'none',
      range: [-1, 1],
      reference: { kind: 'validation', stream: 'real', validationSplit: 0.25, heldOut: 30, used: 30, trainingExamples: 90, dataset: { use: 'mnist/digits' } },
    });
    expect(report.protocol.metrics.fid).toMatchObject({ use: 'eval/fid', plugin: '@ganforge/plugin-eval', higherIsBetter: false });
    expect(report.protocol.metrics.fid!.extractorSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.metrics.fid!.value).toBeGreaterThan(0);
    expect(report.metrics.kid).toHaveProperty('std');
    expect(report.metrics.coverage!.value).toBeGreaterThan(0);
    expect(report.model.step).toBe(4);
  });

  it('during training: evaluates every K steps on the held-out split and keeps the best FID step in best/', async () => {
    const file = JSON.parse(readFileSync(join(runDir, 'evaluations.json'), 'utf8')) as EvaluationsFile;
    expect(file.history.map((r) => r.step)).toEqual([2, 4]);
    expect(file.protocol.reference).toMatchObject({ kind: 'validation', heldOut: 30 });
    const fids = file.history.map((r) => r.metrics.fid!.value!);
    expect(file.best).toMatchObject({ selector: 'fid', mode: 'min', value: Math.min(...fids) });
    const best = await evaluateRun(runDir, { model: join(runDir, 'best'), n: 30, seed: 0, out: false, cwd: repo });
    expect(best.model.step).toBe(file.best!.step);
  });

  it('is reproducible: the same seed gives the same numbers, another seed other ones', async () => {
    const a = await evaluateRun(runDir, { n: 20, seed: 5, out: false, cwd: repo });
    const tensors = tf.memory().numTensors;
    const b = await evaluateRun(runDir, { n: 20, seed: 5, out: false, cwd: repo });
    const c = await evaluateRun(runDir, { n: 20, seed: 6, out: false, cwd: repo });
    // Nothing leaks: the generator, images and reference are released (the cached classifier stays).
    expect(tf.memory().numTensors).toBe(tensors);
    expect(b.metrics).toEqual(a.metrics);
    expect(c.metrics.fid!.value).not.toBe(a.metrics.fid!.value);
  });

  it('caps N at the held-out images with a warning, so real and fake counts match', async () => {
    const { exitCode: code, stderr, stdout } = await runCli(['eval', runDir, '--n', '500', '--metric', 'eval/coverage', '--out', join(tmp.dir, 'capped.json')], repo);
    expect(stderr).toMatch(/holds out only 30/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/30 generated vs 30/);
    expect(existsSync(join(tmp.dir, 'capped.json'))).toBe(true);
  });

  it('without --metric and without an evaluation section, runs the metrics the data recommends', async () => {
    const plain = (await trainTiny(tinySpec({ dir: 'plain', steps: 1 }))).runDir;
    const { exitCode: code, stdout, stderr } = await runCli(['eval', plain, '--n', '30'], repo);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(plain, 'eval.json'), 'utf8')) as EvalReport;
    // mnist/digits recommends these three (plugin-mnist's mnist-dataset.ts).
    expect(Object.keys(report.metrics).sort()).toEqual(['coverage', 'fid', 'kid']);
    expect(report.protocol.metrics.fid).toMatchObject({ use: 'eval/fid' });
    expect(stdout).toMatch(/coverage\s+\d/);
  });

  it('refuses a run without held-out images, and a run whose data recommends no metrics, with coded errors', async () => {
    const bare = (await trainTiny(tinySpec({ dir: 'no-split', validationSplit: 0, steps: 1 }))).runDir;
    for (const args of [['eval', bare], ['eval', bare, '--metric', 'eval/fid']]) {
      const noSplit = await runCli(args, repo);
      expect(noSplit.exitCode).toBe(2);
      expect(noSplit.stderr).toMatch(/GF_SPEC_CONFLICT[\s\S]*validationSplit/);
    }
    // Data that recommends nothing (core/image-folder): the spec must name the metrics. The check comes
    // before any model is loaded, so a run folder with only its spec.json shows it.
    const folderRun = join(tmp.dir, 'folder-run');
    mkdirSync(folderRun, { recursive: true });
    writeFileSync(join(folderRun, 'spec.json'), JSON.stringify({ ...tinySpec({ dir: 'folder-run' }), plugins: ['dcgan'], data: { real: { use: 'core/image-folder', options: { path: 'images' } } } }));
    const noMetrics = await runCli(['eval', folderRun], repo);
    expect(noMetrics.exitCode).toBe(2);
    expect(noMetrics.stderr).toMatch(/GF_USAGE[\s\S]*"core\/image-folder"\) recommends none/);
    for (const args of [['eval', runDir, '--n', '0'], ['eval', runDir, '--seed', '-1'], ['eval']]) {
      const usage = await runCli(args, repo);
      expect(usage.exitCode).toBe(2);
      expect(usage.stderr).toMatch(/GF_USAGE/);
    }
    const notARun = await runCli(['eval', tmp.dir], repo);
    expect(notARun.exitCode).toBe(2);
    expect(notARun.stderr).toMatch(/GF_RUN_DIR/);
  });
});
