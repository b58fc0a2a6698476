/**
 * Filling a registry, whatever imported the plugins: the core's own entries first, then the plugin objects a
 * program passed, then each module the spec's `plugins` list named (unwrapping CJS interop defaults).
 */
import { corePlugin } from '../builtin/plugin.js';
import type { GanforgePlugin } from './types.js';
import { PluginRegistry, type PluginOrigin } from './registry.js';

export const PROGRAMMATIC = '(passed programmatically)';

/** A registry holding the built-in plugin and the plugin objects a program passed. */
export function startRegistry(extra: readonly GanforgePlugin[] = []): PluginRegistry {
  const registry = new PluginRegistry();
  registry.register(corePlugin, { specifier: '(built in)' });
  for (const plugin of extra) registry.register(plugin, { specifier: PROGRAMMATIC });
  return registry;
}

/** Register a module the spec named, unless that plugin is there already. */
export function registerModule(registry: PluginRegistry, module: unknown, origin: PluginOrigin): void {
  const plugin = unwrapDefault(module);
  // A plugin passed as an object may also be listed by name in the spec: the object wins.
  const name = (plugin as Partial<GanforgePlugin> | undefined)?.meta?.name;
  if (registry.plugins.some((p) => p.plugin === plugin || (p.origin.specifier === PROGRAMMATIC && p.plugin.meta.name === name))) return;
  registry.register(plugin, origin);
}

/** `export default plugin`, CJS `module.exports = plugin`, or transpiled `exports.default`. */
function unwrapDefault(module: unknown): unknown {
  let value = module;
  for (let i = 0; i < 2; i++) {
    if (typeof value === 'object' && value !== null && 'default' in value && !('meta' in value)) value = (value as { default: unknown }).default;
  }
  return value;
}
