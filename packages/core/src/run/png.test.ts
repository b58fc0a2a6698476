import { decode } from 'fast-png';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodeGrid, encodeImage, type ImageBatch } from './png.js';

/** Both decoders read our bytes (pngjs wrote these files before fast-png did) and agree on every pixel. */
function pixels(png: Uint8Array): { width: number; height: number; rgba: number[] } {
  const viaPngjs = PNG.sync.read(Buffer.from(png));
  const viaFastPng = decode(png);
  expect([viaFastPng.width, viaFastPng.height, viaFastPng.channels, viaFastPng.depth]).toEqual([viaPngjs.width, viaPngjs.height, 4, 8]);
  expect([...viaFastPng.data]).toEqual([...viaPngjs.data]);
  return { width: viaPngjs.width, height: viaPngjs.height, rgba: [...viaPngjs.data] };
}

describe('png encoding', () => {
  it('lays out a grid with 1-pixel transparent gaps, grey spread to RGB, tanh scaled to 0..255', () => {
    // three 1x2 grey images: 2 columns, 2 rows
    const batch: ImageBatch = { data: Float32Array.from([-1, 1, 0, 0.5, 1, -1]), shape: [3, 1, 2, 1], scale: 'tanh' };
    const png = encodeGrid(batch);
    expect(png).toBeInstanceOf(Uint8Array);
    const grey = (v: number) => [v, v, v, 255];
    const gap = [0, 0, 0, 0];
    expect(pixels(png)).toEqual({
      width: 5,
      height: 3,
      rgba: [
        ...[grey(0), grey(255), gap, grey(128), grey(191)].flat(),
        ...[gap, gap, gap, gap, gap].flat(),
        ...[grey(255), grey(0), gap, gap, gap].flat(),
      ],
    });
  });

  it('encodes one image of a batch, RGBA in the unit scale', () => {
    const batch: ImageBatch = { data: Float32Array.from([0, 0, 0, 0, 1, 0.5, 0.25, 1]), shape: [2, 1, 1, 4], scale: 'unit' };
    expect(pixels(encodeImage(batch, 1))).toEqual({ width: 1, height: 1, rgba: [255, 128, 64, 255] });
  });
});
