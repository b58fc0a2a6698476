import { afterAll, describe, expect, it } from 'vitest';
import { definePlugin, defineArchitecture, PLUGIN_API_VERSION } from '../../packages/core/src/index.js';
import { GanforgeError } from '../../packages/core/src/errors.js';
import { runTraining } from '../../packages/core/src/engine/run-training.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import { tinyGanSpec, tinyPlugin } from '../fixtures/engine/tiny-plugin.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const broken = definePlugin({
  meta: { name: 'ganforge-plugin-broken', version: '1.0.0', namespace: 'broken', core: '*', apiVersion: PLUGIN_API_VERSION },
  architectures: {
    net: defineArchitecture({
      description: 'throws while building',
      build() {
        throw new TypeError('units must be positive');
      },
    }),
  },
});

describe('errors thrown by plugin code', () => {
  it('are wrapped with the plugin, entry and hook named, and the original as cause', async () => {
    const spec = { ...tinyGanSpec(), models: { generator: { use: 'tiny/dense-generator' }, discriminator: { use: 'broken/net' } } };
    const { spec: resolved, registry, specDir } = await validateSpec(spec, { plugins: [tinyPlugin, broken], cwd: tmp.dir });
    const error = (await runTraining({ spec: resolved, registry, specDir, cwd: tmp.dir }).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toBeInstanceOf(GanforgeError);
    expect(error).toMatchObject({ code: 'GF_PLUGIN_HOOK', plugin: 'ganforge-plugin-broken', hook: 'build' });
    expect(error.message).toBe('[plugin ganforge-plugin-broken] broken/net (hook "build") threw: units must be positive');
    expect(error.cause).toBeInstanceOf(TypeError);
    // A plugin's own bug, not the user's input: the CLI exits 1.
    expect(error.exitCode).toBe(1);
  });

  it("a coded error a plugin throws on purpose (bad data) passes through the driver as the user's: exit 2", async () => {
    const picky = definePlugin({
      meta: { name: 'ganforge-plugin-picky', version: '1.0.0', namespace: 'picky', core: '*', apiVersion: PLUGIN_API_VERSION },
      datasets: {
        images: {
          description: 'rejects its folder',
          open() {
            throw new GanforgeError('GF_DATA', 'The folder holds no images.', { hint: 'Put PNG files in it.' });
          },
        },
      },
    });
    const spec = { ...tinyGanSpec(), data: { real: { use: 'picky/images' } } };
    const { spec: resolved, registry, specDir } = await validateSpec(spec, { plugins: [tinyPlugin, picky], cwd: tmp.dir });
    const error = (await runTraining({ spec: resolved, registry, specDir, cwd: tmp.dir }).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toMatchObject({ code: 'GF_DATA', message: 'The folder holds no images.', exitCode: 2 });
  });

  it('a stream without labels for an objective that requires them is GF_DATA, before any step', async () => {
    const needy = definePlugin({
      meta: { name: 'ganforge-plugin-needy', version: '1.0.0', namespace: 'needy', core: '*', apiVersion: PLUGIN_API_VERSION },
      objectives: { cgan: { ...tinyPlugin.objectives.gan, data: { real: { description: 'labelled images', labels: 'required' as const } } } },
    });
    const spec = { ...tinyGanSpec(), objective: { use: 'needy/cgan' } };
    const { spec: resolved, registry, specDir } = await validateSpec(spec, { plugins: [tinyPlugin, needy], cwd: tmp.dir });
    const error = (await runTraining({ spec: resolved, registry, specDir, cwd: tmp.dir }).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toMatchObject({ code: 'GF_DATA', pointer: '/data/real', exitCode: 2 });
    expect(error.message).toMatch(/needs class labels in data stream "real", but tiny\/blobs provides none/);
  });
});
