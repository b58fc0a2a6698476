/**
 * Kernel capability checks: which kernels does a training step dispatch, and does the selected
 * backend have them all? A missing kernel otherwise surfaces deep inside a step as tfjs'
 * "Kernel 'X' not registered for backend 'Y'"; here it becomes GF_BACKEND_MISSING_KERNEL naming the
 * kernel and the backends that do have it.
 */
import type * as tfCore from '@tensorflow/tfjs-core';
import { GanforgeError } from '../errors.js';

type Tf = Pick<typeof tfCore, 'profile' | 'getKernel' | 'engine' | 'getBackend' | 'setBackend'>;

export interface MissingKernel {
  kernel: string;
  /** Registered backends that have a kernel of that name. */
  availableOn: string[];
}

function registeredBackends(tf: Tf): string[] {
  const engine = tf.engine() as unknown as { registryFactory: Record<string, unknown> };
  return Object.keys(engine.registryFactory ?? {});
}

/** Kernels among `kernelNames` that `backendName` lacks, each with the backends that have it. */
export function missingKernels(tf: Tf, backendName: string, kernelNames: Iterable<string>): MissingKernel[] {
  const backends = registeredBackends(tf);
  const missing: MissingKernel[] = [];
  for (const kernel of new Set(kernelNames)) {
    if (tf.getKernel(kernel, backendName)) continue;
    missing.push({ kernel, availableOn: backends.filter((b) => b !== backendName && tf.getKernel(kernel, b) != null) });
  }
  return missing.sort((a, b) => a.kernel.localeCompare(b.kernel));
}

export function missingKernelError(backendName: string, missing: MissingKernel[]): GanforgeError {
  const list = missing.map((m) => `${m.kernel} (${m.availableOn.length ? `available on ${m.availableOn.join(', ')}` : 'no registered backend has it'})`);
  const elsewhere = [...new Set(missing.flatMap((m) => m.availableOn))];
  return new GanforgeError(
    'GF_BACKEND_MISSING_KERNEL',
    `The ${backendName} backend lacks ${missing.length === 1 ? 'a kernel' : `${missing.length} kernels`} that this training step needs: ${list.join('; ')}.`,
    {
      hint: elsewhere.length
        ? `Train with --backend ${elsewhere.find((b) => b !== 'cpu') ?? elsewhere[0]}, or use layers this backend supports.`
        : 'Use layers the installed backends support.',
      missing,
      backend: backendName,
    },
  );
}

/** Throws GF_BACKEND_MISSING_KERNEL when `backendName` lacks any of `kernelNames`. */
export function checkKernels(tf: Tf, backendName: string, kernelNames: Iterable<string>): void {
  const missing = missingKernels(tf, backendName, kernelNames);
  if (missing.length) throw missingKernelError(backendName, missing);
}

/**
 * The kernels `step` dispatches through the engine (sorted, unique), recorded with tf.profile on the
 * active backend. `step` really runs (a training step updates its weights).
 */
export async function recordKernels(tf: Tf, step: () => unknown): Promise<string[]> {
  const info = await tf.profile(async () => {
    await step();
  });
  return [...new Set(info.kernelNames)].sort();
}

const NOT_REGISTERED = /Kernel '([^']+)' not registered for backend '([^']+)'/;

/**
 * Runs one training step on the active backend and reports every kernel the backend lacks. When the
 * step stops at a missing kernel, it is re-run on `referenceBackend` (default cpu, which has every
 * kernel) to learn the whole list, so the error names all missing kernels at once, not only the first.
 * `makeStep` must build fresh state for each call (it runs on two backends).
 */
export async function checkTrainingStep(
  tf: Tf,
  makeStep: () => () => unknown,
  opts: { referenceBackend?: string } = {},
): Promise<{ backend: string; kernels: string[] }> {
  const backend = tf.getBackend();
  try {
    const kernels = await recordKernels(tf, makeStep());
    return { backend, kernels };
  } catch (error) {
    const m = NOT_REGISTERED.exec(String((error as Error)?.message ?? error));
    if (!m) throw error;
    const reference = opts.referenceBackend ?? 'cpu';
    let kernels: string[] = [m[1]!];
    if (reference !== backend && registeredBackends(tf).includes(reference)) {
      try {
        await tf.setBackend(reference);
        kernels = await recordKernels(tf, makeStep());
      } catch {
        // keep what we know
      } finally {
        await tf.setBackend(backend);
      }
    }
    const missing = missingKernels(tf, backend, kernels);
    throw missingKernelError(backend, missing.length ? missing : missingKernels(tf, backend, [m[1]!]));
  }
}
