/**
 * Picks the tfjs backend the engine trains on.
 *
 * `auto` tries, in order: tensorflow-gpu (@tensorflow/tfjs-node-gpu), tensorflow (@tensorflow/tfjs-node),
 * both optional peers loaded with dynamic import() and never required; then wasm (multi-threaded in
 * Node, with ganforge's training kernels registered); then cpu. The result says which backend was
 * taken, why, and why each one before it was skipped, so the CLI can tell the user.
 * An explicitly requested backend that cannot load throws GF_BACKEND_UNAVAILABLE.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { GanforgeError } from '../errors.js';

export type BackendRequest = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
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
   * wasm threads; default: GANFORGE_WASM_THREADS, else the number of cores (1 when the load average
   * already reaches the number of cores). 1 = the stock single-threaded build.
   */
  wasmThreads?: number;
}

type Log = (message: string) => void;

const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return 'not installed';
  // Bundlers and test runners (vite) word it their own way.
  if (/(Cannot find (package|module)|Failed to (load|resolve)|Could not resolve) .?.?@tensorflow\/tfjs-node/.test(e?.message ?? '')) return 'not installed';
  return (e?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
}

// Kept as variables so bundlers leave these optional peers alone.
const NODE_GPU = '@tensorflow/tfjs-node-gpu';
const NODE_CPU = '@tensorflow/tfjs-node';

async function activate(tfName: string): Promise<void> {
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`tf.setBackend('${tfName}') failed`);
  await tf.ready();
}

/**
 * Threads for wasm: the option, else GANFORGE_WASM_THREADS, else one per core — unless the machine is
 * already busy (1-minute load average >= cores): XNNPACK's pool then spins on cores other processes
 * hold, and one thread was measured faster (docs/performance.md).
 */
function wasmThreads(opts: SelectBackendOptions): { threads: number; note?: string } {
  const env = Number(process.env.GANFORGE_WASM_THREADS);
  if (opts.wasmThreads != null) return { threads: opts.wasmThreads };
  if (Number.isInteger(env) && env > 0) return { threads: env };
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const load = os.loadavg()[0] ?? 0;
  if (cores > 1 && load >= cores) {
    return { threads: 1, note: `machine busy (load ${load.toFixed(1)} on ${cores} cores; GANFORGE_WASM_THREADS overrides)` };
  }
  return { threads: cores };
}

async function load(name: BackendName, opts: SelectBackendOptions): Promise<{ tfBackend: string; reason: string; threads?: number }> {
  switch (name) {
    case 'tensorflow-gpu':
      await import(NODE_GPU);
      await activate('tensorflow');
      return { tfBackend: 'tensorflow', reason: 'libtensorflow with GPU support (@tensorflow/tfjs-node-gpu)' };
    case 'tensorflow':
      await import(NODE_CPU);
      await activate('tensorflow');
      return { tfBackend: 'tensorflow', reason: 'libtensorflow on the CPU (@tensorflow/tfjs-node)' };
    case 'wasm': {
      const wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
      const { threads, note } = wasmThreads(opts);
      let threaded = false;
      if (threads > 1 && typeof process !== 'undefined' && process.versions?.node) {
        const { useThreadedWasm } = await import('./wasm/threaded.js');
        threaded = (await useThreadedWasm(threads)) != null;
      }
      const { registerWasmTrainingKernels } = await import('./wasm/register.js');
      registerWasmTrainingKernels(tf);
      await activate('wasm');
      const actual = wasmPkg.getThreadsCount();
      return {
        tfBackend: 'wasm',
        threads: actual,
        reason: `WebAssembly + XNNPACK, ${threaded ? `${actual} threads` : `single-threaded${note ? `: ${note}` : ''}`}, with ganforge training kernels`,
      };
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
      return { tfBackend: 'cpu', reason: 'plain JavaScript (slowest)' };
  }
}

export async function selectBackend(requested: BackendRequest, log: Log = () => {}, opts: SelectBackendOptions = {}): Promise<BackendSelection> {
  // The gradients tfjs lacks or gets wrong (second order for gradient penalties, pixel shuffle, batchNorm without
  // scale/offset) are wrong on every backend, not only wasm: global and idempotent.
  const { registerTrainingGradients } = await import('./wasm/gradients.js');
  registerTrainingGradients();
  if (requested !== 'auto') {
    if (!AUTO_ORDER.includes(requested)) {
      throw new GanforgeError('GF_BACKEND_UNAVAILABLE', `Unknown backend "${String(requested)}".`, {
        hint: `Use one of: auto, ${AUTO_ORDER.join(', ')}.`,
      });
    }
    try {
      const r = await load(requested, opts);
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
    try {
      const r = await load(name, opts);
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
