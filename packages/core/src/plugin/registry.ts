/**
 * The registry: namespace → plugin, and "<namespace>/<entry>" → definition per kind. Registration runs the
 * checks that make a plugin safe to use (shape, API version, core range, unique namespace), each a coded error.
 */
import semver from 'semver';
import { GanforgeError } from '../errors.js';
import { closestMatch, didYouMean, quoteList } from '../spec/did-you-mean.js';
import { CORE_VERSION } from '../version.js';
import { ENTRY_KINDS, PLUGIN_API_VERSION, type EntryByKind, type EntryKind, type GanforgePlugin } from './types.js';

/** Where a plugin came from, for messages. */
export interface PluginOrigin {
  /** As written in the spec's plugins list, or "(passed programmatically)" / "(built in)". */
  specifier: string;
  /** Resolved file, when loaded from disk. */
  file?: string;
  /** JSON pointer of the spec's plugins entry that named it. */
  pointer?: string;
}

export interface RegisteredPlugin {
  plugin: GanforgePlugin;
  origin: PluginOrigin;
}

export interface ResolvedEntry<K extends EntryKind> {
  id: string;
  kind: K;
  entry: EntryByKind[K];
  plugin: GanforgePlugin;
}

const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Singular nouns for messages ("architecture dcgan/generator"). */
export const KIND_NOUN: Record<EntryKind, string> = {
  architectures: 'architecture',
  objectives: 'objective',
  losses: 'loss',
  datasets: 'dataset',
  augmentations: 'augmentation',
  heads: 'head',
  metrics: 'metric',
};

export class PluginRegistry {
  readonly #byNamespace = new Map<string, RegisteredPlugin>();

