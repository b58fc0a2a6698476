/**
 * Same spec + seed on cpu and on wasm: the first steps' losses agree. Weights and noise are identical
 * (seeded values are generated in JavaScript on every backend); the kernels differ (XNNPACK sums in
 * another order), so the losses agree to float32 rounding, not bit for bit.
 * Dense nets only for now: conv training on wasm needs the core's wasm training kernels.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('cpu and wasm', () => {
  it('give the same losses for the first steps of a dense GAN', async () => {
    const spec = (backend: string) => tinyGanSpec({ training: { steps: 5, backend }, output: { dir: `run-${backend}`, export: false } });
    const cpu = await trainFixture(spec('cpu'), tmp.dir);
    const wasm = await trainFixture(spec('wasm'), tmp.dir);
    expect(cpu.result.backend.name).toBe('cpu');
    expect(wasm.result.backend.name).toBe('wasm');
    expect(wasm.steps).toHaveLength(5);
    wasm.steps.forEach((step, i) => {
      for (const [name, value] of Object.entries(cpu.steps[i]!.losses)) expect(step.losses[name], `step ${i + 1} ${name}`).toBeCloseTo(value, 5);
    });
  });
});
