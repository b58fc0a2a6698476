/**
 * The Node host: files through node:fs, plugins through Node's module resolution and import(), tfjs-node and
 * threaded wasm as backends, setImmediate between steps.
 */
import type { Clock, Host } from '../host/types.js';
import type { Logger } from '../plugin/types.js';
import { nodeBackends } from './backend.js';
import { nodePluginLoader } from './load-plugins.js';
import { nodeStorage } from './storage.js';

export interface NodeHostOptions {
  /** Working folder; default process.cwd(). */
  cwd?: string;
  /** Default: silent. */
  log?: Logger;
}

const silent: Logger = { info() {}, warn() {}, debug() {} };

export const nodeClock: Clock = {
  now: () => Date.now(),
  yield: () => new Promise((resolve) => setImmediate(resolve)),
};

export function nodeHost(options: NodeHostOptions = {}): Host {
  const cwd = options.cwd ?? process.cwd();
  return {
    name: 'node',
    cwd,
    storage: nodeStorage(cwd),
    clock: nodeClock,
    log: options.log ?? silent,
    plugins: nodePluginLoader,
    backends: nodeBackends,
  };
}
