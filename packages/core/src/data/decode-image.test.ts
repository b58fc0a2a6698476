import { encode, type ImageData } from 'fast-png';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image.js';

/** Deterministic samples below 2^depth. */
function samples(count: number, depth: number, seed: number): Uint8Array | Uint16Array {
  const out = depth === 16 ? new Uint16Array(count) : new Uint8Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 8) % 2 ** depth;
  }
  return out;
}

/** Rows of `width` samples at `depth` bits, packed MSB first, each row starting on a byte (as PNG stores them). */
function pack(values: ArrayLike<number>, width: number, height: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * rowBytes + (bit >> 3)]! |= values[y * width + x]! << (8 - depth - (bit & 7));
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inserts a tRNS chunk (transparent colour) right before the first IDAT: fast-png writes none for gray/RGB. */
function withTransparentColor(png: Uint8Array, color: number[]): Uint8Array {
  const body = new Uint8Array(4 + color.length * 2);
  body.set([0x74, 0x52, 0x4e, 0x53]); // "tRNS"
  color.forEach((v, i) => new DataView(body.buffer).setUint16(4 + i * 2, v));
  const chunk = new Uint8Array(12 + color.length * 2);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, color.length * 2);
  chunk.set(body, 4);
  view.setUint32(8 + color.length * 2, crc32(body));
  const idat = Buffer.from(png).indexOf('IDAT') - 4;
  return new Uint8Array([...png.subarray(0, idat), ...chunk, ...png.subarray(idat)]);
}

function pngjsRgba(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(PNG.sync.read(Buffer.from(bytes)).data);
}

const W = 7;
const H = 5;
function image(channels: number, depth: 1 | 2 | 4 | 8 | 16, seed: number, extra: Partial<ImageData> = {}): ImageData {
  const values = samples(W * H * channels, depth, seed);
  return { width: W, height: H, channels, depth, data: depth < 8 ? pack(values, W * channels, H, depth) : values, ...extra };
}

describe('decodeImage (fast-png) gives the RGBA bytes pngjs gave', () => {
  const cases: [string, Uint8Array][] = [];
  for (const depth of [1, 2, 4, 8, 16] as const) cases.push([`gray ${depth}-bit`, encode(image(1, depth, depth))]);
  for (const depth of [8, 16] as const) {
    cases.push([`gray+alpha ${depth}-bit`, encode(image(2, depth, 20 + depth))]);
    cases.push([`rgb ${depth}-bit`, encode(image(3, depth, 30 + depth))]);
    cases.push([`rgba ${depth}-bit`, encode(image(4, depth, 40 + depth))]);
  }
  for (const depth of [1, 2, 4, 8] as const) {
    const colors = 2 ** depth;
    const rgb = Array.from({ length: colors }, (_, i) => [(i * 37) % 256, (i * 91) % 256, (i * 13) % 256]);
    cases.push([`palette ${depth}-bit`, encode(image(1, depth, 50 + depth, { palette: rgb }))]);
    cases.push([`palette ${depth}-bit with alpha`, encode(image(1, depth, 60 + depth, { palette: rgb.map((c, i) => [...c, (i * 71) % 256]) }))]);
  }
  cases.push(['gray 8-bit, transparent colour', withTransparentColor(encode(image(1, 8, 70, { data: new Uint8Array(W * H).map((_, i) => i % 3) })), [1])]);
  cases.push(['gray 4-bit, transparent colour', withTransparentColor(encode(image(1, 4, 71, { data: pack(new Uint8Array(W * H).map((_, i) => i % 4), W, H, 4) })), [2])]);
  cases.push(['rgb 8-bit, transparent colour', withTransparentColor(encode(image(3, 8, 72, { data: new Uint8Array(W * H * 3).map((_, i) => Math.floor(i / 3) % 2) })), [1, 1, 1])]);
  cases.push(['rgb 16-bit, transparent colour', withTransparentColor(encode(image(3, 16, 73, { data: new Uint16Array(W * H * 3).map((_, i) => Math.floor(i / 3) % 2) })), [0, 0, 0])]);
  cases.push(['rgba 8-bit, interlaced', encode(image(4, 8, 80), { interlace: 'Adam7' })]);
  cases.push(['gray 8-bit, interlaced', encode(image(1, 8, 81), { interlace: 'Adam7' })]);
  const written = new PNG({ width: W, height: H });
  written.data.set(samples(W * H * 4, 8, 90));
  cases.push(['written by pngjs', new Uint8Array(PNG.sync.write(written))]);

  it.each(cases)('%s', (_, bytes) => {
    const ours = decodeImage(bytes);
    expect([ours.width, ours.height]).toEqual([W, H]);
    expect(Buffer.from(ours.rgba).equals(Buffer.from(pngjsRgba(bytes)))).toBe(true);
  });

  it('the transparent-colour cases really hide pixels', () => {
    const rgba = decodeImage(cases.find(([name]) => name === 'rgb 8-bit, transparent colour')![1]).rgba;
    expect(rgba[3]).toBe(255);
    expect([...rgba.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  });

  it('rejects damaged bytes (bad checksum, truncation)', () => {
    const bytes = encode(image(3, 8, 1));
    const corrupt = bytes.slice();
    corrupt[bytes.length - 20]! ^= 0xff;
    expect(() => decodeImage(corrupt)).toThrow();
    expect(() => decodeImage(bytes.subarray(0, 40))).toThrow();
  });
});
