/** Test helpers: cpu and (threaded) wasm backends side by side, with ganforge's training kernels. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels } from '../register.js';
import { useThreadedWasm } from '../../../node/index.js';

export async function setupBackends(threads = 2): Promise<void> {
  await useThreadedWasm(threads);
  registerWasmTrainingKernels(tf);
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
}

/** Runs `f` on a backend with inputs copied there; returns plain arrays and disposes everything. */
export async function onBackend<R>(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const vals = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return vals;
}

/** max |a - b| / max(|b|, tiny): the "relative" error over a whole tensor (the one plugin tests use). */
export { relativeError as relErr } from '../../../testing/gradients.js';

export function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}
