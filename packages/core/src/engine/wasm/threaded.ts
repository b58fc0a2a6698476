/** Transitional: moved to node/threaded-wasm.ts (worker threads are Node's); kept until its importers switch. */
export { useThreadedWasm, threadedWasmInfo, type ThreadedWasmInfo } from '../../node/index.js';
