/**
 * The SRResNet and SRGAN objectives through the core's unchanged engine (runTraining), with tiny nets (width 4,
 * one residual block, scale 2) on 16 px test images: the content loss falls, each SRGAN phase moves only its
 * group, cpu and wasm agree, the exported upscaler reloads and upscales any size, spec mistakes are coded errors.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, isGanforgeError, loadArtifact, type Tensor } from '@ganforge/core';
import { tf, useBackend } from '@ganforge/core/testing';
import srgan from './index.js';
import { spy } from './testing/test-plugin.js';
import { tinySpec, trainTiny } from './testing/train-tiny.js';

const root = mkdtempSync(join(tmpdir(), 'gf-srgan-train-'));
beforeAll(() => useBackend('cpu'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('srgan/srresnet', () => {
  it('trains on the content loss, which falls over 20 steps', async () => {
    const { steps } = await trainTiny(tinySpec({ steps: 20, backend: 'wasm', lr: 3e-3 }));
    await useBackend('cpu');
    expect(steps).toHaveLength(20);
    expect(Object.keys(steps[0]!.losses)).toEqual(['generator']);
    const losses = steps.map((s) => s.losses.generator!);
    for (const v of losses) expect(Number.isFinite(v)).toBe(true);
    console.log(`srresnet content loss: ${losses.map((v) => v.toFixed(3)).join(' ')}`);
    expect(mean(losses.slice(-4))).toBeLessThan(0.7 * mean(losses.slice(0, 4)));
  });
});

describe('srgan/srgan', () => {
  it('runs both phases, each moving only its own group; parts are logged and add up', async () => {
    spy.reset();
    const spec = tinySpec({ objective: 'srgan', steps: 3 });
    spec.objective.use = 'srgan-test/spy';
    const { steps } = await trainTiny(spec);
    expect(spy.records.map((r) => r.phase)).toEqual(['discriminator', 'generator', 'discriminator', 'generator', 'discriminator', 'generator']);
    for (let i = 1; i < spy.records.length; i++) {
      const [before, after] = [spy.records[i - 1]!.fingerprints, spy.records[i]!.fingerprints];
      const moved = Object.keys(after).filter((m) => after[m] !== before[m]).sort();
      expect(moved).toEqual([spy.records[i]!.phase]);
    }
    expect(Object.keys(steps[0]!.losses).sort()).toEqual(['discriminator', 'discriminator/fake_logit', 'discriminator/real_logit', 'generator', 'generator/adversarial', 'generator/content']);
    const l = steps[2]!.losses;
    expect(l['generator/content']! + l['generator/adversarial']!).toBeCloseTo(l.generator!, 5);
    // The adversarial term carries the 1e-3 weight (non-saturating loss of a near-chance D: about 0.69e-3).
    expect(l['generator/adversarial']!).toBeGreaterThan(1e-4);
    expect(l['generator/adversarial']!).toBeLessThan(1e-2);
  });
});

describe('backends', () => {
  it.each(['srresnet', 'srgan'] as const)('%s: cpu and wasm give the same losses for the first steps', async (objective) => {
    // A small lr, as cyclegan's test: Adam turns round-off in near-zero gradients into lr-sized steps.
    const run = async (backend: 'cpu' | 'wasm') => {
      const { steps, result } = await trainTiny(tinySpec({ objective, steps: 3, backend, lr: 1e-6 }));
      expect(result.backend.tfBackend).toBe(backend);
      return steps.map((s) => s.losses);
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    await useBackend('cpu');
    let worst = 0;
    cpu.forEach((losses, i) => {
      for (const [k, v] of Object.entries(losses)) worst = Math.max(worst, Math.abs(v - wasm[i]![k]!) / Math.max(Math.abs(v), 1e-3));
    });
    console.log(`${objective} cpu vs wasm: largest relative loss difference over 3 steps ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('artifacts', () => {
  it('upscale reloads with loadArtifact and upscales a 5x7 image to 10x14; grids are LR bicubic | SR | HR', async () => {
    const spec = tinySpec({ objective: 'srgan', steps: 2, output: { export: true, sampleEvery: 2, sampleCount: 6 } });
    const { result } = await trainTiny(spec, { dir: join(root, 'export') });
    expect(result.artifacts.map((a) => [a.name, a.input, a.output])).toEqual([['upscale', 'image', 'image']]);
    const png = readFileSync(join(result.runDir, 'samples', 'step-000000002.png'));
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(width).toBeGreaterThanOrEqual(3 * 16);
    expect(width).toBeLessThan(4 * 16);
    expect(height).toBeGreaterThanOrEqual(2 * 16);
    expect(height).toBeLessThan(3 * 16);
    const upscaler = await loadArtifact(result.runDir, 'upscale', { plugins: [srgan], backend: 'cpu' });
    const x = tf.randomUniform([1, 5, 7, 3], -1, 1, 'float32', 2);
    const y = upscaler.apply(x) as Tensor;
    expect(y.shape).toEqual([1, 10, 14, 3]);
    for (const v of y.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
    upscaler.dispose();
  });
});

describe('spec mistakes are coded errors (exit 2)', () => {
  const failure = async (spec: Record<string, any>) => {
    const error = await trainTiny(spec).catch((e: unknown) => e);
    expect(isGanforgeError(error)).toBe(true);
    const code = (error as { code: Parameters<typeof exitCodeOf>[0] }).code;
    expect(exitCodeOf(code)).toBe(2);
    return error as Error & { code: string };
  };

  it('a scale of 3', async () => {
    const error = await failure(tinySpec({ scale: 3 }));
    expect(error.code).toMatch(/^GF_SPEC_/);
    expect(error.message).toMatch(/scale/);
  });

  it('high-res images the factor does not divide', async () => {
    const error = await failure(tinySpec({ side: 14, scale: 4 }));
    expect(error.code).toBe('GF_SPEC_CONFLICT');
    expect(error.message).toMatch(/14x14/);
  });

  it('srgan without a discriminator', async () => {
    const spec = tinySpec({ objective: 'srgan' });
    delete spec.models.discriminator;
    const error = await failure(spec);
    expect(error.code).toMatch(/^GF_SPEC_/);
    expect(error.message).toMatch(/discriminator/);
  });
});
