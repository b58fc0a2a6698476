/**
 * core/image-folder with `pairs`: each image read with its paired image, matched by name, under the same
 * (scaled) crop window, flip and turn; whole examples for evaluation; coded errors naming the file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeStorage } from '../node/storage.js';
import { xorshift32 } from '../engine/xorshift.js';
import type { DataSource, RawBatch, TF, WholeExample } from '../plugin/types.js';
import { imageFolderDataset } from './image-folder.js';
import { DataStream } from './pipeline.js';
import { expectDataError } from './expect-data-error.testing.js';

const root = mkdtempSync(join(tmpdir(), 'ganforge-image-pairs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Rgb {
  width: number;
  height: number;
  data: Uint8Array; // RGB
}

function writePng(file: string, { width, height, data }: Rgb): void {
  const image = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) image.data.set([data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!, 255], p * 4);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, PNG.sync.write(image));
}

/** Random colour pixels (so every window, flip and turn looks different). */
function noise(width: number, height: number, seed: number): Rgb {
  const next = xorshift32(seed);
  return { width, height, data: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(next() * 256)) };
}

/** The exact r x r block average, rounded: what the low-res pair of `hr` holds. */
function average(hr: Rgb, r: number, channels = 3): Rgb {
  const width = hr.width / r;
  const height = hr.height / r;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let dy = 0; dy < r; dy++) for (let dx = 0; dx < r; dx++) sum += hr.data[((y * r + dy) * hr.width + x * r + dx) * channels + c]!;
        data[(y * width + x) * channels + c] = Math.round(sum / (r * r));
      }
    }
  }
  return { width, height, data };
}

const log = { info() {}, warn() {}, debug() {} };
const open = (options: Record<string, unknown>) =>
  imageFolderDataset.open({ tf: {} as TF, options: options as never, specDir: root, storage: nodeStorage(root), log }) as Promise<DataSource>;

/** Writes HR images of the given sizes and their 2x2-averaged LR pairs (LR names in upper-case .PNG). */
function pairFolder(name: string, sizes: [number, number][], r = 2): { hr: Rgb[]; dir: string } {
  const dir = join(root, name);
  const hr = sizes.map(([w, h], i) => noise(w, h, 11 + i));
  hr.forEach((image, i) => {
    writePng(join(dir, 'HR', `img${i}.png`), image);
    writePng(join(dir, 'LR', `img${i}.PNG`), average(image, r));
  });
  return { hr, dir };
}

