/**
 * Conv2DBackpropInput (the input gradient of conv2d, and conv2dTranspose) for the wasm backend.
 *
 * The stock wasm kernel is a naive C loop (about 320 ms for the DCGAN generator's 7x7x128 -> 14x14x64
 * layer at batch 64). Here it is decomposed into stride-1 convolutions that run on the backend's
 * XNNPACK Conv2D: one per sub-pixel phase (stride*stride of them, see conv_util.ts), each with a
 * small sub-filter gathered from the flipped filter, whose results are interleaved into dx.
 */
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { crop4D, disposeInfo, f32, runKernel, type WasmBackendLike } from '../heap.js';
import { phase } from './conv_util.js';

export function conv2DBackpropInput(args: {
  inputs: Conv2DBackpropInputInputs;
  backend: WasmBackendLike;
  attrs: Conv2DBackpropInputAttrs & { dilations?: number | [number, number] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo, filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat === 'NCHW') throw new Error("wasm Conv2DBackpropInput supports dataFormat 'NHWC' only");
  const dilations = attrs.dilations ?? 1;
  const info = backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number], filter.shape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: ci, outChannels: co, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const out = backend.makeOutput([B, H, W, ci], 'float32');
  const single = sh === 1 && sw === 1;
  // Rows/columns that no filter tap reaches (stride > filter size) get no phase result: zero first.
  let anyEmpty = false;
  for (let r = 0; r < sh; r++) if (phase(r, sh, dh, KH, info.padInfo.top, H, OH).taps === 0) anyEmpty = true;
  for (let r = 0; r < sw; r++) if (phase(r, sw, dw, KW, info.padInfo.left, W, OW).taps === 0) anyEmpty = true;
  if (anyEmpty) f32(backend, out).fill(0);
  for (let rh = 0; rh < sh; rh++) {
    const ph = phase(rh, sh, dh, KH, info.padInfo.top, H, OH);
    for (let rw = 0; rw < sw; rw++) {
      const pw = phase(rw, sw, dw, KW, info.padInfo.left, W, OW);
      if (ph.count === 0 || pw.count === 0) continue;
      if (ph.taps === 0 || pw.taps === 0) continue;
      // Sub-filter [taps_h, taps_w, co, ci] from the filter [KH, KW, ci, co].
      const sub = backend.makeOutput([ph.taps, pw.taps, co, ci], 'float32');
      const w = f32(backend, filter), s = f32(backend, sub);
      for (let th = 0; th < ph.taps; th++) {
        const kh = ph.tap(th);
        for (let tw = 0; tw < pw.taps; tw++) {
          const kw = pw.tap(tw);
          const src = (kh * KW + kw) * ci * co, dst = (th * pw.taps + tw) * co * ci;
          for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) s[dst + o * ci + i] = w[src + i * co + o]!;
        }
      }
      let src: TensorInfo = dy;
      const cropT = Math.max(0, -ph.padBefore), cropB = Math.max(0, -ph.padAfter);
      const cropL = Math.max(0, -pw.padBefore), cropR = Math.max(0, -pw.padAfter);
      if (cropT || cropB || cropL || cropR) src = crop4D(backend, dy, cropT, cropB, cropL, cropR);
      const res = runKernel('Conv2D', { x: src, filter: sub }, {
        strides: 1, dilations: [dh, dw], dataFormat: 'NHWC',
        pad: [[0, 0], [Math.max(0, ph.padBefore), Math.max(0, ph.padAfter)], [Math.max(0, pw.padBefore), Math.max(0, pw.padAfter)], [0, 0]],
      }, backend);
      disposeInfo(backend, sub);
      if (src !== dy) disposeInfo(backend, src);
      if (single) {
        disposeInfo(backend, out);
        return res;
      }
      // Interleave: dx[b, qh*sh + rh, qw*sw + rw, :] = res[b, qh, qw, :]
      const r = f32(backend, res), o = f32(backend, out);
      const Qh = ph.count, Qw = pw.count;
      if (ci === 1) {
        for (let b = 0; b < B; b++) for (let qh = 0; qh < Qh; qh++) {
          const rowIn = (b * Qh + qh) * Qw, rowOut = (b * H + qh * sh + rh) * W + rw;
          for (let qw = 0; qw < Qw; qw++) o[rowOut + qw * sw] = r[rowIn + qw]!;
        }
      } else {
        for (let b = 0; b < B; b++) for (let qh = 0; qh < Qh; qh++) {
          let pIn = (b * Qh + qh) * Qw * ci, pOut = ((b * H + qh * sh + rh) * W + rw) * ci;
          for (let qw = 0; qw < Qw; qw++, pIn += ci, pOut += sw * ci) o.set(r.subarray(pIn, pIn + ci), pOut);
        }
      }
      disposeInfo(backend, res);
    }
  }
  return out;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
