/** Transitional: moved to node/resolve-plugin.ts (package resolution is Node's); kept until its importers switch. */
export * from '../node/resolve-plugin.js';
import '../node/index.js';
