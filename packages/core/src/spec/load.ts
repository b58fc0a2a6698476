/**
 * Transitional: parsing lives in spec/parse.ts (platform-free; `readSpecFile(storage, path)` reads through a
 * Storage), the synchronous file reader in node/spec-file.ts. This path keeps old imports working.
 */
export * from './parse.js';
export { loadSpecFile } from '../node/index.js';
