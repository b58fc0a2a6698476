/**
 * Valid specs resolve: a third-party plugin installed by name is found from a nested spec folder, every
 * entry's options get their defaults, and objective defaults fill loss roles and optimizer groups.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definePlugin, GanforgeError } from '../../packages/core/src/index.js';
import { validateSpec, validateSpecFile } from '../../packages/core/src/spec/validate.js';
import { runCli } from '../helpers/cli.js';

const project = fileURLToPath(new URL('../fixtures/packages/toy-project/', import.meta.url));
const toySpec = 'specs/nested/deeper/toy.json';

describe('a valid spec with a third-party plugin', () => {
  it('resolves the plugin by short name from the spec\'s nested folder', async () => {
    const { registry, spec } = await validateSpecFile(`${project}${toySpec}`, { cwd: '/' });
    const toy = registry.plugins.find((p) => p.plugin.meta.namespace === 'toy');
    expect(toy?.origin.specifier).toBe('toy');
    expect(toy?.origin.file).toMatch(/test\/fixtures\/packages\/ganforge-plugin-toy\/index\.js$/);
    expect(spec.plugins).toEqual(['toy']);
  });

  it("applies each entry's option defaults and keeps what the spec wrote", async () => {
    const { spec } = await validateSpecFile(toySpec, { cwd: project });
    expect(spec.models.generator!.options).toEqual({ units: 8, layers: 1, activation: 'relu' });
    expect(spec.models.critic!.options).toEqual({ units: 16, layers: 1, activation: 'relu' });
    expect(spec.data.real).toEqual({ use: 'toy/blobs', options: { count: 32 }, shuffle: true, validationSplit: 0, scale: 'tanh' });
    expect(spec.objective.options).toEqual({ criticSteps: 2 });
  });

  it('fills loss roles and optimizer groups from the objective, the spec winning', async () => {
    const { spec } = await validateSpecFile(toySpec, { cwd: project });
    expect(spec.losses).toEqual({
      adversarial: { use: 'toy/logistic', options: {}, weight: 1 },
      reconstruction: { use: 'toy/l1', options: {}, weight: 0 },
    });
    expect(spec.training.optimizers.generator).toMatchObject({ type: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.999, models: ['generator'] });
    expect(spec.training.optimizers.critic).toMatchObject({ type: 'rmsprop', lr: 0.001, rho: 0.9, models: ['critic'] });
    expect(spec.training.optimizers.critic!.schedule).toEqual({ type: 'constant', warmupSteps: 0, decayStart: 0, minFactor: 0 });
    expect(spec.output).toMatchObject({ sampleEvery: 10, checkpointEvery: 10, tensorboard: false, export: true });
  });

  it('freezes the resolved spec', async () => {
    const { spec } = await validateSpecFile(toySpec, { cwd: project });
    expect(Object.isFrozen(spec.training.optimizers.critic)).toBe(true);
  });

  it('`ganforge validate` exits 0 and summarizes', async () => {
    const { exitCode, stdout, stderr } = await runCli(['validate', toySpec], project);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('✔ specs/nested/deeper/toy.json is valid');
    expect(stdout).toContain('ganforge-plugin-toy@1.2.3');
  });

  it('`ganforge validate --print` prints the resolved spec as JSON', async () => {
    const { exitCode, stdout } = await runCli(['validate', toySpec, '--print'], project);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout).training.optimizers.critic.type).toBe('rmsprop');
  });
});

describe('programmatic callers', () => {
  const inline = definePlugin({
    meta: { name: 'inline', version: '0.0.0', namespace: 'inline', core: '*', apiVersion: 1 },
    datasets: { d: { description: 'd', open: () => ({ info: { size: 1, shape: [1, 1, 1] }, range: [0, 1], read: () => ({ x: new Float32Array(1) }) }) } },
    architectures: { a: { description: 'a', build: () => { throw new Error('not built in validation'); } } },
    objectives: {
      o: { description: 'o', models: { g: { description: 'g' } }, data: { real: { description: 'r' } }, optimizers: { g: { models: ['g'] } }, setup: () => ({ phases: [] }) },
    },
  });
  const spec = {
    name: 'inline',
    data: { real: { use: 'inline/d' } },
    models: { g: { use: 'inline/a' } },
    objective: { use: 'inline/o' },
    training: { batchSize: 2, steps: 1 },
  };

  it('may pass plugin objects directly and a spec object', async () => {
    const { spec: resolved } = await validateSpec(spec, { plugins: [inline] });
    expect(resolved.training.optimizers.g).toMatchObject({ type: 'adam', lr: 2e-4, models: ['g'] });
    expect(spec).not.toHaveProperty('plugins'); // the caller's object is left as written
  });

  it('get a GanforgeError with diagnostics (pointer, no file) for a bad object', async () => {
    const error = await validateSpec({ ...spec, training: { batchSize: 0, steps: 1 } }, { plugins: [inline] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GanforgeError);
    expect((error as GanforgeError).code).toBe('GF_SPEC_RANGE');
    const [diagnostic] = (error as GanforgeError).diagnostics;
    expect(diagnostic).toMatchObject({ pointer: '/training/batchSize' });
    expect(diagnostic?.line).toBeUndefined();
  });
});
