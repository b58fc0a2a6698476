import { describe, expect, it } from 'vitest';
import { isGanforgeError, PluginRegistry, type DataSource } from '@ganforge/core';
import { entryOptions, silentLog, tf } from '@ganforge/core/testing';
import mnist from '@ganforge/plugin-mnist';
import typesetPlugin from './index.js';
import { FONT_IDS, loadFont } from './fonts.js';
import { typesetDataset } from './typeset-dataset.js';

type Batch = { x: Uint8Array; label: Int32Array };
// Options validated and defaulted by the core, as a spec's would be.
const open = (options: Record<string, unknown> = {}) =>
  typesetDataset.open({ tf, options: entryOptions(typesetDataset, options), specDir: process.cwd(), log: silentLog } as never) as DataSource;
const readAll = (source: DataSource) => source.read([...Array(source.info.size).keys()]) as Batch;

/** Mean intensity and mean centre of mass (row/column indices) of n 28x28 images. */
function stats(x: Uint8Array, n: number) {
  let mean = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    let mass = 0;
    let sx = 0;
    let sy = 0;
    for (let p = 0; p < 784; p++) {
      const v = x[i * 784 + p]!;
      mass += v;
      sx += v * (p % 28);
      sy += v * Math.floor(p / 28);
    }
    mean += mass / 784 / n;
    cx += sx / mass / n;
    cy += sy / mass / n;
  }
  return { mean, cx, cy };
}

