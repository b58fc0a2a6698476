/**
 * Reductions over the leading axes (per-channel sums: bias gradients, batch-norm statistics and their
 * gradients). The stock wasm Sum/Mean transpose the input so that the reduced axes are innermost
 * (a full copy through a slow generic transpose) before summing; here one pass over the input adds
 * each row into float64 accumulators.
 */
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { f32, runKernel, type WasmBackendLike } from '../heap.js';

/** The number of leading axes `axis` reduces, or -1 when it is not a proper prefix of the axes. */
export function leadingAxes(x: TensorInfo, axis: number | number[]): number {
  if (x.dtype !== 'float32') return -1;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= x.shape.length) return -1;
  for (let i = 0; i < axes.length; i++) if (axes[i] !== i) return -1;
  return axes.length;
}

export function reduceLeading(
  kernelName: 'Sum' | 'Mean',
  x: TensorInfo,
  attrs: { axis: number | number[]; keepDims: boolean },
  backend: WasmBackendLike,
): TensorInfo {
  const k = leadingAxes(x, attrs.axis);
  if (k < 0) return runKernel(kernelName, { x }, attrs as never, backend);
  const rows = util.sizeFromShape(x.shape.slice(0, k)), cols = util.sizeFromShape(x.shape.slice(k));
  let outShape = x.shape.slice(k);
  if (attrs.keepDims) outShape = backend_util.expandShapeToKeepDim(outShape, util.parseAxisParam(attrs.axis, x.shape));
  const out = backend.makeOutput(outShape, 'float32');
  const src = f32(backend, x), dst = f32(backend, out);
  const acc = new Float64Array(cols);
  for (let r = 0, p = 0; r < rows; r++) for (let c = 0; c < cols; c++, p++) acc[c] = acc[c]! + src[p]!;
  const scale = kernelName === 'Mean' ? 1 / rows : 1;
  for (let c = 0; c < cols; c++) dst[c] = acc[c]! * scale;
  return out;
}
