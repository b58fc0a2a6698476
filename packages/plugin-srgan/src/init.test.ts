/**
 * `models.generator.init`: SRGAN starts from an SRResNet run's generator, as the paper trains it; a trained
 * net of another width or scale, a missing folder, a run without that model are coded errors (exit 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, isGanforgeError, loadArtifact } from '@ganforge/core';
import { tf, useBackend } from '@ganforge/core/testing';
import srgan from './index.js';
import { tinySpec, trainTiny } from './testing/train-tiny.js';

const root = mkdtempSync(join(tmpdir(), 'gf-srgan-init-'));
let pretrained = '';
beforeAll(async () => {
  await useBackend('cpu');
  ({ result: { runDir: pretrained } } = await trainTiny(tinySpec({ steps: 3, output: { export: true, dir: 'pre' } }), { dir: root }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const weightsOf = async (run: string) => {
  const a = await loadArtifact(run, 'upscale', { plugins: [srgan], backend: 'cpu' });
  // Trainable weights only: batch-norm moving statistics follow the one training step.
  const values = a.models[0]!.getWeights(true).map((w) => Array.from(w.dataSync()));
  a.dispose();
  return values;
};

async function codeOf(spec: Record<string, any>): Promise<[string, string]> {
  const error = await trainTiny(spec, { dir: root }).catch((e: unknown) => e);
  expect(isGanforgeError(error)).toBe(true);
  const { code, message } = error as { code: string; message: string };
  expect(exitCodeOf(code as never)).toBe(2);
  return [code, message];
}

describe('models.<name>.init', () => {
  it('starts the SRGAN generator from the SRResNet run (weights equal before the first update)', async () => {
    const spec = tinySpec({ objective: 'srgan', steps: 1, lr: 1e-12, output: { export: true, dir: 'gan' } });
    spec.models.generator.init = 'pre';
    const { result } = await trainTiny(spec, { dir: root });
    const [before, after] = [await weightsOf(pretrained), await weightsOf(result.runDir)];
    expect(after.length).toBe(before.length);
    let gap = 0;
    after.forEach((w, i) => w.forEach((v, j) => (gap = Math.max(gap, Math.abs(v - before[i]![j]!)))));
    expect(gap).toBeLessThan(1e-6);
    // Without init the same spec starts elsewhere: the check above can fail.
    delete spec.models.generator.init;
    spec.output.dir = 'fresh';
    const fresh = await weightsOf((await trainTiny(spec, { dir: root })).result.runDir);
    expect(fresh.flat().some((v, i) => Math.abs(v - before.flat()[i]!) > 1e-3)).toBe(true);
  });

  it('refuses a trained net of another width or scale, a missing folder, and a run without the model', async () => {
    const wide = tinySpec({ objective: 'srgan', steps: 1 });
    wide.models.generator.options.width = 8;
    wide.models.generator.init = 'pre';
    const [code, message] = await codeOf(wide);
    expect(code).toBe('GF_SPEC_CONFLICT');
    expect(message).toMatch(/does not fit model "generator".*weight 0 .* is \[9, 9, 3, 4\] there but \[9, 9, 3, 8\] here/);

    const x4 = tinySpec({ objective: 'srgan', steps: 1, scale: 4 });
    x4.models.generator.init = 'pre';
    expect((await codeOf(x4))[1]).toMatch(/has \d+ weight tensors, this model \d+/);

    const missing = tinySpec({ steps: 1 });
    missing.models.generator.init = 'no-such-run';
    expect(await codeOf(missing)).toEqual(['GF_RUN_DIR', expect.stringMatching(/init: no-such-run does not exist/)]);

    const renamed = tinySpec({ objective: 'srgan', steps: 1 });
    renamed.models.discriminator.init = 'pre';
    expect(await codeOf(renamed)).toEqual(['GF_RUN_DIR', expect.stringMatching(/holds no exported model "discriminator" \(it has "generator"\)/)]);
    tf.disposeVariables();
  });
});
