/**
 * Multi-threaded tfjs wasm backend in Node.
 *
 * tfjs-backend-wasm ships a threaded+SIMD build but never uses it in Node (WASM_HAS_MULTITHREAD_SUPPORT
 * is hard-wired to false there, tfjs issue #3830: its pthread workers are loaded from Blob URLs, which
 * Node's worker_threads cannot run). The Emscripten glue itself supports worker_threads, so this
 * module instantiates the threaded build with file paths for the worker script and the main script,
 * and registers it as the 'wasm' backend. Two more details:
 * - the C side sizes its thread pool as navigator.hardwareConcurrency / 2 ("hyperthreads"), which is
 *   1 on a 2-core machine; Node's emscripten_num_logical_cores reads os.cpus(), so we report twice
 *   the cores while the module initialises and cap the pool with setThreadsCount.
 * - heap views (HEAPU8, HEAPF32, ...) go stale when another thread grows the shared memory; the
 *   backend reads `wasm.HEAPU8` directly, so those properties become getters that re-check the buffer.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

export interface ThreadedWasmInfo {
  threads: number;
  simd: boolean;
}

let state: { info: ThreadedWasmInfo } | undefined;

function wasmDir(): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

function patchHeapViews(mod: Record<string, unknown>): void {
  const memory = mod.wasmMemory as { buffer: ArrayBufferLike } | undefined;
  if (!memory) return;
  const views: Record<string, new (b: ArrayBufferLike) => ArrayBufferView> = {
    HEAP8: Int8Array, HEAPU8: Uint8Array, HEAP16: Int16Array, HEAPU16: Uint16Array,
    HEAP32: Int32Array, HEAPU32: Uint32Array, HEAPF32: Float32Array, HEAPF64: Float64Array,
  };
  for (const [name, Ctor] of Object.entries(views)) {
    let view = mod[name] as ArrayBufferView | undefined;
    Object.defineProperty(mod, name, {
      configurable: true,
      get() {
        if (!view || view.buffer !== memory.buffer) view = new Ctor(memory.buffer);
        return view;
      },
      set(v: ArrayBufferView) { view = v; },
    });
  }
}

/** Loads the threaded wasm module. Resolves to undefined when this Node cannot run it. */
async function loadThreadedModule(threads: number): Promise<Record<string, any> | undefined> {
  if (typeof SharedArrayBuffer === 'undefined') return undefined;
  const dir = wasmDir();
  const factory = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.js'));
  const { wasmWorkerContents } = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The worker source is shipped as a template string whose "\n" escapes became newlines.
  const workerDir = mkdtempSync(path.join(os.tmpdir(), 'ganforge-wasm-'));
  const workerFile = path.join(workerDir, 'tfjs-backend-wasm-threaded-simd.worker.cjs');
  writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
  process.once('exit', () => rmSync(workerDir, { recursive: true, force: true }));
  const realCpus = os.cpus;
  const fakeCount = Math.max(2, threads) * 2;
  const one = realCpus()[0];
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => Array.from({ length: fakeCount }, () => one!);
  try {
    const mod = await factory({
      locateFile: (p: string, prefix: string) =>
        p.endsWith('.worker.js') ? workerFile : p.endsWith('.wasm') ? path.join(dir, 'tfjs-backend-wasm-threaded-simd.wasm') : prefix + p,
      mainScriptUrlOrBlob: path.join(dir, 'tfjs-backend-wasm-threaded-simd.js'),
    });
    patchHeapViews(mod);
    mod.tfjs = {
      init: mod.cwrap('init', null, []),
      initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
      registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: mod.cwrap('dispose_data', null, ['number']),
      dispose: mod.cwrap('dispose', null, []),
    };
    return mod;
  } finally {
    (os as { cpus: () => os.CpuInfo[] }).cpus = realCpus;
  }
}

/**
 * Replaces the 'wasm' backend factory with one that uses the threaded build (idempotent).
 * `threads` defaults to the number of cores (the pool has at most 8). Resolves to undefined, leaving the
 * stock single-threaded backend in place, when threads cannot be used here — or when a wasm backend was
 * already initialised: replacing it would free every tensor on it (a model an embedder loaded earlier
 * in the process, when a busy machine had chosen one thread).
 */
export async function useThreadedWasm(threads = os.availableParallelism?.() ?? os.cpus().length): Promise<ThreadedWasmInfo | undefined> {
  if (state) return state.info;
  if (threads < 2) return undefined;
  if (wasmInitialised()) return undefined;
  const wasmPkg = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm') & {
    BackendWasm: new (m: unknown) => tf.KernelBackend;
  };
  let mod: Record<string, any> | undefined;
  try {
    mod = await loadThreadedModule(threads);
  } catch {
    mod = undefined;
  }
  if (!mod || wasmInitialised()) return undefined; // (again: something may have initialised it meanwhile)
  wasmPkg.setThreadsCount(threads);
  // No tf.getBackend()/findBackend() here: both initialise backends as a side effect.
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => {
    const backend = new wasmPkg.BackendWasm(mod);
    // The pool's pthreads are worker_threads that Emscripten ref()s while they run, and pool
    // threads run forever: unref them so they never keep the process alive.
    const pthread = mod!.PThread as { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
    for (const w of [...pthread.runningWorkers, ...pthread.unusedWorkers]) w.unref();
    return backend;
  }, 2);
  state = { info: { threads, simd: true } };
  return state.info;
}

/** engine.registry holds initialised backends only; reading it initialises nothing. */
export function wasmInitialised(): boolean {
  return (tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm != null;
}

export function threadedWasmInfo(): ThreadedWasmInfo | undefined {
  return state?.info;
}
