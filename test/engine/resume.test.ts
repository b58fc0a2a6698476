import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { cycleSpec } from './cycle-spec.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A spec exercising everything resume must restore: schedules, EMA, clipping, weight decay, repeats, async data, epochs crossing batches. */
const hardSpec = (optimizers: Record<string, unknown>) =>
  tinyGanSpec({
    data: { options: { size: 27, async: true }, validationSplit: 0.1 },
    training: {
      steps: 12,
      prefetch: 3,
      ema: { model: 'generator', decay: 0.8, startStep: 2 },
      optimizers,
    },
    objective: { options: { criticRepeat: 2 } },
    output: { checkpointEvery: 4, keepCheckpoints: 5, logEvery: 1 },
  });

const adamSpec = hardSpec({
  discriminator: { clipNorm: 0.5, weightDecay: 0.01, schedule: { type: 'cosine', warmupSteps: 3 } },
  generator: { clipValue: 0.1, schedule: { type: 'linear', decayStart: 4, minFactor: 0.1 } },
});
const otherOptimizersSpec = hardSpec({
  discriminator: { type: 'rmsprop', lr: 0.002, momentum: 0.5, centered: true },
  generator: { type: 'sgd', lr: 0.05, momentum: 0.9 },
});

const lossesOf = (steps: { step: number; losses: Record<string, number> }[]) => steps.map((s) => ({ step: s.step, ...s.losses }));

describe.each([
  ['adam with schedules, clipping, weight decay and EMA', adamSpec],
  ['centered rmsprop with momentum and sgd with momentum', otherOptimizersSpec],
  ['two generators and two discriminators with an objective state', cycleSpec({ output: { checkpointEvery: 4, keepCheckpoints: 5 } })],
])('resume: %s', (label, spec) => {
  const dir = (name: string) => `${label.replace(/\W+/g, '-')}-${name}`;

  it('continues exactly: losses after a resume equal those of an uninterrupted run', async () => {
    const straight = await trainFixture(spec, tmp.dir, { outDir: dir('straight') });
    expect(straight.result.step).toBe(12);

    const controller = new AbortController();
    const first = await trainFixture(spec, tmp.dir, {
      outDir: dir('interrupted'),
      signal: controller.signal,
      onStep: (e) => void (e.step === 6 && controller.abort()),
    });
    expect(first.result).toMatchObject({ step: 6, interrupted: true });
    expect(first.result.exportDir).toBeUndefined();
    expect(readdirSync(join(first.result.runDir, 'checkpoints'))).toEqual(['step-000000004', 'step-000000006']);

    const resumed = await trainFixture(spec, tmp.dir, { outDir: dir('interrupted'), resume: true });
    expect(resumed.result).toMatchObject({ step: 12, interrupted: false, runDir: first.result.runDir });
    expect(lossesOf(resumed.steps)).toEqual(lossesOf(straight.steps.slice(6)));
    expect(lossesOf(first.steps)).toEqual(lossesOf(straight.steps.slice(0, 6)));
    // The metrics of the resumed run continue the file without duplicates.
    const logged = readFileSync(join(first.result.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step);
    expect(logged).toEqual(straight.steps.map((s) => s.step).filter((s) => logged.includes(s)));
    expect(new Set(logged).size).toBe(logged.length);
  });

  it('detects a truncated or corrupted last checkpoint, says so, and resumes from the previous one', async () => {
    const straight = await trainFixture(spec, tmp.dir, { outDir: dir('straight2') });
    const controller = new AbortController();
    const first = await trainFixture(spec, tmp.dir, {
      outDir: dir('broken'),
      signal: controller.signal,
      onStep: (e) => void (e.step === 10 && controller.abort()),
    });
    const checkpoints = join(first.result.runDir, 'checkpoints');
    expect(readdirSync(checkpoints)).toEqual(['step-000000004', 'step-000000008', 'step-000000010']);
    // Truncate the newest, flip a byte in the one before: both must be rejected.
    const newest = join(checkpoints, 'step-000000010', 'tensors.bin');
    truncateSync(newest, 100);
    const before = join(checkpoints, 'step-000000008', 'state.json');
    const text = readFileSync(before, 'utf8');
    writeFileSync(before, text.replace('"step":8', '"step":9'));

    const warnings: string[] = [];
    const log = { info() {}, debug() {}, warn: (m: string) => void warnings.push(m) };
    let skipped: unknown[] = [];
    const resumed = await trainFixture(spec, tmp.dir, { outDir: dir('broken'), resume: first.result.runDir, log, onStart: (e) => void (skipped = e.skippedCheckpoints) });
    expect(warnings.join('\n')).toMatch(/step-000000010 is unusable: tensors\.bin has 100 bytes.*truncated/);
    expect(warnings.join('\n')).toMatch(/step-000000008 is unusable: state\.json does not match its sha256 checksum/);
    expect(skipped).toHaveLength(2);
    expect(resumed.steps[0]!.step).toBe(5);
    expect(lossesOf(resumed.steps)).toEqual(lossesOf(straight.steps.slice(4)));
  });
});
