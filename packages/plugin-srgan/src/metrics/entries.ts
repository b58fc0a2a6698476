/**
 * "srgan/psnr" and "srgan/ssim": fidelity of upscaled images to the held-out originals (fidelity.ts: Y
 * channel, 8-bit, border of `scale` pixels cut), with the bicubic baseline measured on the same images in
 * the same row: each downscaled by `scale` (the objective's antialiased bicubic) and upscaled back, or, when
 * the inputs are ready low-res images `scale` times smaller (an upscaler evaluated on LR/HR pairs), those
 * inputs upscaled. Per-image: `ganforge eval` on pairs scores whole held-out images one by one and averages.
 */
import { defineMetric, GanforgeError, type MetricInput, type Tensor4D, type TF } from '@ganforge/core';
import { bicubicDownsample, bicubicResize, type Border } from '../bicubic.js';
import { psnrY, ssimY, to8bit, type Image8 } from './fidelity.js';

const optionsSchema = {
  type: 'object',
  properties: {
    scale: { enum: [2, 3, 4, 8], default: 4, description: 'The upscaling factor: the bicubic baseline downscales by it, and it is the border cut (the papers\' protocol) unless border is set.' },
    border: { type: 'integer', minimum: 0, maximum: 64, description: 'Pixels cut from every side before scoring. Default: scale.' },
    downsample: { enum: ['matlab', 'pil'], default: 'matlab', description: 'Borders of the bicubic that makes the baseline (as the objective\'s option).' },
  },
  additionalProperties: false,
} as const;

type Score = (reference: Image8, test: Image8, border: number) => number;

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

/** Scores of `fake` against `real` and of the bicubic round trip of `real` against `real`. */
async function fidelity(tf: TF, score: Score, input: MetricInput, scale: number, border: number, downsample: Border): Promise<Record<string, number>> {
  const { real, fake, range, inputs } = input;
  const [, h, w] = real.shape;
  const lowRes = inputs !== undefined && inputs.shape[1] < h ? inputs : undefined;
  if (lowRes && (lowRes.shape[1] * scale !== h || lowRes.shape[2] * scale !== w)) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `The low-res inputs are ${lowRes.shape[2]}x${lowRes.shape[1]} for ${w}x${h} originals, not ${scale}x smaller as options.scale says.`, {
      hint: `Set the metric's options.scale to the pairs' factor (e.g. --metric with "options": { "scale": ${Math.round(h / lowRes.shape[1])} } in the spec's evaluation).`,
    });
  }
  const bicubic = tf.tidy(() => {
    // Ready low-res inputs: the baseline upscales them, as the model does.
    if (lowRes) return bicubicResize(tf, lowRes, h, w, downsample);
    const fit = tf.slice(real, [0, 0, 0, 0], [-1, h - (h % scale), w - (w % scale), -1]) as Tensor4D;
    const up = bicubicResize(tf, bicubicDownsample(tf, fit, scale, downsample), fit.shape[1], fit.shape[2], downsample);
    return tf.pad(up, [[0, 0], [0, h % scale], [0, w % scale], [0, 0]]) as Tensor4D;
  });
  const [r, f, b] = await Promise.all([real, fake, bicubic].map(async (t) => to8bit(await t.data(), t.shape, range)));
  bicubic.dispose();
  // Rows/columns the bicubic baseline could not reach (sizes not divisible by scale) are cut as border too.
  const cut = Math.max(border, h % scale, w % scale);
  const value = mean(r!.map((ref, i) => score(ref, f![i]!, cut)));
  const base = mean(r!.map((ref, i) => score(ref, b![i]!, cut)));
  return { value, bicubic: base, gain: value - base };
}

function fidelityMetric(name: string, score: Score, what: string) {
  return defineMetric({
    description: `${what} of upscaled images to the held-out originals on the Y channel (8-bit, border of scale pixels cut), with the bicubic baseline ("bicubic") and the gain over it.`,
    optionsSchema,
    higherIsBetter: true,
    perImage: true,
    build({ tf, options }) {
      const scale = options.scale ?? 4;
      const border = options.border ?? scale;
      const downsample = options.downsample ?? 'matlab';
      return {
        compute: (input) => fidelity(tf, score, input, scale, border, downsample),
        protocol: { metric: name, channel: 'Y (BT.601, MATLAB rgb2ycbcr)', quantized: '8-bit', border, baseline: `bicubic x${scale} down and up (${downsample})`, ...(name === 'ssim' ? { window: 'gaussian 11, sigma 1.5', k1: 0.01, k2: 0.03 } : {}) },
      };
    },
  });
}

export const psnrMetric = fidelityMetric('psnr', psnrY, 'PSNR (dB)');
export const ssimMetric = fidelityMetric('ssim', ssimY, 'SSIM');
