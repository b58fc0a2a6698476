/**
 * Node's tfjs backends: libtensorflow through the optional peers @tensorflow/tfjs-node-gpu and
 * @tensorflow/tfjs-node (dynamic import(), never required), and wasm on a worker-thread pool sized to the
 * machine. The choosing itself is platform-free (engine/choose-backend.ts).
 */
import os from 'node:os';
import {
  activate,
  chooseBackend,
  cpuBackend,
  NODE_CPU,
  NODE_GPU,
  wasmBackend,
  type BackendLoaders,
  type BackendRequest,
  type BackendSelection,
  type SelectBackendOptions,
} from '../engine/choose-backend.js';
import type { BackendProvider } from '../host/types.js';

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

const NODE_BACKENDS: BackendLoaders = {
  'tensorflow-gpu': async () => {
    await import(NODE_GPU);
    await activate('tensorflow');
    return { tfBackend: 'tensorflow', reason: 'libtensorflow with GPU support (@tensorflow/tfjs-node-gpu)' };
  },
  tensorflow: async () => {
    await import(NODE_CPU);
    await activate('tensorflow');
    return { tfBackend: 'tensorflow', reason: 'libtensorflow on the CPU (@tensorflow/tfjs-node)' };
  },
  wasm: wasmBackend(async (opts) => {
    const { threads, note } = wasmThreads(opts);
    let threaded = false;
    if (threads > 1) {
      const { useThreadedWasm, wasmInitialised } = await import('./threaded-wasm.js');
      const running = wasmInitialised();
      threaded = (await useThreadedWasm(threads)) != null;
      // An earlier choice in this process started it single-threaded; swapping it would free its tensors.
      if (!threaded && running) return { threaded, note: 'an earlier choice in this process started it so' };
    }
    return { threaded, note };
  }),
  cpu: cpuBackend,
};

export function selectBackend(requested: BackendRequest, log: (message: string) => void = () => {}, opts: SelectBackendOptions = {}): Promise<BackendSelection> {
  return chooseBackend(NODE_BACKENDS, requested, log, opts);
}

export const nodeBackends: BackendProvider = { select: selectBackend };
