/**
 * Node's PluginLoader: resolve each package the spec names (node/resolve-plugin.ts), refuse a second
 * tfjs-core, import it, and register it (plugin/build-registry.ts).
 */
import { GanforgeError, isGanforgeError } from '../errors.js';
import { registerModule, startRegistry } from '../plugin/build-registry.js';
import type { PluginRegistry } from '../plugin/registry.js';
import type { GanforgePlugin } from '../plugin/types.js';
import type { PluginLoader } from '../host/types.js';
import { assertNoOwnTfjs, resolvePlugin, type ResolveOptions } from './resolve-plugin.js';

export interface LoadPluginsOptions extends Omit<ResolveOptions, 'pointer'> {
  /** Plugin objects passed by a program instead of (or besides) package names. */
  plugins?: GanforgePlugin[];
}

export async function loadPlugins(specifiers: readonly string[], options: LoadPluginsOptions): Promise<PluginRegistry> {
  const registry = startRegistry(options.plugins);
  for (const [index, specifier] of specifiers.entries()) {
    const pointer = `/plugins/${index}`;
    const location = resolvePlugin(specifier, { ...options, pointer });
    assertNoOwnTfjs(location, pointer);
    let module: unknown;
    try {
      module = await import(location.url);
    } catch (error) {
      if (isGanforgeError(error)) throw error;
      throw new GanforgeError('GF_PLUGIN_LOAD', `Plugin ${specifier} (${location.file}) failed to load: ${(error as Error).message}`, {
        pointer,
        hint: 'The plugin threw while being imported; check that it is built and that its dependencies are installed.',
        cause: error,
      });
    }
    registerModule(registry, module, { specifier, file: location.file, pointer });
  }
  return registry;
}

export const nodePluginLoader: PluginLoader = {
  load: (specifiers, { specDir, cwd, specFile, extra }) => loadPlugins(specifiers, { specDir, cwd, specFile, plugins: extra }),
};
