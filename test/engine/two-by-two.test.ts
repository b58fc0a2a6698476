/**
 * Issue 2's proof that the engine is not shaped around one generator and one discriminator: a
 * CycleGAN-shaped fixture objective (two generators, two discriminators, two data streams, a cycle loss,
 * a pool of fakes kept across steps) trains through the unchanged engine, and each optimizer group
 * moves only its own models.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRun } from '../../packages/core/src/engine/build.js';
import { createGroup } from '../../packages/core/src/engine/optimizers.js';
import { silentLogger } from '../../packages/core/src/engine/run-training.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { Trainer } from '../../packages/core/src/engine/trainer.js';
import { SeededRandom } from '../../packages/core/src/engine/random.js';
import { nodeStorage } from '../../packages/core/src/node/storage.js';
import { PluginDriver } from '../../packages/core/src/plugin/driver.js';
import { cycleSpec } from './cycle-spec.js';
import { tempDir, trainFixture, validated } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const weightsOf = (model: tf.LayersModel) => model.trainableWeights.map((w) => Array.from(w.read().dataSync()));

describe('two generators and two discriminators', () => {
  it('trains through the engine: both phases, logged loss parts, samples, and export of the artifacts it declares', async () => {
    const { result, steps } = await trainFixture(cycleSpec({ output: { dir: 'cycle' } }), tmp.dir);
    expect(result.step).toBe(12);
    expect(Object.keys(steps[0]!.losses).sort()).toEqual(['discriminators', 'generators', 'generators/adversarial', 'generators/cycle']);
    for (const s of steps) for (const v of Object.values(s.losses)) expect(Number.isFinite(v)).toBe(true);
    // The cycle loss falls as the translators learn to invert each other.
    expect(steps.at(-1)!.losses['generators/cycle']!).toBeLessThan(steps[0]!.losses['generators/cycle']!);
    for (const artifact of ['translate-ab', 'translate-ba']) expect(existsSync(join(result.runDir, artifact, 'model.json'))).toBe(true);
    expect(existsSync(join(result.runDir, 'samples'))).toBe(true);
  });

  it('each phase updates only the variables of its optimizer group', async () => {
    await tf.setBackend('cpu');
    const { spec, registry, specDir } = await validated(cycleSpec(), tmp.dir);
    expect(spec.training.optimizers.generators!.models).toEqual(['g_ab', 'g_ba']);
    const built = await buildRun({ tf, spec, driver: new PluginDriver(registry), specDir, storage: nodeStorage(tmp.dir), log: silentLogger });
    const groups = Object.fromEntries(Object.entries(spec.training.optimizers).map(([name, c]) => [name, createGroup(tf, name, c, built.models)]));
    const onlyGenerators = { ...built, program: { ...built.program, phases: built.program.phases.filter((p) => p.name === 'generators') } };
    const trainer = new Trainer({ tf, built: onlyGenerators, groups, random: new SeededRandom(tf, 1), totalSteps: 1 });
    const before = Object.fromEntries(Object.entries(built.models).map(([name, m]) => [name, weightsOf(m)]));
    await trainer.runStep();
    for (const name of ['g_ab', 'g_ba']) expect(weightsOf(built.models[name]!)).not.toEqual(before[name]);
    for (const name of ['d_a', 'd_b']) expect(weightsOf(built.models[name]!)).toEqual(before[name]);
    built.program.dispose?.();
    for (const m of Object.values(built.models)) m.dispose();
  });
});
