/**
 * The host used by callers that pass none (`validateSpec(spec)` in a Node script). Platform-free code
 * cannot import the Node host, so Node's entry registers it here (node/index.ts); a browser app passes
 * its host explicitly and never needs this.
 */
import type { Host } from './types.js';

type HostFactory = (options: { cwd?: string }) => Host;

let factory: HostFactory | undefined;

export function setDefaultHost(make: HostFactory): void {
  factory = make;
}

/** The registered default host for `cwd`; throws (a programming error, not bad input) when none is. */
export function defaultHost(cwd?: string): Host {
  if (!factory) {
    throw new Error('No host given and none registered: pass options.host (in Node: nodeHost() from @ganforge/core).');
  }
  return factory({ cwd });
}
