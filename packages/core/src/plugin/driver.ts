/**
 * The plugin driver: every call from the core into plugin code goes through it (Rollup's PluginDriver is
 * the model). It resolves "<namespace>/<entry>" ids through the registry and runs hooks so that:
 *  - an error names the plugin, the entry and the hook ("[plugin @acme/x] acme/gen (hook "build") threw: …"),
 *    with the original kept as `cause`;
 *  - the exit status says whose problem it is: a GanforgeError the plugin threw on purpose (a dataset
 *    reporting bad data, GF_DATA) is the user's and passes through unchanged (exit 2); anything else is
 *    the plugin's bug and becomes GF_PLUGIN_HOOK (exit 1).
 */
import { GanforgeError, isGanforgeError } from '../errors.js';
import type { PluginRegistry } from './registry.js';
import type { EntryByKind, EntryKind, GanforgePlugin, LayerClass, TF } from './types.js';

export interface HookSite {
  /** Plugin package name. */
  plugin: string;
  /** Entry id, e.g. "dcgan/generator". */
  entry: string;
  /** The hook that threw: "build", "open", "read", "setup", "loss", ... */
  hook: string;
}

export function hookError(error: unknown, site: HookSite): GanforgeError {
  if (isGanforgeError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new GanforgeError('GF_PLUGIN_HOOK', `[plugin ${site.plugin}] ${site.entry} (hook "${site.hook}") threw: ${reason}`, {
    plugin: site.plugin,
    hook: site.hook,
    entry: site.entry,
    cause: error,
    hint: `This is a problem in ${site.plugin} or in the options the spec gives ${site.entry}; the original error is attached as "cause".`,
  });
}

/** Call plugin code at `site`, wrapping what it throws (synchronously or as a rejected promise). */
export function callHook<T>(site: HookSite, fn: () => T): T {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    throw hookError(error, site);
  }
  if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(hookError(error, site))) as T;
  return result;
}

/** A plugin's contract broken in a way no user input causes (a build that returns no model): exit 1. */
export function contractError(site: HookSite, message: string, pointer?: string): GanforgeError {
  return new GanforgeError('GF_PLUGIN_HOOK', `[plugin ${site.plugin}] ${site.entry} (hook "${site.hook}") ${message}`, {
    plugin: site.plugin,
    hook: site.hook,
    entry: site.entry,
    pointer,
  });
}

/** One resolved entry and a caller that tags its hooks. */
export interface DrivenEntry<K extends EntryKind> {
  definition: EntryByKind[K];
  plugin: GanforgePlugin;
  /** Plugin and entry, for sites of hooks called later (phases, reads). */
  site: Omit<HookSite, 'hook'>;
  call<T>(hook: string, fn: (definition: EntryByKind[K]) => T): T;
}

export class PluginDriver {
  constructor(readonly registry: PluginRegistry) {}

  /** Resolve an entry id used at `pointer` of the spec (coded errors for unknown ids or wrong kinds). */
  entry<K extends EntryKind>(kind: K, use: string, pointer: string): DrivenEntry<K> {
    const resolved = this.registry.resolve(kind, use, pointer);
    const site = { plugin: resolved.plugin.meta.name, entry: use };
    return {
      definition: resolved.entry,
      plugin: resolved.plugin,
      site,
      call: (hook, fn) => callHook({ ...site, hook }, () => fn(resolved.entry)),
    };
  }

  /** Plugins' custom layers must be known to tf's serialization map before models are built or loaded. */
  registerLayers(tf: TF): void {
    registerPluginLayers(tf, this.registry.plugins.map((p) => p.plugin));
  }
}

export function registerPluginLayers(tf: TF, plugins: readonly GanforgePlugin[]): void {
  for (const plugin of plugins) {
    if (!plugin.layers) continue;
    const classes: LayerClass[] = callHook({ plugin: plugin.meta.name, entry: `${plugin.meta.namespace} (layers)`, hook: 'layers' }, () => plugin.layers!(tf));
    for (const cls of classes) tf.serialization.registerClass(cls as unknown as Parameters<typeof tf.serialization.registerClass>[0]);
  }
}
