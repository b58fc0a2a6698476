/**
 * Plugin code runs inside the engine (build, setup, losses, reads). When it throws, the error is wrapped
 * Rollup-style so the message names the plugin, the entry and the hook; the original is kept as `cause`.
 * Errors that already carry a ganforge code (a dataset reporting bad data) pass through unchanged.
 */
import { GanforgeError, isGanforgeError } from '../errors.js';

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

/** Call plugin code, wrapping what it throws (synchronously or as a rejected promise). */
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
