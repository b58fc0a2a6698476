/**
 * From a spec's `plugins` list to a filled registry: resolve each package, refuse a second tfjs-core,
 * import it (unwrapping CJS interop defaults), and register it with the core's own entries.
 */
import { corePlugin } from '../builtin/plugin.js';
import { GanforgeError, isGanforgeError } from '../errors.js';
import type { GanforgePlugin } from './types.js';
import { PluginRegistry } from './registry.js';
import { assertNoOwnTfjs, resolvePlugin, type ResolveOptions } from './resolve.js';

const PROGRAMMATIC = '(passed programmatically)';

export interface LoadPluginsOptions extends Omit<ResolveOptions, 'pointer'> {
  /** Plugin objects passed by a program instead of (or besides) package names. */
  plugins?: GanforgePlugin[];
}

export async function loadPlugins(specifiers: readonly string[], options: LoadPluginsOptions): Promise<PluginRegistry> {
  const registry = new PluginRegistry();
  registry.register(corePlugin, { specifier: '(built in)' });
  for (const plugin of options.plugins ?? []) registry.register(plugin, { specifier: PROGRAMMATIC });

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
    const plugin = unwrapDefault(module);
    // A plugin passed as an object may also be listed by name in the spec: the object wins.
    const name = (plugin as Partial<GanforgePlugin> | undefined)?.meta?.name;
    if (registry.plugins.some((p) => p.plugin === plugin || (p.origin.specifier === PROGRAMMATIC && p.plugin.meta.name === name))) continue;
    registry.register(plugin, { specifier, file: location.file, pointer });
  }
  return registry;
}

/** `export default plugin`, CJS `module.exports = plugin`, or transpiled `exports.default`. */
function unwrapDefault(module: unknown): unknown {
  let value = module;
  for (let i = 0; i < 2; i++) {
    if (typeof value === 'object' && value !== null && 'default' in value && !('meta' in value)) value = (value as { default: unknown }).default;
  }
  return value;
}
