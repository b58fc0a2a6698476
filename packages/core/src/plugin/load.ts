/**
 * Transitional: Node's loader is node/load-plugins.ts (`host.plugins.load(...)` where a Host is at hand);
 * registry filling is plugin/build-registry.ts. This path keeps the old imports working until they switch
 * (through node/index.js, which also registers the Node host as the default).
 */
export { loadPlugins, type LoadPluginsOptions } from '../node/index.js';
