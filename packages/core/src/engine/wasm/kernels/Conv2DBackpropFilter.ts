/**
 * Conv2DBackpropFilter (the filter gradient of conv2d) for the wasm backend, which has none
 * (tfjs issue #8474).
 *
 * dW[kh, kw, ci, co] = sum_{b, oh, ow} x[b, oh*s + kh - pad, ow*s + kw - pad, ci] * dy[b, oh, ow, co]
 * is itself a convolution once batch and channels swap roles: with x' = x as [ci, H, W, B] and
 * dy' = dy as [OH, OW, B, co], dW' = conv2d(x', dy', stride 1, dilation s) is [ci, KH, KW, co].
 * So the whole reduction runs in the backend's XNNPACK Conv2D (multi-threaded, SIMD); the only
 * extra work is three transposes, two of activation size and one of filter size.
 */
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropFilterInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { crop4D, disposeInfo, runKernel, transpose, type WasmBackendLike } from '../heap.js';

export function conv2DBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: WasmBackendLike;
  attrs: Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat === 'NCHW') throw new Error("wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only");
  const dilations = attrs.dilations ?? 1;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  // Rows of x that the forward conv never reads (bottom/right) are cropped away.
  const pb = (KH - 1) * dh + (OH - 1) * sh + 1 - H - pt;
  const pr = (KW - 1) * dw + (OW - 1) * sw + 1 - W - pl;
  let xs: TensorInfo = x;
  if (pb < 0 || pr < 0) xs = crop4D(backend, x, 0, Math.max(0, -pb), 0, Math.max(0, -pr));
  const xT = transpose(backend, xs, [3, 1, 2, 0]);
  if (xs !== x) disposeInfo(backend, xs);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const res = runKernel('Conv2D', { x: xT, filter: dyT }, {
    strides: [dh, dw], dilations: [sh, sw], dataFormat: 'NHWC',
    pad: [[0, 0], [pt, Math.max(0, pb)], [pl, Math.max(0, pr)], [0, 0]],
  }, backend);
  disposeInfo(backend, xT, dyT);
  const out = transpose(backend, res, [1, 2, 0, 3]);
  disposeInfo(backend, res);
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
