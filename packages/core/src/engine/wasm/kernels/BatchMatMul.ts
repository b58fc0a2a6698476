/**
 * BatchMatMul for the wasm backend: routes transposed products to XNNPACK.
 *
 * The stock kernel uses XNNPACK (multi-threaded, SIMD) only for a plain a @ b with batch 1; with
 * transposeA or transposeB it falls back to a scalar C loop, 4-8x slower. Every dense layer's
 * backward pass is such a product (dW = x^T @ dy, dx = dy @ W^T): the DCGAN generator's
 * [100,64]^T x [64,6272] weight gradient takes ~80 ms that way. Here the transposed operand is
 * transposed explicitly (a copy of one operand) and the product goes down the XNNPACK path.
 */
import { BatchMatMul, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, BatchMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeInfo, runKernel, transpose, type WasmBackendLike } from '../heap.js';

function as3D(t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  return { dataId: t.dataId, dtype: t.dtype, shape: [1, t.shape[r - 2]!, t.shape[r - 1]!] };
}

export function batchMatMul(args: { inputs: BatchMatMulInputs; backend: WasmBackendLike; attrs: BatchMatMulAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as TensorInfo, b = inputs.b as TensorInfo;
  const { transposeA, transposeB } = attrs;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2)), batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const plain = !transposeA && !transposeB;
  if (plain || batchA !== 1 || batchB !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runKernel(BatchMatMul, { a, b }, attrs as unknown as Record<string, unknown> as never, backend);
  }
  const a2 = transposeA ? transpose(backend, as3D(a), [0, 2, 1]) : a;
  const b2 = transposeB ? transpose(backend, as3D(b), [0, 2, 1]) : b;
  const out = runKernel(BatchMatMul, { a: a2, b: b2 }, { transposeA: false, transposeB: false }, backend);
  if (a2 !== a) disposeInfo(backend, a2);
  if (b2 !== b) disposeInfo(backend, b2);
  // Same output shape as the stock kernel: broadcast outer dims (all 1) + [M, N].
  const outer = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  return { ...out, shape: [...outer, out.shape[out.shape.length - 2]!, out.shape[out.shape.length - 1]!] };
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
