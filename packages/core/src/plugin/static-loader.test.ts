import { describe, expect, it } from 'vitest';
import { definePlugin } from './define.js';
import { staticPluginLoader } from './static-loader.js';
import { PLUGIN_API_VERSION } from './types.js';
import { CORE_VERSION } from '../version.js';

const toy = definePlugin({ meta: { name: '@ganforge/plugin-toy', version: '1.0.0', namespace: 'toy', core: `^${CORE_VERSION}`, apiVersion: PLUGIN_API_VERSION } });

describe('staticPluginLoader', () => {
  it('matches spec names to the plugin objects it was given, by the package-name convention', async () => {
    const loader = staticPluginLoader([toy]);
    const registry = await loader.load(['toy'], { specDir: '/', cwd: '/' });
    expect(registry.plugins.map((p) => p.plugin.meta.namespace)).toEqual(['core', 'toy']);
    await expect(loader.load(['other'], { specDir: '/', cwd: '/' })).rejects.toMatchObject({ code: 'GF_PLUGIN_NOT_FOUND' });
  });
});