describe('core/image-folder pairs', () => {
  it('reads each random crop with its pair under the same window, flip and turn', async () => {
    pairFolder('aligned', [[20, 16], [24, 22], [18, 18]]);
    const source = await open({ path: 'aligned/HR', pairs: { path: 'aligned/LR' }, crop: 8, flip: true, rotate: true });
    expect(source.info).toEqual({ size: 3, shape: [8, 8, 3], pair: { shape: [4, 4, 3] } });
    const next = xorshift32(7);
    let checked = 0;
    const seen = new Set<string>();
    for (let read = 0; read < 40; read++) {
      const batch = source.read([0, 1, 2], { random: next }) as RawBatch;
      expect(batch.pair).toHaveLength(3 * 4 * 4 * 3);
      for (let i = 0; i < 3; i++) {
        const hr: Rgb = { width: 8, height: 8, data: batch.x.subarray(i * 192, (i + 1) * 192) as Uint8Array };
        const lr = batch.pair!.subarray(i * 48, (i + 1) * 48);
        // The window, flip and turn of the HR crop, averaged 2x2, is its LR crop: they show the same scene.
        expect(Array.from(average(hr, 2).data)).toEqual(Array.from(lr));
        seen.add(Array.from(hr.data.subarray(0, 6)).join());
        checked++;
      }
    }
    expect(checked).toBe(120);
    expect(seen.size).toBeGreaterThan(30); // windows really moved (and flipped/turned)
  });

  it('reads held-out windows centered on the pair grid, and whole examples at full size', async () => {
    const { hr } = pairFolder('whole', [[22, 14], [16, 20]]);
    const source = await open({ path: 'whole/HR', pairs: { path: 'whole/LR' }, crop: 8 });
    const batch = source.read([0]) as RawBatch;
    // 22x14: offsets floor(floor((22-8)/2)/2)*2 = 6 (x), floor(floor((14-8)/2)/2)*2 = 2 (y).
    const expected = new Uint8Array(8 * 8 * 3);
    for (let y = 0; y < 8; y++) expected.set(hr[0]!.data.subarray(((2 + y) * 22 + 6) * 3, ((2 + y) * 22 + 14) * 3), y * 24);
    expect(Array.from(batch.x)).toEqual(Array.from(expected));
    expect(Array.from(average({ width: 8, height: 8, data: batch.x as Uint8Array }, 2).data)).toEqual(Array.from(batch.pair!));
    const whole = (await source.readWhole!(1)) as WholeExample;
    expect(whole.shape).toEqual([20, 16, 3]);
    expect(whole.pairShape).toEqual([10, 8, 3]);
    expect(Array.from(whole.x)).toEqual(Array.from(hr[1]!.data));
    expect(Array.from(whole.pair!)).toEqual(Array.from(average(hr[1]!, 2).data));
  });

  it('hands pairs to the pipeline scaled like the images, in batches and whole', async () => {
    pairFolder('stream', [[16, 16], [16, 16], [16, 16], [16, 16]]);
    const source = await open({ path: 'stream/HR', pairs: { path: 'stream/LR' } });
    const stream = new DataStream({ name: 'hr', source, batchSize: 2, seed: 3, validationSplit: 0.5 });
    expect(stream.info.pair).toEqual({ shape: [8, 8, 3] });
    await stream.ready();
    const batch = stream.take();
    expect(batch.pairShape).toEqual([2, 8, 8, 3]);
    for (const v of [...batch.x, ...batch.pair!]) expect(v >= -1 && v <= 1).toBe(true);
    const raw = source.read(stream.indicesOf(0)) as RawBatch;
    expect(batch.pair![5]).toBeCloseTo((raw.pair![5]! / 255) * 2 - 1, 6);
    const whole = await stream.whole(stream.validationIndices[0]!);
    expect(whole.shape).toEqual([1, 16, 16, 3]);
    expect(whole.pairShape).toEqual([1, 8, 8, 3]);
    await stream.close();
  });

  it('pairs equal-size images too, resized together', async () => {
    const dir = join(root, 'same');
    writePng(join(dir, 'A', 'x.png'), noise(12, 10, 1));
    writePng(join(dir, 'B', 'x.PNG'), noise(12, 10, 2));
    const source = await open({ path: 'same/A', pairs: { path: 'same/B' }, size: 6 });
    expect(source.info.pair).toEqual({ shape: [6, 6, 3] });
  });

  it('names an image without a pair, and a pair without an image', async () => {
    pairFolder('missing', [[8, 8], [8, 8]]);
    writePng(join(root, 'missing', 'HR', 'lonely.png'), noise(8, 8, 3));
    await expectDataError(() => open({ path: 'missing/HR', pairs: { path: 'missing/LR' } }), /lonely\.png in missing\/HR has no pair/, /missing\/LR holds no lonely\./);
    pairFolder('stray', [[8, 8]]);
    writePng(join(root, 'stray', 'LR', 'extra.png'), noise(4, 4, 3));
    await expectDataError(() => open({ path: 'stray/HR', pairs: { path: 'stray/LR' } }), /extra\.png in stray\/LR pairs no image/);
  });

  it('names a pair whose size is no integer factor of its image, or another factor than the others', async () => {
    const dir = join(root, 'ratio');
    writePng(join(dir, 'HR', 'a.png'), noise(16, 16, 1));
    writePng(join(dir, 'LR', 'a.png'), noise(8, 8, 1));
    writePng(join(dir, 'HR', 'b.png'), noise(16, 16, 2));
    writePng(join(dir, 'LR', 'b.png'), noise(7, 7, 2));
    await expectDataError(() => open({ path: 'ratio/HR', pairs: { path: 'ratio/LR' } }), /b\.png \(7x7\) in ratio\/LR/, /b\.png \(16x16\) in ratio\/HR/, /not an integer factor/);
    writePng(join(dir, 'LR', 'b.png'), noise(4, 4, 2));
    await expectDataError(() => open({ path: 'ratio/HR', pairs: { path: 'ratio/LR' } }), /b\.png \(4x4\).*4x smaller.*earlier pairs are 2x smaller/);
    writePng(join(dir, 'LR', 'b.png'), noise(8, 4, 2));
    await expectDataError(() => open({ path: 'ratio/HR', pairs: { path: 'ratio/LR' } }), /b\.png \(8x4\).*not an integer factor/);
  });

  it('refuses a crop the pair grid does not divide, and resizing pairs of another size', async () => {
    pairFolder('grid', [[16, 16]]);
    await expectDataError(() => open({ path: 'grid/HR', pairs: { path: 'grid/LR' }, crop: 7 }), /options\.crop 7 is not a multiple of 2/);
    await expectDataError(() => open({ path: 'grid/HR', pairs: { path: 'grid/LR' }, size: 8 }), /options\.size .* 2x smaller/);
  });
});