describe('typeset/digits', () => {
  it('registers as a plugin under the namespace "typeset"', () => {
    const registry = new PluginRegistry();
    registry.register(typesetPlugin, { specifier: '@ganforge/plugin-typeset' });
    expect(registry.resolve('datasets', 'typeset/digits').entry).toBe(typesetDataset);
    expect(typesetPlugin.meta).toMatchObject({ name: '@ganforge/plugin-typeset', namespace: 'typeset', apiVersion: 1 });
  });

  it('serves 10,000 labelled 28x28 byte images by default, opening in a few seconds', () => {
    const started = performance.now();
    const source = open();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(source.info).toEqual({ size: 10_000, shape: [28, 28, 1], numClasses: 10 });
    expect(source.range).toEqual([0, 255]);
    const batch = source.read([0, 7, 9_999]) as Batch;
    expect(batch.x).toBeInstanceOf(Uint8Array);
    expect(batch.x.length).toBe(3 * 784);
    expect([...batch.label]).toEqual([0, 7, 9]);
    // White digit on black: bright ink, mostly background, dark border.
    const first = batch.x.subarray(0, 784);
    expect(Math.max(...first)).toBe(255);
    expect(first.filter((v) => v === 0).length).toBeGreaterThan(450);
    for (let i = 0; i < 28; i++) expect(first[i]).toBe(0);
  });

  it('is deterministic in (seed, index) and differs between seeds', () => {
    const a = open({ size: 50, seed: 3 });
    const b = open({ size: 50, seed: 3 });
    const c = open({ size: 50, seed: 4 });
    const indices = [0, 13, 49, 13];
    const pa = (a.read(indices) as Batch).x;
    // Read in a different order from a fresh source: the same pixels.
    const pb = (b.read([49, 13, 0]) as Batch).x;
    expect(pa.subarray(0, 784)).toEqual(pb.subarray(2 * 784, 3 * 784));
    expect(pa.subarray(784, 2 * 784)).toEqual(pb.subarray(784, 2 * 784));
    expect(pa.subarray(784, 2 * 784)).toEqual(pa.subarray(3 * 784));
    const pc = (c.read(indices) as Batch).x;
    expect(Buffer.from(pc).equals(Buffer.from(pa))).toBe(false);
    // A bigger dataset with the same seed holds the same first images.
    expect((open({ size: 60, seed: 3 }).read([13]) as Batch).x).toEqual(pa.subarray(784, 2 * 784));
  });

  it('holds every digit in equal proportion', () => {
    const { label } = readAll(open({ size: 1_000, seed: 1 }));
    const counts = Array.from({ length: 10 }, (_, d) => label.filter((l) => l === d).length);
    expect(counts).toEqual(Array(10).fill(100));
  });

  it('looks like MNIST: similar mean intensity, the same centre of mass, ink inside the frame', () => {
    const mnistEntry = mnist.datasets!.digits!;
    const real = mnistEntry.open({ tf, options: entryOptions(mnistEntry, { maxPerDigit: 100 }), specDir: '.', log: silentLog } as never) as DataSource;
    const m = stats(readAll(real).x, real.info.size);
    const typeset = readAll(open({ size: 1_000 }));
    const t = stats(typeset.x, 1_000);
    expect(t.mean / m.mean).toBeGreaterThan(0.8);
    expect(t.mean / m.mean).toBeLessThan(1.25);
    expect(Math.abs(t.cx - m.cx)).toBeLessThan(0.3);
    expect(Math.abs(t.cy - m.cy)).toBeLessThan(0.3);
    // MNIST leaves the outer 2-pixel border almost always black; so does the default jitter.
    let border = 0;
    for (let i = 0; i < 1_000; i++) {
      for (let p = 0; p < 784; p++) {
        const [r, c] = [Math.floor(p / 28), p % 28];
        if ((r < 1 || r > 26 || c < 1 || c > 26) && typeset.x[i * 784 + p]! > 0) border++;
      }
    }
    expect(border / 1_000).toBeLessThan(0.5);
  });

  it('applies jitter options: bolder strokes give more ink, slant moves ink, no jitter centres exactly', () => {
    const ink = (options: Record<string, unknown>) => stats(readAll(open({ size: 200, ...options })).x, 200).mean;
    expect(ink({ stroke: 1 })).toBeGreaterThan(ink({ stroke: 0 }) * 1.2);
    const plain = readAll(open({ size: 20, scaleJitter: 0, shiftJitter: 0, strokeJitter: 0, rotation: 0 })).x;
    const slanted = readAll(open({ size: 20, scaleJitter: 0, shiftJitter: 0, strokeJitter: 0, rotation: 0, slant: 0.4 })).x;
    expect(Buffer.from(plain).equals(Buffer.from(slanted))).toBe(false);
    const s = stats(plain, 20);
    expect(Math.abs(s.cx - 14)).toBeLessThan(0.3);
    expect(Math.abs(s.cy - 14)).toBeLessThan(0.3);
  });

  it('renders every font it lists, each with all ten digits', () => {
    for (const font of FONT_IDS) {
      const { x, label } = readAll(open({ size: 10, fonts: [font] }));
      expect([...label]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      for (let i = 0; i < 10; i++) expect(Math.max(...x.subarray(i * 784, (i + 1) * 784)), `${font} digit ${i}`).toBe(255);
    }
  });

  it.each([
    [{ size: 0 }, 'GF_SPEC_RANGE', /size/],
    [{ size: 1_000_000 }, 'GF_SPEC_RANGE', /size/],
    [{ seed: -1 }, 'GF_SPEC_RANGE', /seed/],
    [{ fonts: ['comic-sans'] }, 'GF_SPEC_ENUM', /fonts/],
    [{ fonts: [] }, 'GF_SPEC_RANGE', /fonts/],
    [{ rotation: 90 }, 'GF_SPEC_RANGE', /rotation/],
  ])('rejects bad options %j with a coded error', (options, code, message) => {
    try {
      open(options);
      expect.unreachable();
    } catch (error) {
      expect(isGanforgeError(error)).toBe(true);
      expect((error as { code: string }).code).toBe(code);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('rejects reads outside the dataset', () => {
    expect(() => open({ size: 3 }).read([3])).toThrow(expect.objectContaining({ code: 'GF_DATA' }));
  });

  it('reports a missing font package as GF_DATA with a hint', () => {
    const missing = { id: 'nope', family: 'Nope', style: 'sans' as const, package: '@ganforge/no-such-font-package', file: 'Nope.ttf', license: 'none' };
    try {
      loadFont(missing);
      expect.unreachable();
    } catch (error) {
      expect(isGanforgeError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'GF_DATA', hint: expect.stringMatching(/Reinstall/) });
    }
  });
});
