/**
 * @ganforge/core in a web page (the package's "browser" export condition): the platform-free core
 * (portable.ts) plus what a page needs — a Host with in-memory / IndexedDB files and the browser's tfjs
 * backends, sample grids as ImageData, dropped files as an image folder, and generators loaded from URLs.
 * No Node built-in is reached from here (portable.test.ts bundles this entry for the browser and checks).
 */
export * from './portable.js';
export { browserHost, browserBackends, type BrowserHostOptions } from './browser/host.js';
export { memoryStorage, type MemoryStorage } from './browser/memory-storage.js';
export { indexedDbStorage } from './browser/indexeddb-storage.js';
export { urlStorage } from './browser/url-storage.js';
export { loadGeneratorFromUrl, loadArtifactFromUrl, openStoredArtifact, type LoadFromUrlOptions } from './browser/load-generator.js';
export { gridImageData, drawGrid, addImageFiles } from './browser/image-data.js';
export { gridPixels } from './run/png.js';
