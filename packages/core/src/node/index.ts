/**
 * Node's side of the core: the host, and everything in it that only Node has. Importing this module makes
 * nodeHost the default for callers that pass no host (host/default.ts).
 */
import { setDefaultHost } from '../host/default.js';
import { nodeHost } from './host.js';

setDefaultHost(nodeHost);

export { nodeHost, nodeClock, type NodeHostOptions } from './host.js';
export { nodeStorage } from './storage.js';
export { nodeBackends, selectBackend } from './backend.js';
export { loadPlugins, nodePluginLoader, type LoadPluginsOptions } from './load-plugins.js';
export { resolvePlugin, assertNoOwnTfjs, installCommand, type PluginLocation, type ResolveOptions } from './resolve-plugin.js';
export { useThreadedWasm, threadedWasmInfo, type ThreadedWasmInfo } from './threaded-wasm.js';
