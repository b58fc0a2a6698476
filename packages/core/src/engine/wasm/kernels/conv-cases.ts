/** Convolution cases shared by the gradient kernel tests, and a float64 reference implementation. */
import * as tf from '@tensorflow/tfjs-core';

export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  ci: number;
  co: number;
  strides: [number, number];
  pad: 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
  dilations?: [number, number];
}

export const CONV_CASES: ConvCase[] = [
  { name: '3x3 s1 same', x: [2, 7, 7, 3], k: [3, 3], ci: 3, co: 5, strides: [1, 1], pad: 'same' },
  { name: '3x3 s1 valid', x: [2, 7, 6, 3], k: [3, 3], ci: 3, co: 4, strides: [1, 1], pad: 'valid' },
  { name: '3x3 s2 same odd', x: [2, 7, 9, 3], k: [3, 3], ci: 3, co: 4, strides: [2, 2], pad: 'same' },
  { name: '4x4 s2 same (DCGAN)', x: [3, 8, 8, 4], k: [4, 4], ci: 4, co: 6, strides: [2, 2], pad: 'same' },
  { name: '4x4 s2 same ci=1', x: [2, 8, 8, 1], k: [4, 4], ci: 1, co: 5, strides: [2, 2], pad: 'same' },
  { name: '4x4 s2 same co=1', x: [2, 8, 8, 5], k: [4, 4], ci: 5, co: 1, strides: [2, 2], pad: 'same' },
  { name: '3x3 s2 valid unused rows', x: [2, 10, 10, 2], k: [3, 3], ci: 2, co: 3, strides: [2, 2], pad: 'valid' },
  { name: '2x3 s(2,1) explicit', x: [1, 9, 7, 3], k: [2, 3], ci: 3, co: 2, strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { name: '1x1 s2 valid (empty phases)', x: [2, 6, 5, 3], k: [1, 1], ci: 3, co: 4, strides: [2, 2], pad: 'valid' },
  { name: '5x5 s3 same', x: [2, 11, 8, 2], k: [5, 5], ci: 2, co: 3, strides: [3, 3], pad: 'same' },
  { name: '3x3 s1 explicit pad 3 (crop)', x: [1, 5, 6, 2], k: [3, 3], ci: 2, co: 2, strides: [1, 1], pad: [[0, 0], [3, 3], [3, 2], [0, 0]] },
  { name: '3x3 s2 explicit large pad', x: [1, 6, 7, 2], k: [3, 3], ci: 2, co: 3, strides: [2, 2], pad: [[0, 0], [3, 1], [2, 3], [0, 0]] },
  { name: '7x7 s1 valid', x: [1, 12, 12, 3], k: [7, 7], ci: 3, co: 4, strides: [1, 1], pad: 'valid' },
  // ci >= 32: Conv2DBackpropInput runs one convolution per phase instead of one stacked convolution.
  { name: '4x4 s2 same ci=40', x: [2, 6, 6, 40], k: [4, 4], ci: 40, co: 3, strides: [2, 2], pad: 'same' },
  { name: '3x3 s2 valid ci=33 (empty-free odd)', x: [1, 7, 8, 33], k: [3, 3], ci: 33, co: 2, strides: [2, 2], pad: 'valid' },
  { name: '1x1 s2 same ci=32 (empty phases)', x: [1, 5, 6, 32], k: [1, 1], ci: 32, co: 2, strides: [2, 2], pad: 'same' },
  { name: '3x3 s1 dilation 2 same', x: [2, 9, 8, 3], k: [3, 3], ci: 3, co: 4, strides: [1, 1], pad: 'same', dilations: [2, 2] },
  { name: '2x3 s1 dilation (3,2) valid', x: [1, 10, 9, 2], k: [2, 3], ci: 2, co: 3, strides: [1, 1], pad: 'valid', dilations: [3, 2] },
];

export function convInfo(c: ConvCase) {
  return tf.backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.ci, c.co], c.strides, c.dilations ?? 1, c.pad);
}

/** float64 reference: dW = sum x * dy, dX = sum dy * w, straight from the definition of conv2d. */
export function referenceGrads(c: ConvCase, x: Float32Array, dy: Float32Array, w: Float32Array) {
  const info = convInfo(c);
  const [B, H, W, ci] = c.x;
  const { outHeight: OH, outWidth: OW, outChannels: co, filterHeight: KH, filterWidth: KW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  const dW = new Float64Array(KH * KW * ci * co), dX = new Float64Array(B * H * W * ci);
  for (let b = 0; b < B; b++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++)
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const ih = oh * sh + kh * dh - pt, iw = ow * sw + kw * dw - pl;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
        const g = dy[((b * OH + oh) * OW + ow) * co + o]!;
        const wi = ((kh * KW + kw) * ci + i) * co + o, xi = ((b * H + ih) * W + iw) * ci + i;
        dW[wi] = dW[wi]! + x[xi]! * g;
        dX[xi] = dX[xi]! + w[wi]! * g;
      }
    }
  return { dW, dX };
}
