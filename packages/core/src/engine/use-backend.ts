/**
 * Choosing the tfjs backend for a run.
 * TODO(backend.ts): replace this stub with the wasm engineer's `selectBackend(requested, log)` from
 * ./backend.js once it lands (it tries tfjs-node-gpu, tfjs-node, wasm with training kernels, then cpu).
 * Until then: "cpu" and "wasm" are honoured, "auto" takes cpu, tfjs-node backends are reported unavailable.
 */
import { GanforgeError } from '../errors.js';
import type { Logger, TF } from '../plugin/types.js';
import type { BackendName } from '../spec/types.js';

export interface BackendSelection {
  /** tfjs backend name now active ("cpu", "wasm", "tensorflow"). */
  name: string;
  /** Why this one was taken. */
  reason: string;
  /** Backends tried before it, and why each was skipped. */
  skipped: { name: string; reason: string }[];
}

export async function selectBackend(tf: TF, requested: BackendName, log: Logger): Promise<BackendSelection> {
  if (requested === 'tensorflow' || requested === 'tensorflow-gpu') {
    throw new GanforgeError('GF_BACKEND_UNAVAILABLE', `Backend "${requested}" is not available in this build of the engine yet.`, {
      hint: 'Use --backend cpu or --backend wasm.',
    });
  }
  const skipped =
    requested === 'auto'
      ? [
          { name: 'tensorflow-gpu', reason: 'backend selection is not wired in yet (engine/backend.ts pending)' },
          { name: 'tensorflow', reason: 'backend selection is not wired in yet (engine/backend.ts pending)' },
          { name: 'wasm', reason: 'backend selection is not wired in yet (engine/backend.ts pending)' },
        ]
      : [];
  const name = requested === 'wasm' ? 'wasm' : 'cpu';
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend(name))) throw new GanforgeError('GF_BACKEND_UNAVAILABLE', `The ${name} backend failed to initialise.`);
  await tf.ready();
  const reason = requested === 'auto' ? 'the portable fallback' : 'requested';
  log.debug(`backend ${name} (${reason})`);
  return { name, reason, skipped };
}
