/**
 * PNG and JPEG decoding to RGBA bytes, with the format told by the file's first bytes (not its name). Both
 * decoders are pure JavaScript (fast-png, jpeg-js), so this runs on any platform. Every PNG flavour (gray,
 * palette, 16-bit, alpha, transparent colour) becomes 8-bit RGBA exactly as pngjs made it before:
 * samples scaled with floor(v * 255 / max + 0.5), and a pixel equal to the tRNS colour becomes (0, 0, 0, 0).
 */
import { decode as decodePng, type DecodedPng } from 'fast-png';
import jpeg from 'jpeg-js';

export interface DecodedImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, RGBA, row-major. */
  rgba: Uint8Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

export type ImageFormat = 'png' | 'jpeg';

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(PNG_MAGIC)) return 'png';
  if (starts(JPEG_MAGIC)) return 'jpeg';
  return undefined;
}

/** Decodes a PNG or JPEG file's bytes; throws a plain Error when the bytes are neither or are damaged. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const format = sniffImageFormat(bytes);
  if (format === 'png') {
    const png = decodePng(bytes, { checkCrc: true });
    return { width: png.width, height: png.height, rgba: pngToRgba(png) };
  }
  if (format === 'jpeg') {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return { width: image.width, height: image.height, rgba: image.data };
  }
  throw new Error('not a PNG or JPEG file (its first bytes match neither format)');
}

/** fast-png's samples (any depth, 1–4 channels or palette indices) → 8-bit RGBA. */
function pngToRgba(png: DecodedPng): Uint8Array {
  const { width, height, depth, channels } = png;
  const samples = unpackSamples(png);
  const rgba = new Uint8Array(width * height * 4);
  if (png.palette) {
    for (let p = 0; p < width * height; p++) {
      const color = png.palette[samples[p]!];
      if (!color) throw new Error(`index ${samples[p]} not in palette`);
      rgba[p * 4] = color[0]!;
      rgba[p * 4 + 1] = color[1]!;
      rgba[p * 4 + 2] = color[2]!;
      rgba[p * 4 + 3] = color[3] ?? 255;
    }
    return rgba;
  }
  const max = 2 ** depth - 1;
  const scale = (v: number) => (depth === 8 ? v : Math.floor((v * 255) / max + 0.5));
  const transparent = png.transparency;
  const color = channels >= 3;
  const alpha = channels === 2 || channels === 4;
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    const r = samples[s]!;
    const g = color ? samples[s + 1]! : r;
    const b = color ? samples[s + 2]! : r;
    const a = alpha ? samples[s + channels - 1]! : max;
    // The tRNS colour is compared on the raw samples (before scaling), as the PNG spec says.
    const hidden = transparent !== undefined && (color ? transparent[0] === r && transparent[1] === g && transparent[2] === b : transparent[0] === r);
    rgba[p * 4] = hidden ? 0 : scale(r);
    rgba[p * 4 + 1] = hidden ? 0 : scale(g);
    rgba[p * 4 + 2] = hidden ? 0 : scale(b);
    rgba[p * 4 + 3] = hidden ? 0 : scale(a);
  }
  return rgba;
}

/** One number per sample: depths below 8 arrive packed, each row starting on a byte boundary. */
function unpackSamples(png: DecodedPng): ArrayLike<number> {
  const { width, height, depth, channels, data } = png;
  if (depth >= 8) return data;
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(perRow * height);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < perRow; i++) {
      const bit = i * depth;
      const byte = data[y * rowBytes + (bit >> 3)]!;
      out[y * perRow + i] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}
