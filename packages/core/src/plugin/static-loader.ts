/**
 * A PluginLoader for platforms that cannot import packages by name at run time (a browser app): the app
 * imports its plugins itself and hands them over; the spec's names ("dcgan", "@acme/foo") are matched
 * against the package names the convention gives (plugin/names.ts).
 */
import { GanforgeError } from '../errors.js';
import type { PluginLoader } from '../host/types.js';
import { registerModule, startRegistry } from './build-registry.js';
import { candidatePackageNames } from './names.js';
import type { GanforgePlugin } from './types.js';

/**
 * `available`: plugin objects (matched by meta.name, their package name), or modules keyed by the
 * specifier or package name they answer to.
 */
export function staticPluginLoader(available: readonly GanforgePlugin[] | Readonly<Record<string, unknown>>): PluginLoader {
  const byName = new Map<string, unknown>(Array.isArray(available) ? available.map((p) => [p.meta.name, p]) : Object.entries(available));
  return {
    async load(specifiers, options) {
      const registry = startRegistry(options.extra);
      for (const [index, specifier] of specifiers.entries()) {
        const pointer = `/plugins/${index}`;
        const names = [specifier, ...candidatePackageNames(specifier)];
        const found = names.find((name) => byName.has(name));
        if (found === undefined) {
          throw new GanforgeError('GF_PLUGIN_NOT_FOUND', `Cannot find plugin "${specifier}". Looked for ${candidatePackageNames(specifier).map((n) => `"${n}"`).join(' and ')}.`, {
            pointer,
            hint: `This platform loads only the plugins the program provides: ${[...byName.keys()].map((n) => `"${n}"`).join(', ') || 'none'}.`,
          });
        }
        registerModule(registry, byName.get(found), { specifier, pointer });
      }
      return registry;
    },
  };
}
