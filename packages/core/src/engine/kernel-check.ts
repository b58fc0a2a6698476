/**
 * The capability check before step 1: run every phase once without updating anything (a dry run), record
 * the kernels it dispatches, and fail with GF_BACKEND_MISSING_KERNEL (naming each kernel and the backends
 * that have it) when the chosen backend lacks one. Weights and objective state are put back afterwards, so
 * the check leaves no trace in the run. The cpu backend is the reference that has every kernel: skipped.
 */
// Registered (not activated) so a failed check can name cpu as having the kernel and re-run the step there
// to list every missing kernel at once.
import '@tensorflow/tfjs-backend-cpu';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TF } from '../plugin/types.js';
import type { BuiltRun } from './build.js';
import { checkTrainingStep } from './capability.js';
import type { Trainer } from './trainer.js';

export async function checkBackendKernels(tf: TF, built: BuiltRun, trainer: Trainer): Promise<string[]> {
  if (tf.getBackend() === 'cpu') return [];
  const weights = Object.values(built.models).flatMap((model) => model.weights);
  const savedWeights = weights.map((w) => w.read().clone());
  const state = built.program.state;
  const savedState = state ? copyState(tf, state.save()) : undefined;
  try {
    const { kernels } = await checkTrainingStep(tf, () => () => trainer.dryRun());
    return kernels;
  } finally {
    weights.forEach((w, i) => w.write(savedWeights[i]!));
    tf.dispose(savedWeights);
    if (state && savedState) state.load(savedState);
  }
}

function copyState(tf: TF, saved: { tensors: Record<string, Tensor>; json?: unknown }) {
  return {
    tensors: Object.fromEntries(Object.entries(saved.tensors).map(([k, t]) => [k, tf.keep(t.clone())])),
    json: saved.json === undefined ? undefined : structuredClone(saved.json),
  };
}