  get plugins(): RegisteredPlugin[] {
    return [...this.#byNamespace.values()];
  }

  has(namespace: string): boolean {
    return this.#byNamespace.has(namespace);
  }

  register(candidate: unknown, origin: PluginOrigin): GanforgePlugin {
    const plugin = assertPluginShape(candidate, origin);
    const { meta } = plugin;
    const where = { pointer: origin.pointer };
    if (meta.apiVersion !== PLUGIN_API_VERSION) {
      throw new GanforgeError(
        'GF_PLUGIN_API_VERSION',
        `Plugin ${meta.name} was written for plugin API ${String(meta.apiVersion)}, but this core implements API ${PLUGIN_API_VERSION}.`,
        { ...where, hint: `Install a version of ${meta.name} made for @ganforge/core ${CORE_VERSION}.` },
      );
    }
    if (!semver.validRange(meta.core)) {
      throw new GanforgeError('GF_PLUGIN_SHAPE', `Plugin ${meta.name} declares meta.core "${meta.core}", which is not a semver range.`, {
        ...where,
        hint: 'Report this to the plugin author; meta.core should look like "^0.1.0".',
      });
    }
    if (!semver.satisfies(CORE_VERSION, meta.core, { includePrerelease: true })) {
      throw new GanforgeError(
        'GF_PLUGIN_VERSION',
        `Plugin ${meta.name}@${meta.version} supports @ganforge/core ${meta.core}, but this is @ganforge/core ${CORE_VERSION}.`,
        { ...where, hint: `Install a version of ${meta.name} whose range includes ${CORE_VERSION}, or a core within ${meta.core}.` },
      );
    }
    const existing = this.#byNamespace.get(meta.namespace);
    if (existing) {
      throw new GanforgeError(
        'GF_PLUGIN_DUPLICATE_NAMESPACE',
        `Plugins ${existing.plugin.meta.name} (${existing.origin.specifier}) and ${meta.name} (${origin.specifier}) both use the namespace "${meta.namespace}".`,
        { ...where, hint: 'Each namespace can be claimed once: remove one of them from "plugins" (maybe it is listed twice under different names).' },
      );
    }
    this.#byNamespace.set(meta.namespace, { plugin, origin });
    return plugin;
  }

  /**
   * Look up an entry id of one kind. Errors say which namespaces exist, suggest close entry names, and
   * tell when the id names an entry of another kind.
   */
  resolve<K extends EntryKind>(kind: K, id: string, pointer?: string): ResolvedEntry<K> {
    const slash = id.indexOf('/');
    const namespace = id.slice(0, slash);
    const name = id.slice(slash + 1);
    const registered = this.#byNamespace.get(namespace);
    if (!registered) {
      const known = [...this.#byNamespace.keys()];
      throw new GanforgeError(
        'GF_ENTRY_UNKNOWN',
        `No plugin provides the namespace "${namespace}" (in "${id}").${didYouMean(namespace, known)}`,
        {
          pointer,
          hint: `Loaded namespaces: ${quoteList(known)}. If "${namespace}" comes from a plugin, add the plugin's package to "plugins".`,
        },
      );
    }
    const { plugin } = registered;
    const entries = (plugin[kind] ?? {}) as Record<string, EntryByKind[K]>;
    const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
    if (entry) return { id, kind, entry, plugin };

    const suggestion = closestMatch(name, Object.keys(entries));
    const otherKind = ENTRY_KINDS.find((k) => k !== kind && Object.hasOwn(plugin[k] ?? {}, name));
    if (otherKind) {
      throw new GanforgeError('GF_ENTRY_KIND', `"${id}" is ${article(KIND_NOUN[otherKind])}, but this place needs ${article(KIND_NOUN[kind])}.`, {
        pointer,
        hint: listEntries(namespace, kind, entries),
      });
    }
    throw new GanforgeError(
      'GF_ENTRY_UNKNOWN',
      `Plugin ${plugin.meta.name} has no ${KIND_NOUN[kind]} "${name}".${suggestion === undefined ? '' : ` Did you mean "${namespace}/${suggestion}"?`}`,
      { pointer, hint: listEntries(namespace, kind, entries) },
    );
  }
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function listEntries(namespace: string, kind: EntryKind, entries: Record<string, unknown>): string {
  const ids = Object.keys(entries).map((name) => `${namespace}/${name}`);
  return ids.length === 0 ? `Namespace "${namespace}" has no ${kind}.` : `Its ${kind}: ${quoteList(ids)}.`;
}

function assertPluginShape(candidate: unknown, origin: PluginOrigin): GanforgePlugin {
  const fail = (what: string): never => {
    throw new GanforgeError('GF_PLUGIN_SHAPE', `${origin.specifier} is not a ganforge plugin: ${what}.`, {
      pointer: origin.pointer,
      hint: 'A plugin module default-exports definePlugin({ meta: { name, version, namespace, core, apiVersion: 1 }, ...entries }).',
    });
  };
  if (typeof candidate !== 'object' || candidate === null) return fail('it does not export an object');
  const plugin = candidate as Partial<GanforgePlugin>;
  const meta = plugin.meta;
  if (typeof meta !== 'object' || meta === null) return fail('it has no "meta" object');
  for (const key of ['name', 'version', 'namespace', 'core'] as const) {
    if (typeof meta[key] !== 'string' || meta[key] === '') fail(`meta.${key} must be a non-empty string`);
  }
  if (!NAMESPACE_PATTERN.test(meta.namespace)) fail(`meta.namespace "${meta.namespace}" must be lower case letters, digits and "-"`);
  for (const kind of ENTRY_KINDS) {
    const entries = plugin[kind];
    if (entries === undefined) continue;
    if (typeof entries !== 'object' || entries === null) fail(`"${kind}" must be an object of entries`);
    for (const [name, entry] of Object.entries(entries as object)) {
      if (typeof entry !== 'object' || entry === null) fail(`${kind}.${name} must be an object`);
      if (typeof (entry as { description?: unknown }).description !== 'string') fail(`${kind}.${name} needs a one-line "description"`);
    }
  }
  if (plugin.layers !== undefined && typeof plugin.layers !== 'function') fail('"layers" must be a function (tf) => LayerClass[]');
  return plugin as GanforgePlugin;
}
