/**
 * @ganforge/plugin-anomaly through the unchanged engine: a tiny GANomaly trains on "normal" digits, exports
 * its anomaly/score head with a threshold set on held-out normal digits, `ganforge eval` ranks held-out
 * normal vs anomalous digits (AUROC, average precision, protocol in eval.json), `ganforge score` writes a
 * CSV, loadHead scores files the same way, and bad requests are coded errors with exit 2.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHead } from '../../packages/core/src/api/load-head.js';
import { runTraining } from '../../packages/core/src/engine/run-training.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { isGanforgeError } from '../../packages/core/src/errors.js';
import type { Tensor4D } from '../../packages/core/src/plugin/types.js';
import { encodeImage } from '../../packages/core/src/run/png.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import anomaly from '../../packages/plugin-anomaly/src/index.js';
import { tempDir } from '../engine/helpers.js';
import { runCli } from '../helpers/cli.js';

const tmp = tempDir('gf-anomaly-');
const repo = fileURLToPath(new URL('../..', import.meta.url));
afterAll(() => tmp.cleanup());

const ganomaly = (dir: string, extra: object = {}) => ({
  name: 'tiny-ganomaly',
  plugins: ['anomaly', 'mnist'],
  data: {
    normal: { use: 'mnist/digits', options: { digits: [1, 7], maxPerDigit: 40 }, validationSplit: 0.25 },
    anomalous: { use: 'mnist/digits', options: { digits: [0], maxPerDigit: 20 }, validationSplit: 0.5 },
  },
  models: {
    encoder: { use: 'anomaly/encoder', options: { width: 4, latentDim: 8 } },
    decoder: { use: 'anomaly/decoder', options: { width: 4, latentDim: 8 } },
    reencoder: { use: 'anomaly/encoder', options: { width: 4, latentDim: 8 } },
    discriminator: { use: 'anomaly/discriminator', options: { width: 4 } },
  },
  objective: { use: 'anomaly/ganomaly' },
  heads: { score: { use: 'anomaly/score' } },
  training: { batchSize: 8, steps: 6, seed: 3, backend: 'cpu' },
  evaluation: { metrics: { auroc: { use: 'anomaly/auroc' }, ap: { use: 'anomaly/average-precision' } } },
  output: { dir: join(tmp.dir, dir), sampleEvery: 1000, checkpointEvery: 1000 },
  ...extra,
});

async function train(spec: object, onStep?: (losses: Record<string, number>) => void) {
  const { spec: resolved, registry, specDir } = await validateSpec(spec, { cwd: repo });
  return runTraining({ spec: resolved, registry, specDir, cwd: repo, onStep: (e) => onStep?.(e.losses) });
}

let runDir = '';
const counts: number[] = [];
const losses: Record<string, number>[] = [];

beforeAll(async () => {
  const result = await train(ganomaly('run'), (l) => {
    losses.push(l);
    counts.push(tf.memory().numTensors);
  });
  runDir = result.runDir;
  // A few digit files to score: 28x28 grayscale PNGs.
  mkdirSync(join(tmp.dir, 'digits', 'more'), { recursive: true });
  for (const [i, file] of ['a.png', 'b.png', join('more', 'c.png')].entries()) {
    const data = new Float32Array(28 * 28).map((_, p) => (Math.abs((p % 28) - 14 + i) < 3 ? 1 : 0));
    writeFileSync(join(tmp.dir, 'digits', file), encodeImage({ data, shape: [1, 28, 28, 1], scale: 'unit' }, 0));
  }
  writeFileSync(join(tmp.dir, 'digits', 'notes.txt'), 'not an image');
}, 120_000);

describe('anomaly/ganomaly', () => {
  it('trains its two phases with every loss part finite and no leaked tensors', () => {
    expect(losses).toHaveLength(6);
    for (const l of losses) {
      for (const key of ['generator', 'discriminator', 'generator/adversarial', 'generator/contextual', 'generator/encoder']) {
        expect(Number.isFinite(l[key]), `${key} in ${JSON.stringify(l)}`).toBe(true);
      }
    }
    expect(counts.at(-1)).toBe(counts[1]);
  });

  it('exports the score head with a threshold: the 95 % quantile of held-out normal scores', () => {
    const info = JSON.parse(readFileSync(join(runDir, 'score', 'ganforge.json'), 'utf8'));
    expect(info.output).toBe('score');
    expect(info.head).toEqual({ use: 'anomaly/score', options: { method: 'latent', kappa: 1 } });
    // 80 normal digits, 25 % held out.
    expect(info.threshold).toMatchObject({ quantile: 0.95, stream: 'normal', images: 20 });
    expect(Number.isFinite(info.threshold.value)).toBe(true);
  });
});

describe('ganforge eval on a head', () => {
  it('ranks held-out anomalies against held-out normal images and records the protocol', async () => {
    const { exitCode, stdout, stderr } = await runCli(['eval', runDir], repo);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/head "score" scored the held-out images of "normal" \(20\), "anomalous" \(10\)/);
    const report = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8'));
    expect(report.metrics.auroc.value).toBeGreaterThanOrEqual(0);
    expect(report.metrics.auroc.value).toBeLessThanOrEqual(1);
    expect(report.metrics.auroc).toMatchObject({ positives: 10, negatives: 20 });
    expect(report.metrics.ap.positiveShare).toBeCloseTo(10 / 30, 6);
    expect(report.protocol.kind).toBe('scores');
    expect(report.protocol.streams.anomalous).toMatchObject({ heldOut: 10, used: 10, trainingExamples: 10 });
    expect(report.protocol.metrics.auroc).toMatchObject({ use: 'anomaly/auroc', positives: 'anomalous' });
  });

  it('refuses image metrics on a head and score metrics without the positive stream, exit 2', async () => {
    const images = await runCli(['eval', runDir, '--artifact', 'score', '--metric', 'eval/fid'], repo);
    expect(images.exitCode).toBe(2);
    expect(images.stderr).toMatch(/GF_USAGE.*gives scores/);
    const spec = JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8'));
    spec.evaluation.metrics.auroc.options.positive = 'outliers';
    writeFileSync(join(runDir, 'spec.json'), JSON.stringify(spec));
    try {
      const missing = await runCli(['eval', runDir, '--metric', 'anomaly/auroc'], repo);
      expect(missing.stderr + missing.exitCode).toBe("0"); // --metric uses the default options: positive "anomalous"
      const named = await runCli(['eval', runDir], repo);
      expect(named.exitCode).toBe(2);
      expect(named.stderr).toMatch(/GF_SPEC_REFERENCE.*"outliers"/);
    } finally {
      spec.evaluation.metrics.auroc.options.positive = 'anomalous';
      writeFileSync(join(runDir, 'spec.json'), JSON.stringify(spec));
    }
  });
});

describe('ganforge score and loadHead', () => {
  it('writes one CSV row per image with its score and whether it is above the saved threshold', async () => {
    const { exitCode, stdout, stderr } = await runCli(['score', runDir, join(tmp.dir, 'digits'), '--out', join(tmp.dir, 'scores.csv')], repo);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/scored 3 images with head "score"; \d above the threshold .* \(the 95 % quantile of 20 held-out images of "normal"\)/);
    const rows = readFileSync(join(tmp.dir, 'scores.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('file,score,flagged');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['a.png', 'b.png', join('more', 'c.png')]);

    const head = await loadHead(runDir, undefined, { plugins: [anomaly], backend: 'cpu' });
    try {
      for (const row of rows.slice(1)) {
        const [file, score, flagged] = row.split(',');
        const expected = await head.scoreFile(join(tmp.dir, 'digits', file!));
        expect(Number(score)).toBeCloseTo(expected, 5);
        expect(flagged).toBe(expected > head.threshold!.value ? '1' : '0');
      }
      // The file path equals the tensor path.
      const x = tf.fill([2, 28, 28, 1], -1) as Tensor4D;
      const scores = head.score(x);
      expect(scores.shape).toEqual([2]);
      tf.dispose([x, scores]);
    } finally {
      head.dispose();
    }
    const all = await runCli(['score', runDir, join(tmp.dir, 'digits', 'a.png'), '--threshold', '-1'], repo);
    expect(all.exitCode).toBe(0);
    expect(all.stdout.trim().split('\n')[1]).toMatch(/^.*a\.png,[^,]+,1$/);
  });

  it('gives coded errors with exit 2 for bad requests', async () => {
    const bad = await runCli(['score', runDir, join(tmp.dir, 'digits'), '--threshold', 'high'], repo);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/GF_USAGE.*--threshold must be a number/);
    const notHead = await runCli(['score', join(runDir, 'reconstruct'), join(tmp.dir, 'digits')], repo);
    expect(notHead.exitCode).toBe(2);
    expect(notHead.stderr).toMatch(/GF_USAGE.*not a head/);
    const noImages = await runCli(['score', runDir, join(tmp.dir, 'digits', 'more', 'nothing')], repo);
    expect(noImages.exitCode).toBe(2);
  });

  it('refuses a head asked of a run that has no encoder', async () => {
    const dcgan = {
      name: 'tiny-dcgan-with-head',
      plugins: ['dcgan', 'mnist', 'anomaly'],
      data: { real: { use: 'mnist/digits', options: { maxPerDigit: 4 } } },
      models: {
        generator: { use: 'dcgan/generator', options: { latentDim: 8, width: 4 } },
        discriminator: { use: 'dcgan/discriminator', options: { width: 4 } },
      },
      objective: { use: 'dcgan/dcgan' },
      heads: { score: { use: 'anomaly/score' } },
      training: { batchSize: 8, steps: 1, seed: 1, backend: 'cpu' },
      output: { dir: join(tmp.dir, 'dcgan'), sampleEvery: 1000, checkpointEvery: 1000 },
    };
    const error = await train(dcgan).then(() => undefined, (e: unknown) => e);
    expect(isGanforgeError(error) && error.code).toBe('GF_SPEC_CONFLICT');
    expect((error as Error).message).toMatch(/needs models "encoder", "decoder", "reencoder", but the run has "generator", "discriminator"/);
    expect(isGanforgeError(error) && error.exitCode).toBe(2);

    // And a run without heads: `ganforge score` says so.
    const { heads: _, ...plain } = dcgan;
    const { runDir: plainRun } = await train({ ...plain, output: { ...plain.output, dir: join(tmp.dir, 'plain') } });
    const noHead = await runCli(['score', plainRun, join(tmp.dir, 'digits')], repo);
    expect(noHead.exitCode).toBe(2);
    expect(noHead.stderr).toMatch(/GF_USAGE.*has no head/);
  });
});
