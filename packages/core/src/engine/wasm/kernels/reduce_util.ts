/**
 * Reductions over a contiguous block of axes before the last (per-channel sums over the leading axes: bias
 * gradients, batch-norm statistics and their gradients; per-image sums over H, W: instance norm). The stock wasm
 * Sum/Mean transpose the input so that the reduced axes are innermost (a full copy through a slow generic
 * transpose) before summing; here one pass over the input adds each row into float64 accumulators.
 */
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { f32, runKernel, type WasmBackendLike } from '../heap.js';

/** Largest tensor reduced here when the block is not leading (outer > 1). */
const MAX_BLOCKED = 1 << 18;

/**
 * The reduced axes as one contiguous block [first, last] that leaves the last axis alone, seen as
 * x = [outer, rows, cols] reduced over rows; undefined when they are not such a block (stock kernel).
 * Leading axes (outer = 1) are the per-channel sums; [1, 2] of NHWC (outer = batch) are instance norm's
 * per-image statistics.
 */
export function reducedBlock(x: TensorInfo, axis: number | number[]): { outer: number; rows: number; cols: number } | undefined {
  if (x.dtype !== 'float32') return undefined;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  if (axes.length === 0) return undefined;
  const first = axes[0]!, last = axes[axes.length - 1]!;
  if (last >= x.shape.length - 1 || last - first + 1 !== axes.length) return undefined;
  const outer = util.sizeFromShape(x.shape.slice(0, first));
  // Per-image blocks: one JS pass beats the stock transpose + reduce on instance norm's maps (0.2-0.3 against
  // 0.3-0.5 ms for [4,28,28,16]) but not on large ones ([16,32,32,32]: 1.2-1.3 against 0.8-1.1 ms).
  if (outer > 1 && util.sizeFromShape(x.shape) > MAX_BLOCKED) return undefined;
  return {
    outer,
    rows: util.sizeFromShape(x.shape.slice(first, last + 1)),
    cols: util.sizeFromShape(x.shape.slice(last + 1)),
  };
}

export function reduceLeading(
  kernelName: 'Sum' | 'Mean',
  x: TensorInfo,
  attrs: { axis: number | number[]; keepDims: boolean },
  backend: WasmBackendLike,
): TensorInfo {
  const block = reducedBlock(x, attrs.axis);
  if (!block) return runKernel(kernelName, { x }, attrs as never, backend);
  const { outer, rows, cols } = block;
  const axes = util.parseAxisParam(attrs.axis, x.shape);
  let outShape = x.shape.filter((_, i) => !axes.includes(i));
  if (attrs.keepDims) outShape = backend_util.expandShapeToKeepDim(outShape, axes);
  const out = backend.makeOutput(outShape, 'float32');
  const src = f32(backend, x), dst = f32(backend, out);
  const acc = new Float64Array(cols);
  const scale = kernelName === 'Mean' ? 1 / rows : 1;
  for (let o = 0, p = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++, p++) acc[c] = acc[c]! + src[p]!;
    for (let c = 0, q = o * cols; c < cols; c++) dst[q + c] = acc[c]! * scale;
  }
  return out;
}
