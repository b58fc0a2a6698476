/**
 * Self-conditioned WGANs (objective option clusters): a critic that takes a label scores reals by their pixel
 * cluster and fakes by their code; the clusters learn from every critic batch, survive a checkpoint, and a
 * resumed run continues exactly; every half-way setup is a coded spec error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { train } from '@ganforge/core';
import { plugins, tinySpec } from './testing/train-tiny.js';

const root = mkdtempSync(join(tmpdir(), 'gf-wgan-self-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Spec = ReturnType<typeof tinySpec> & { models: Record<string, { use: string; options: Record<string, unknown> }>; output: Record<string, unknown>; training: Record<string, unknown> };

/** tinySpec with a generator code of 4, a projection critic (dcgan/discriminator, no batch norm) and 4 clusters. */
function selfConditioned(dir: string, objective: string, options: Record<string, unknown> = {}): Spec {
  const spec = tinySpec({ objective: { use: objective, options: { nCritic: 2, clusters: 4, ...options } }, steps: 4 }) as Spec;
  spec.models.generator!.options.codes = 4;
  spec.models.critic = { use: 'dcgan/discriminator', options: { width: 8, conditional: 'projection', classes: 4 } };
  spec.output = { ...spec.output, dir, checkpointEvery: 2, logEvery: 1 };
  return spec;
}

const losses = (dir: string): Record<string, number>[] =>
  readFileSync(join(root, dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).losses);

describe('self-conditioned WGAN critics (option clusters)', () => {
  it.each(['wgan/wgan-gp', 'wgan/wgan'])('%s: clusters learn from every critic batch, are checkpointed, and a resumed run continues exactly', async (objective) => {
    const tag = objective.replace('/', '-');
    const spec = (dir: string) => selfConditioned(dir, objective);
    await train(spec(`${tag}-whole`), { plugins, cwd: root });
    await train(spec(`${tag}-split`), { plugins, cwd: root, steps: 2 });
    const state = JSON.parse(readFileSync(join(root, `${tag}-split`, 'checkpoints', 'step-000000002', 'state.json'), 'utf8'));
    expect(state.objective.json).toMatchObject({ filled: 4 });
    // 2 steps × nCritic 2 × batch 16 real images, each assigned once.
    expect(state.objective.json.counts.reduce((a: number, b: number) => a + b, 0)).toBe(2 * 2 * 16);
    await train(spec(`${tag}-split`), { plugins, cwd: root, resume: join(root, `${tag}-split`) });
    const whole = losses(`${tag}-whole`);
    const split = losses(`${tag}-split`);
    expect(whole).toHaveLength(4);
    expect(whole.every((l) => Object.values(l).every(Number.isFinite))).toBe(true);
    expect(split.slice(-2)).toEqual(whole.slice(-2));
  });

  it('every half-way setup is GF_SPEC_CONFLICT: clusters without a labelled critic, a labelled critic without clusters, K that differ, no code', async () => {
    const expectConflict = (spec: Spec, message: RegExp) => expect(train(spec, { plugins, cwd: root })).rejects.toMatchObject({ code: 'GF_SPEC_CONFLICT', message: expect.stringMatching(message) });

    const unlabelledCritic = selfConditioned('bad-1', 'wgan/wgan-gp');
    unlabelledCritic.models.critic!.options = { width: 8 };
    await expectConflict(unlabelledCritic, /clusters is 4, but the critic .* takes no label/);

    await expectConflict(selfConditioned('bad-2', 'wgan/wgan-gp', { clusters: 0 }), /nothing labels the real images/);
    await expectConflict(selfConditioned('bad-3', 'wgan/wgan', { clusters: 5 }), /code has 4 values, the critic embeds 4 labels and the objective makes 5 clusters/);

    const noCode = selfConditioned('bad-4', 'wgan/wgan-gp');
    delete noCode.models.generator!.options.codes;
    await expectConflict(noCode, /draws no code/);
  });
});
