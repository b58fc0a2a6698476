/**
 * The shipped WGAN specs, shrunk to tiny nets, few digits and two steps on cpu, train through the core's public
 * train(): validation alone would not catch a spec whose code, critic labels and clusters disagree (the objective
 * checks those when it sets up).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { train } from '@ganforge/core';
import mnist from '../../plugin-mnist/src/index.js';
import dcgan from '../../plugin-dcgan/src/index.js';
import wgan from './index.js';

const root = mkdtempSync(join(tmpdir(), 'gf-wgan-shipped-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../../../specs/${name}.json`, import.meta.url), 'utf8'));

describe('the shipped WGAN specs', () => {
  it.each(['wgan-mnist', 'wgan-gp-mnist'])('%s trains self-conditioned when shrunk (code, critic labels and clusters agree)', async (name) => {
    const spec = shipped(name);
    expect(spec.objective.options.clusters).toBeGreaterThan(0);
    expect(spec.models.generator.options.codes).toBe(spec.objective.options.clusters);
    expect(spec.models.critic.options.classes).toBe(spec.objective.options.clusters);
    spec.plugins = [];
    spec.data.real.options = { digits: [0, 1, 7], maxPerDigit: 16 };
    spec.models.generator.options = { ...spec.models.generator.options, width: 4, latentDim: 8, codes: 4 };
    spec.models.critic.options = { ...spec.models.critic.options, width: 4, classes: 4 };
    spec.objective.options.clusters = 4;
    spec.training = { ...spec.training, batchSize: 8, steps: 2, backend: 'cpu' };
    spec.output = { dir: name, sampleEvery: 2, sampleCount: 4, checkpointEvery: 2, logEvery: 1 };
    await train(spec, { plugins: [wgan, dcgan, mnist], cwd: root });
    const lines = readFileSync(join(root, name, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).losses);
    expect(lines).toHaveLength(2);
    expect(Object.values(lines[1]).every(Number.isFinite)).toBe(true);
    const state = JSON.parse(readFileSync(join(root, name, 'checkpoints', 'step-000000002', 'state.json'), 'utf8'));
    expect(state.objective.json.filled).toBe(4);
  });
});
