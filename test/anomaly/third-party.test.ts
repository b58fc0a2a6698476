/**
 * The drop-in claim for heads and augmentations: ganforge-plugin-toy, a plain-JS package outside packages/
 * installed by name into toy-project, adds an augmentation (toy/invert) and a head (toy/critic-score). A
 * spec naming them trains through the unchanged engine, the augmentation changes what the models see, the
 * head is exported with its threshold, and `ganforge score` scores image files with it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../packages/core/src/engine/run-training.js';
import { encodeImage } from '../../packages/core/src/run/png.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import { tempDir } from '../engine/helpers.js';
import { runCli } from '../helpers/cli.js';

const project = fileURLToPath(new URL('../fixtures/packages/toy-project', import.meta.url));
const tmp = tempDir('gf-third-party-');
afterAll(() => tmp.cleanup());

const spec = (dir: string, augment: object[]) => ({
  name: 'toy-with-extras',
  plugins: ['toy'],
  data: { real: { use: 'toy/blobs', options: { count: 64 }, validationSplit: 0.25 } },
  models: { generator: { use: 'toy/generator' }, critic: { use: 'toy/critic' } },
  objective: { use: 'toy/gan' },
  augment,
  heads: { realness: { use: 'toy/critic-score', threshold: { quantile: 0.9 } } },
  training: { batchSize: 8, steps: 4, seed: 2, backend: 'cpu' },
  output: { dir: join(tmp.dir, dir), sampleEvery: 1000, checkpointEvery: 1000 },
});

async function train(input: object) {
  const { spec: resolved, registry, specDir } = await validateSpec(input, { cwd: project });
  const losses: Record<string, number>[] = [];
  const result = await runTraining({ spec: resolved, registry, specDir, cwd: project, onStep: (e) => void losses.push(e.losses) });
  return { ...result, losses };
}

describe('a third-party head and augmentation', () => {
  it('train and score through the unchanged engine', async () => {
    const inverted = await train(spec('inverted', [{ use: 'toy/invert', options: { p: 1 } }]));
    const plain = await train(spec('plain', []));
    // Same seed, same data: only the inversion differs, so the critic's first loss differs.
    expect(inverted.losses[0]!.critic).not.toBeCloseTo(plain.losses[0]!.critic!, 6);

    const info = JSON.parse(readFileSync(join(inverted.runDir, 'realness', 'ganforge.json'), 'utf8'));
    expect(info).toMatchObject({ output: 'score', head: { use: 'toy/critic-score' }, threshold: { quantile: 0.9, stream: 'real', images: 16 } });

    const file = join(tmp.dir, 'blob.png');
    writeFileSync(file, encodeImage({ data: Float32Array.from([0, 0.5, 1, 0.25]), shape: [1, 2, 2, 1], scale: 'unit' }, 0));
    const { exitCode, stdout, stderr } = await runCli(['score', inverted.runDir, file], project);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const [header, row] = stdout.trim().split('\n');
    expect(header).toBe('file,score,flagged');
    expect(row).toMatch(/blob\.png,-?\d[\d.e-]*,[01]$/);
  });

  it('get the same coded errors as built-in entries', async () => {
    const error = await validateSpec(spec('bad', [{ use: 'toy/invert', options: { p: 2 } }]), { cwd: project }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'GF_SPEC_RANGE', exitCode: 2 });
    const misspelt = await validateSpec(spec('bad', [{ use: 'toy/invrt' }]), { cwd: project }).then(() => undefined, (e: unknown) => e);
    expect(String((misspelt as Error).message)).toMatch(/toy\/invert/);
  });
});
