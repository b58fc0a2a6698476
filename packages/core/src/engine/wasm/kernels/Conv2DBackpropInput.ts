/**
 * Conv2DBackpropInput (the input gradient of conv2d, and conv2dTranspose) for the wasm backend.
 *
 * The stock wasm kernel is a naive C loop (about 320 ms for the DCGAN generator's 7x7x128 -> 14x14x64
 * layer at batch 64). Here it is decomposed into stride-1 convolutions that run on the backend's
 * XNNPACK Conv2D: the stride*stride sub-pixel phases (see conv_util.ts) each need a stride-1
 * convolution of dy with a small sub-filter gathered from the flipped filter; the phase results are
 * interleaved into dx. With few output channels the phases run as one convolution with the
 * sub-filters stacked along the output channels (a GEMM wide enough for XNNPACK).
 *
 * The "gemm" path (chosen per shape by `inputGradPath`): cols [B*OH*OW, KH*KW*ci] = dy [B*OH*OW, co] . W^T (one
 * 1x1 XNNPACK convolution: the forward conv's FLOPs exactly, no flipped sub-filters) and a col2im scatter-add
 * of cols into dx. It pays where the phases waste work: after a 'valid' stride-1 conv the one phase is a full
 * correlation of dy padded by k - 1 that multiplies zeros for every dx position of the border (81 positions
 * for 49 outputs of a 3x3 conv on a 7x7 map, 25 for 4 on a 2x2 map); with stride > 1 on small maps the phases
 * cost more in gathering sub-filters and interleaving than in arithmetic.
 */
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { crop4D, disposeInfo, f32, runKernel, transpose, type WasmBackendLike } from '../heap.js';
import { phase, type Phase } from './conv_util.js';

/**
 * Output channels from which each phase gets its own convolution. Measured on the DCGAN layers
 * (pnpm bench kernels): ci=64 per-phase 86 ms vs stacked 104 ms; ci=1 per-phase 40 ms vs stacked 9 ms.
 */
const STACK_BELOW_CHANNELS = 32;

export type InputGradPath = 'phases' | 'gemm';
let forced: InputGradPath | undefined;
/** Tests and benchmarks: force one path (undefined: choose per shape). */
export function forceConv2DBackpropInputPath(path: InputGradPath | undefined): void {
  forced = path;
}

/** cols above this many floats (4 MB) go by the phases: the col2im is one JS thread, the convolutions use all. */
const MAX_COLS_FLOATS = 1 << 20;

/**
 * The path for one shape, from `pnpm bench kernels --extra` with both paths forced (docs/performance.md):
 * "gemm" when cols is small (<= 1M floats: the single-threaded col2im stays cheap), co >= 16 (the product does
 * 2*co FLOPs per col2im add; co = 1 took 4.5-7 ms by gemm against 0.4-1.4 ms by the phases) and the phases waste
 * work: any stride > 1 (sub-filter gathering, one convolution per phase, interleaving: CycleGAN's 3x3 s2 dx and
 * transposed convs 1.2-2x faster by gemm, DCGAN's 4x4 s2 to one channel 1.7x), or stride 1 where dx is at
 * least 1.25x dy's area (a 'valid' conv: the phase conv computes every dx position through zero padding, 81
 * for 49 on CycleGAN's residual 7x7 maps, 25 for 4 on the PatchGAN's 2x2). Stride-1 'same' convs (SRGAN's)
 * waste nothing and stay on the phases (1.3-2.7x faster there).
 */
export function inputGradPath(info: backend_util.Conv2DInfo): InputGradPath {
  if (forced) return forced;
  const { batchSize: B, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW, inChannels: ci, outChannels: co } = info;
  if (co < 16 || B * OH * OW * KH * KW * ci > MAX_COLS_FLOATS) return 'phases';
  if (info.strideHeight > 1 || info.strideWidth > 1) return 'gemm';
  return H * W >= 1.25 * OH * OW ? 'gemm' : 'phases';
}

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
  if (inputGradPath(info) === 'gemm') return byGemm(backend, dy, filter, info);
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

/** dx by cols = dy . W^T (one 1x1 XNNPACK convolution) and a col2im scatter-add; any stride and dilation. */
function byGemm(backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: ci, outChannels: co, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  const N = B * OH * OW, K = KH * KW * ci;
  const wT = transpose(backend, { dataId: filter.dataId, dtype: filter.dtype, shape: [K, co] }, [1, 0]);
  const cols = runKernel('Conv2D', { x: { dataId: dy.dataId, dtype: dy.dtype, shape: [1, 1, N, co] }, filter: { ...wT, shape: [1, 1, co, K] } }, {
    strides: 1, dilations: 1, pad: 'valid', dataFormat: 'NHWC',
  }, backend);
  disposeInfo(backend, wT);
  const out = backend.makeOutput([B, H, W, ci], 'float32');
  const c = f32(backend, cols), o = f32(backend, out);
  o.fill(0);
  let p = 0;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= H) {
            p += KW * ci;
            continue;
          }
          const row = (b * H + ih) * W;
          for (let kw = 0; kw < KW; kw++, p += ci) {
            const iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= W) continue;
            const d = (row + iw) * ci;
            for (let i = 0; i < ci; i++) o[d + i] = o[d + i]! + c[p + i]!;
          }
        }
      }
    }
  }
  disposeInfo(backend, cols);
  return out;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
