/**
 * Identity for the wasm backend without a copy.
 *
 * The engine clones every tensor it saves for the backward pass (inputsToSave / outputsToSave) through
 * the Identity kernel, and the stock wasm kernel copies the whole buffer each time: in the DCGAN
 * benchmark step that is ~100 MB of copies. Tensors are immutable, so, like the cpu backend and the
 * wasm backend's own Reshape, the clone shares the buffer and bumps its reference count.
 */
import { Identity } from '@tensorflow/tfjs-core';
import type { IdentityInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { runKernel, type WasmBackendLike } from '../heap.js';

export function identity(args: { inputs: IdentityInputs; backend: WasmBackendLike & { incRef(dataId: object): void } }): TensorInfo {
  const { inputs: { x }, backend } = args;
  const t = x as TensorInfo;
  if (t.dtype === 'string') return runKernel(Identity, { x: t }, {}, backend);
  backend.incRef(t.dataId);
  return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
