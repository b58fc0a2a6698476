/**
 * Registers ganforge's training kernels for the tfjs wasm backend (and the gradients tfjs lacks).
 * Called by the engine when wasm is selected; idempotent. Kernels that replace a stock wasm kernel
 * keep the stock one reachable (heap.ts `runKernel`) and `unregisterWasmTrainingKernels` restores it.
 */
import * as tfCore from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { registerTrainingGradients } from './gradients.js';
import { rememberStockKernel, stockKernelConfig } from './heap.js';
import { batchMatMulConfig } from './kernels/BatchMatMul.js';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';
import { ganforgeLeakyReluGradConfig } from './kernels/GanforgeLeakyReluGrad.js';
import { identityConfig } from './kernels/Identity.js';
import { leakyReluConfig } from './kernels/LeakyRelu.js';
import { meanConfig } from './kernels/Mean.js';
import { sumConfig } from './kernels/Sum.js';

type TfKernelApi = Pick<typeof tfCore, 'getKernel' | 'registerKernel' | 'unregisterKernel'>;

export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  batchMatMulConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  ganforgeLeakyReluGradConfig,
  identityConfig,
  leakyReluConfig,
  meanConfig,
  sumConfig,
];

const OURS = new WeakSet<object>(WASM_TRAINING_KERNELS.map((k) => k.kernelFunc));

/** Names of the kernels this module provides for wasm. */
export const wasmTrainingKernelNames = (): string[] => WASM_TRAINING_KERNELS.map((k) => k.kernelName);

export function registerWasmTrainingKernels(tf: TfKernelApi = tfCore): string[] {
  registerTrainingGradients();
  const registered: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing && OURS.has(existing.kernelFunc)) continue;
    if (existing) {
      rememberStockKernel(existing);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}

/** Removes our kernels and puts back the stock wasm kernels they replaced (for before/after benchmarks). */
export function unregisterWasmTrainingKernels(tf: TfKernelApi = tfCore): void {
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (!existing || !OURS.has(existing.kernelFunc)) continue;
    tf.unregisterKernel(config.kernelName, 'wasm');
    const stock = stockKernelConfig(config.kernelName);
    if (stock) reinstate(stock);
  }
}

/** Registers a stock kernel again; runs its setup (cwrap of its C function) if wasm is initialised. */
function reinstate(config: KernelConfig): void {
  tfCore.registerKernel(config);
  const registry = (tfCore.engine() as unknown as { registry: Record<string, tfCore.KernelBackend | undefined> }).registry;
  const backend = registry['wasm'];
  if (backend && config.setupFunc) config.setupFunc(backend);
}

/** Puts one stock wasm kernel back in place of ours (benchmarks: "before" numbers). */
export function restoreStockKernel(kernelName: string, tf: TfKernelApi = tfCore): void {
  const stock = stockKernelConfig(kernelName);
  if (!stock) return;
  tf.unregisterKernel(kernelName, 'wasm');
  reinstate(stock);
}
