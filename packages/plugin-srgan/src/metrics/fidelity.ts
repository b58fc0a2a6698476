/**
 * PSNR and SSIM as super-resolution papers report them (SRGAN, EDSR, …): on the luma channel Y of
 * ITU-R BT.601 (MATLAB's rgb2ycbcr: Y = 16 + 65.481 R + 128.553 G + 24.966 B for R, G, B in [0, 1]), after
 * both images are rounded to 8 bits (as saved PNGs) and `border` pixels are cut from every side (the
 * upscaling factor: border pixels lack context). SSIM is Wang et al. 2004: 11x11 Gaussian window σ = 1.5,
 * K1 = 0.01, K2 = 0.03, L = 255, over the valid region, averaged. Everything in float64 on the CPU: exact,
 * and independent of the backend that made the images.
 */

/** One image as 8-bit values, [height, width, channels] row-major (channels 1 or 3). */
export interface Image8 {
  data: Uint8Array | Uint8ClampedArray | Float32Array | Float64Array;
  height: number;
  width: number;
  channels: number;
}

/** The luma plane (float64, 0..255 scale) of an 8-bit image without `border` pixels on every side. Gray images are their own luma. */
export function lumaPlane(image: Image8, border: number): { y: Float64Array; height: number; width: number } {
  const { data, width, channels } = image;
  const height = image.height - 2 * border;
  const w = width - 2 * border;
  if (height < 1 || w < 1) throw new RangeError(`a ${width}x${image.height} image has nothing left after cutting a border of ${border}`);
  const y = new Float64Array(height * w);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < w; c++) {
      const p = ((r + border) * width + c + border) * channels;
      y[r * w + c] = channels === 1 ? data[p]! : 16 + (65.481 * data[p]! + 128.553 * data[p + 1]! + 24.966 * data[p + 2]!) / 255;
    }
  }
  return { y, height, width: w };
}

function checkPair(a: Image8, b: Image8): void {
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    throw new RangeError(`images differ in shape: ${a.width}x${a.height}x${a.channels} vs ${b.width}x${b.height}x${b.channels}`);
  }
}

/** Peak signal-to-noise ratio of `test` against `reference` on Y (dB); Infinity for identical images. */
export function psnrY(reference: Image8, test: Image8, border: number): number {
  checkPair(reference, test);
  const a = lumaPlane(reference, border).y;
  const b = lumaPlane(test, border).y;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  const mse = sum / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

const WINDOW = 11;
const SIGMA = 1.5;
const GAUSS = (() => {
  const half = (WINDOW - 1) / 2;
  const g = Float64Array.from({ length: WINDOW }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * SIGMA * SIGMA)));
  const total = g.reduce((s, v) => s + v, 0);
  return g.map((v) => v / total);
})();

/** Separable Gaussian filter over the valid region: [h - 10, w - 10]. */
function filterValid(x: Float64Array, h: number, w: number): Float64Array {
  const oh = h - WINDOW + 1;
  const ow = w - WINDOW + 1;
  const rows = new Float64Array(h * ow);
  for (let r = 0; r < h; r++)
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += GAUSS[k]! * x[r * w + c + k]!;
      rows[r * ow + c] = s;
    }
  const out = new Float64Array(oh * ow);
  for (let r = 0; r < oh; r++)
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += GAUSS[k]! * rows[(r + k) * ow + c]!;
      out[r * ow + c] = s;
    }
  return out;
}

/** Mean structural similarity of `test` against `reference` on Y (1 for identical images). */
export function ssimY(reference: Image8, test: Image8, border: number): number {
  checkPair(reference, test);
  const { y: a, height: h, width: w } = lumaPlane(reference, border);
  const { y: b } = lumaPlane(test, border);
  if (h < WINDOW || w < WINDOW) throw new RangeError(`SSIM needs at least ${WINDOW}x${WINDOW} pixels after the border cut, not ${w}x${h}`);
  const product = (p: Float64Array, q: Float64Array) => p.map((v, i) => v * q[i]!);
  const [muA, muB] = [filterValid(a, h, w), filterValid(b, h, w)];
  const [aa, bb, ab] = [filterValid(product(a, a), h, w), filterValid(product(b, b), h, w), filterValid(product(a, b), h, w)];
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let sum = 0;
  for (let i = 0; i < muA.length; i++) {
    const ma = muA[i]!;
    const mb = muB[i]!;
    const va = aa[i]! - ma * ma;
    const vb = bb[i]! - mb * mb;
    const cov = ab[i]! - ma * mb;
    sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
  }
  return sum / muA.length;
}

/** Images of a batch in a pixel range (e.g. [-1, 1]), rounded to 8 bits as a PNG would hold them. */
export function to8bit(data: ArrayLike<number>, [n, height, width, channels]: readonly number[], range: readonly [number, number]): Image8[] {
  const [lo, hi] = range;
  const size = height! * width! * channels!;
  return Array.from({ length: n! }, (_, i) => {
    const out = new Uint8Array(size);
    for (let p = 0; p < size; p++) out[p] = Math.max(0, Math.min(255, Math.round(((data[i * size + p]! - lo) / (hi - lo)) * 255)));
    return { data: out, height: height!, width: width!, channels: channels! };
  });
}
