/**
 * Conv2DBackpropInput (the input gradient of conv2d, and conv2dTranspose) for the wasm backend.
 *
 * The stock wasm kernel is a naive C loop (about 320 ms for the DCGAN generator's 7x7x128 -> 14x14x64
 * layer at batch 64). Here it is decomposed into stride-1 convolutions that run on the backend's
 * XNNPACK Conv2D: the stride*stride sub-pixel phases (see conv_util.ts) each need a stride-1
 * convolution of dy with a small sub-filter gathered from the flipped filter; the phase results are
 * interleaved into dx. With few output channels the phases run as one convolution with the
 * sub-filters stacked along the output channels (a GEMM wide enough for XNNPACK).
 */
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { crop4D, disposeInfo, f32, runKernel, type WasmBackendLike } from '../heap.js';
import { phase, type Phase } from './conv_util.js';

/**
 * Output channels from which each phase gets its own convolution. Measured on the DCGAN layers
 * (pnpm bench kernels): ci=64 per-phase 86 ms vs stacked 104 ms; ci=1 per-phase 40 ms vs stacked 9 ms.
 */
const STACK_BELOW_CHANNELS = 32;

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
  if (sh === 1 && sw === 1) {
    // One phase: dx = conv2d(dy, flipped filter) with the forward dilation.
    const ph = phase(0, 1, dh, KH, info.padInfo.top, H, OH), pw = phase(0, 1, dw, KW, info.padInfo.left, W, OW);
    return phaseConv(backend, dy, filter, [ph], [pw], { KW, ci, co }, [dh, dw]);
  }
  const phs = Array.from({ length: sh }, (_, r) => phase(r, sh, 1, KH, info.padInfo.top, H, OH));
  const pws = Array.from({ length: sw }, (_, r) => phase(r, sw, 1, KW, info.padInfo.left, W, OW));
  const out = backend.makeOutput([B, H, W, ci], 'float32');
  if (ci >= STACK_BELOW_CHANNELS) {
    // Wide outputs: one convolution per phase (each already a good GEMM), interleaved into dx.
    const o = f32(backend, out);
    if (phs.some((p) => p.taps === 0) || pws.some((p) => p.taps === 0)) o.fill(0);
    for (let rh = 0; rh < sh; rh++) {
      const ph = phs[rh]!;
      for (let rw = 0; rw < sw; rw++) {
        const pw = pws[rw]!;
        if (ph.count === 0 || pw.count === 0 || ph.taps === 0 || pw.taps === 0) continue;
        const res = phaseConv(backend, dy, filter, [ph], [pw], { KW, ci, co }, [1, 1]);
        const r = f32(backend, res), o2 = f32(backend, out);
        for (let b = 0; b < B; b++) for (let qh = 0; qh < ph.count; qh++) {
          let pIn = (b * ph.count + qh) * pw.count * ci, pOut = ((b * H + qh * sh + rh) * W + rw) * ci;
          for (let qw = 0; qw < pw.count; qw++, pIn += ci, pOut += sw * ci) o2.set(r.subarray(pIn, pIn + ci), pOut);
        }
        disposeInfo(backend, res);
      }
    }
    return out;
  }
  // Narrow outputs (e.g. the 1-channel image layer): all stride*stride phases in ONE stride-1
  // convolution whose output channels are (phase_h, phase_w, ci), so that XNNPACK gets a GEMM wide
  // enough to be efficient; phase r's row q sits at row q + m_r - min(m) of the result.
  const res = phaseConv(backend, dy, filter, phs, pws, { KW, ci, co }, [1, 1]);
  const r = f32(backend, res), o = f32(backend, out);
  const [, Qh, Qw, C] = res.shape as [number, number, number, number];
  const mh = Math.min(...phs.map((p) => p.m)), mw = Math.min(...pws.map((p) => p.m));
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < H; oh++) {
      const rh = oh % sh, ph = phs[rh]!;
      const qh = (oh - rh) / sh + ph.m - mh;
      for (let ow = 0; ow < W; ow++) {
        const rw = ow % sw, pw = pws[rw]!;
        const dst = ((b * H + oh) * W + ow) * ci;
        if (ph.taps === 0 || pw.taps === 0) {
          o.fill(0, dst, dst + ci);
          continue;
        }
        const qw = (ow - rw) / sw + pw.m - mw;
        const src = ((b * Qh + qh) * Qw + qw) * C + (rh * sw + rw) * ci;
        if (ci < 16) for (let i = 0; i < ci; i++) o[dst + i] = r[src + i]!;
        else o.set(r.subarray(src, src + ci), dst);
      }
    }
  }
  disposeInfo(backend, res);
  return out;
}

/**
 * The stride-1 convolution of dy with the sub-filters of the given phases (rows x columns), stacked
 * along the output channels. Phases are aligned on the smallest `m`: output row q + (m_r - m_min)
 * holds phase r's row q.
 */
function phaseConv(
  backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, phs: Phase[], pws: Phase[],
  { KW, ci, co }: { KW: number; ci: number; co: number }, dilations: [number, number],
): TensorInfo {
  const axis = (ps: Phase[], dil: number, outSize: number) => {
    const taps = Math.max(1, ...ps.map((p) => p.taps));
    const mMin = Math.min(...ps.map((p) => p.m));
    const before = (taps - 1) * dil - mMin;
    const count = Math.max(...ps.map((p) => p.count + p.m - mMin));
    const after = count - outSize - before + (taps - 1) * dil;
    return { taps, before, after };
  };
  const [, OH, OW] = dy.shape as [number, number, number, number];
  const ah = axis(phs, dilations[0], OH), aw = axis(pws, dilations[1], OW);
  const nPh = phs.length, nPw = pws.length, C = nPh * nPw * ci;
  // Filter [taps_h, taps_w, co, (phase_h, phase_w, ci)]; tap t of phase p is filter row p.tap(t - (T - p.taps)).
  const sub = backend.makeOutput([ah.taps, aw.taps, co, C], 'float32');
  const w = f32(backend, filter), sf = f32(backend, sub);
  sf.fill(0);
  for (let th = 0; th < ah.taps; th++) {
    for (let tw = 0; tw < aw.taps; tw++) {
      for (let rh = 0; rh < nPh; rh++) {
        const ph = phs[rh]!, jh = th - (ah.taps - ph.taps);
        if (jh < 0) continue;
        const kh = ph.tap(jh);
        for (let rw = 0; rw < nPw; rw++) {
          const pw = pws[rw]!, jw = tw - (aw.taps - pw.taps);
          if (jw < 0) continue;
          const kw = pw.tap(jw);
          const src = (kh * KW + kw) * ci * co;
          const dst = (th * aw.taps + tw) * co * C + (rh * nPw + rw) * ci;
          for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) sf[dst + o * C + i] = w[src + i * co + o]!;
        }
      }
    }
  }
  let src: TensorInfo = dy;
  const cropT = Math.max(0, -ah.before), cropB = Math.max(0, -ah.after);
  const cropL = Math.max(0, -aw.before), cropR = Math.max(0, -aw.after);
  if (cropT || cropB || cropL || cropR) src = crop4D(backend, dy, cropT, cropB, cropL, cropR);
  const res = runKernel('Conv2D', { x: src, filter: sub }, {
    strides: 1, dilations, dataFormat: 'NHWC',
    pad: [[0, 0], [Math.max(0, ah.before), Math.max(0, ah.after)], [Math.max(0, aw.before), Math.max(0, aw.after)], [0, 0]],
  }, backend);
  disposeInfo(backend, sub);
  if (src !== dy) disposeInfo(backend, src);
  return res;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
