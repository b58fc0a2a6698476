/**
 * GanforgeLeakyReluGrad (a ganforge kernel, wasm only): dx = x > 0 ? dy : dy * alpha in one pass.
 *
 * tfjs' LeakyRelu gradient is where(greater(x, 0), dy, mul(dy, alpha)): three kernels and two
 * temporaries per activation. gradients.ts routes LeakyRelu's gradient here on backends that have this
 * kernel (and keeps tfjs' composition elsewhere); values are the composition's, bit for bit
 * (alpha rounded to float32 as the scalar tensor is). Its own gradient is itself w.r.t. dy (and zero
 * w.r.t. x), so second-order gradients (gradient penalties) go through it too.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from '../heap.js';

export const GANFORGE_LEAKY_RELU_GRAD = 'GanforgeLeakyReluGrad';

export function leakyReluGrad(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: WasmBackendLike; attrs: { alpha: number } }): TensorInfo {
  const { inputs: { dy, x }, backend, attrs } = args;
  const out = backend.makeOutput(x.shape, 'float32');
  const g = f32(backend, dy), xs = f32(backend, x), dst = f32(backend, out);
  const k = new Float64Array([Math.fround(attrs.alpha), 1]);
  for (let i = 0, n = xs.length; i < n; i++) dst[i] = g[i]! * k[+(xs[i]! > 0)]!;
  return out;
}

export const ganforgeLeakyReluGradConfig: KernelConfig = {
  kernelName: GANFORGE_LEAKY_RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: leakyReluGrad as unknown as KernelFunc,
};
