/**
 * Choosing the tfjs backend the engine trains on, from the backends a platform offers.
 *
 * `auto` tries, in order: tensorflow-gpu, tensorflow (libtensorflow through tfjs-node: Node only), webgpu and
 * webgl (in a browser, when the app provides them; webgl declines a software renderer), wasm (with
 * ganforge's training kernels registered), cpu. The result says which backend was taken, why, and why each
 * one before it was skipped, so the CLI can tell the user. An explicitly requested backend that cannot load
 * throws GF_BACKEND_UNAVAILABLE. What each backend needs to start (threads, native packages) is the
 * platform's business: node/backend.ts adds tfjs-node and threaded wasm; `portableBackends` has the rest.
 */
import * as tf from '@tensorflow/tfjs-core';
import { GanforgeError } from '../errors.js';
import type { BackendProvider } from '../host/types.js';

export type BackendRequest = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendName = Exclude<BackendRequest, 'auto'>;

export interface BackendSelection {
  name: BackendName;
  /** The tfjs backend name now active (tfjs-node registers itself as 'tensorflow'). */
  tfBackend: string;
  reason: string;
  skipped: { name: BackendName; why: string }[];
  /** wasm only: threads in the XNNPACK pool. */
  threads?: number;
}

export interface SelectBackendOptions {
  /**
   * wasm threads; in Node the default is GANFORGE_WASM_THREADS, else the number of cores (1 when the load
   * average already reaches the number of cores). 1 = the stock single-threaded build.
   */
  wasmThreads?: number;
  /** Set by `auto` for each candidate: a loader may decline what works but would be a poor pick (software WebGL). */
  auto?: boolean;
}

export interface LoadedBackend {
  tfBackend: string;
  reason: string;
  threads?: number;
}

/** Starts one backend and makes it active; throws when it cannot load here. */
export type BackendLoader = (options: SelectBackendOptions) => Promise<LoadedBackend>;
export type BackendLoaders = Partial<Record<BackendName, BackendLoader>>;

type Log = (message: string) => void;

export const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'];


// Kept as variables so bundlers leave these optional peers alone.
export const NODE_GPU = '@tensorflow/tfjs-node-gpu';
export const NODE_CPU = '@tensorflow/tfjs-node';

/** Why a backend did not load, in one line. */
function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return 'not installed';
  // Bundlers and test runners (vite) word it their own way.
  if (/(Cannot find (package|module)|Failed to (load|resolve)|Could not resolve) .?.?@tensorflow\/tfjs-node/.test(e?.message ?? '')) return 'not installed';
  return (e?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
}

/** Make a registered tfjs backend the active one. */
export async function activate(tfName: string): Promise<void> {
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`tf.setBackend('${tfName}') failed`);
  await tf.ready();
}

/**
 * The wasm backend with ganforge's training kernels. `prepare` runs after the package is imported and before
 * the backend starts: Node uses it to swap in the threaded build (it says whether it did, or why not).
 */
export function wasmBackend(prepare?: (options: SelectBackendOptions) => Promise<{ threaded: boolean; note?: string }>): BackendLoader {
  return async (options) => {
    const wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
    const { threaded, note } = prepare ? await prepare(options) : { threaded: false, note: undefined };
    const { registerWasmTrainingKernels } = await import('./wasm/register.js');
    registerWasmTrainingKernels(tf);
    await activate('wasm');
    const actual = wasmPkg.getThreadsCount();
    return {
      tfBackend: 'wasm',
      threads: actual,
      reason: `WebAssembly + XNNPACK, ${threaded ? `${actual} threads` : `single-threaded${note ? `: ${note}` : ''}`}, with ganforge training kernels`,
    };
  };
}

export const cpuBackend: BackendLoader = async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return { tfBackend: 'cpu', reason: 'plain JavaScript (slowest)' };
};

/** Picks and activates a backend among `loaders` (see the top of this file). */
export async function chooseBackend(loaders: BackendLoaders, requested: BackendRequest, log: Log = () => {}, opts: SelectBackendOptions = {}): Promise<BackendSelection> {
  // The gradients tfjs lacks or gets wrong (second order for gradient penalties, pixel shuffle, batchNorm without
  // scale/offset) are wrong on every backend, not only wasm: global and idempotent.
  const { registerTrainingGradients } = await import('./wasm/gradients.js');
  registerTrainingGradients();
  const load = (name: BackendName, auto = false): Promise<LoadedBackend> => {
    const loader = loaders[name];
    return loader ? loader({ ...opts, auto }) : Promise.reject(new Error('not available on this platform'));
  };
  if (requested !== 'auto') {
    if (!AUTO_ORDER.includes(requested)) {
      throw new GanforgeError('GF_BACKEND_UNAVAILABLE', `Unknown backend "${String(requested)}".`, {
        hint: `Use one of: auto, ${AUTO_ORDER.join(', ')}.`,
      });
    }
    try {
      const r = await load(requested);
      log(`backend: ${requested} (${r.reason})`);
      return { name: requested, ...r, skipped: [] };
    } catch (error) {
      const why = describe(error);
      const pkg = requested === 'tensorflow-gpu' ? NODE_GPU : requested === 'tensorflow' ? NODE_CPU : undefined;
      throw new GanforgeError('GF_BACKEND_UNAVAILABLE', `Backend "${requested}" cannot be loaded: ${why}.`, {
        hint: pkg
          ? `Install ${pkg} (it needs libtensorflow for this platform), or use --backend auto.`
          : 'Use --backend auto to fall back to another backend.',
        cause: error,
      });
    }
  }
  const skipped: BackendSelection['skipped'] = [];
  for (const name of AUTO_ORDER) {
    // A backend this platform has no loader for (webgl in Node, tfjs-node in a page) is not a candidate.
    if (!loaders[name]) continue;
    try {
      const r = await load(name, true);
      log(`backend: ${name} (${r.reason})${skipped.length ? `; skipped ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}` : ''}`);
      return { name, ...r, skipped };
    } catch (error) {
      skipped.push({ name, why: describe(error) });
    }
  }
  throw new GanforgeError('GF_BACKEND_UNAVAILABLE', 'No tfjs backend could be loaded.', {
    hint: skipped.map((s) => `${s.name}: ${s.why}`).join('; '),
  });
}

/** The backends every platform has: wasm on one thread, and cpu. A Host without `backends` gets these. */
export const portableBackends: BackendProvider = {
  select: (requested, log, options) => chooseBackend({ wasm: wasmBackend(), cpu: cpuBackend }, requested, log, options),
};
