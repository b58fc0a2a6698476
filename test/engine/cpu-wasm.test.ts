/**
 * Same spec + seed on cpu and on wasm: the first steps' losses agree. Weights and noise are identical
 * (seeded values are generated in JavaScript on every backend); the kernels differ (XNNPACK sums in
 * another order), so the losses agree to float32 rounding (measured: within 1.2e-7), not always bit for bit.
 * Conv nets train on wasm through the core's wasm training kernels (Conv2DBackpropFilter & co).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const convModels = { generator: { use: 'tiny/conv-generator' }, discriminator: { use: 'tiny/conv-discriminator' } };

describe.each([
  ['a dense GAN', {}],
  ['a conv GAN (transposed conv, batch norm, strided conv)', convModels],
])('cpu and wasm', (label, models) => {
  it(`give the same losses for the first steps of ${label}`, async () => {
    const spec = (backend: string) => {
      const base = tinyGanSpec({ training: { steps: 5, backend }, output: { dir: `run-${backend}-${label.length}`, export: false } });
      return { ...base, models: { ...base.models, ...models } };
    };
    const cpu = await trainFixture(spec('cpu'), tmp.dir);
    const wasm = await trainFixture(spec('wasm'), tmp.dir);
    expect(cpu.result.backend.name).toBe('cpu');
    expect(wasm.result.backend.name).toBe('wasm');
    expect(wasm.steps).toHaveLength(5);
    wasm.steps.forEach((step, i) => {
      for (const [name, value] of Object.entries(cpu.steps[i]!.losses)) expect(step.losses[name], `step ${i + 1} ${name}`).toBeCloseTo(value, 6);
    });
  });
});
