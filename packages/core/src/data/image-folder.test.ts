import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeStorage } from '../node/storage.js';
import type { DataSource, RawBatch, TF } from '../plugin/types.js';
import { imageFolderDataset } from './image-folder.js';
import { expectDataError } from './expect-data-error.testing.js';

const root = mkdtempSync(join(tmpdir(), 'ganforge-image-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Pixel = [number, number, number];
/** Writes an RGB(A) PNG whose pixel (x, y) is paint(x, y). */
function png(file: string, width: number, height: number, paint: (x: number, y: number) => Pixel): void {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set([...paint(x, y), 255], (y * width + x) * 4);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, PNG.sync.write(image));
}
function jpg(file: string, width: number, height: number, color: Pixel): void {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...color, 255], p * 4);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, jpeg.encode({ width, height, data }, 95).data);
}
function folder(name: string): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
}

const log = { info() {}, warn() {}, debug() {} };
const open = (options: Record<string, unknown>) =>
  imageFolderDataset.open({ tf: {} as TF, options: options as never, specDir: root, storage: nodeStorage(root), log }) as Promise<DataSource>;
const readAll = (source: DataSource) => source.read([...Array(source.info.size).keys()]) as RawBatch;

describe('core/image-folder', () => {
  it('reads one class per sub-folder, PNG and JPEG, in sorted order', async () => {
    const dir = folder('classes');
    png(join(dir, 'cats', 'b.png'), 8, 6, () => [255, 0, 0]);
    png(join(dir, 'cats', 'a.png'), 8, 6, () => [0, 255, 0]);
    jpg(join(dir, 'dogs', 'nested', 'c.jpg'), 8, 6, [0, 0, 255]);
    writeFileSync(join(dir, 'dogs', 'notes.txt'), 'not an image');
    writeFileSync(join(dir, 'cats', '.DS_Store'), 'hidden');
    const source = await open({ path: 'classes' });
    expect(source.info).toEqual({ size: 3, shape: [6, 8, 3], numClasses: 2 });
    expect(source.range).toEqual([0, 255]);
    const { x, label } = readAll(source);
    expect([...label!]).toEqual([0, 0, 1]);
    expect([...x.subarray(0, 3)]).toEqual([0, 255, 0]); // cats/a.png first
    expect([...x.subarray(144, 147)]).toEqual([255, 0, 0]); // then cats/b.png
    const blue = [...x.subarray(288, 291)];
    expect(blue[2]).toBeGreaterThan(240); // JPEG is lossy: nearly pure blue
    expect(blue[0]).toBeLessThan(15);
  });

  it('leaves images directly in the folder unlabelled', async () => {
    const dir = folder('flat');
    png(join(dir, '1.png'), 4, 4, () => [1, 2, 3]);
    png(join(dir, '2.PNG'), 4, 4, () => [4, 5, 6]);
    const source = await open({ path: join(root, 'flat') });
    expect(source.info).toEqual({ size: 2, shape: [4, 4, 3] });
    expect(readAll(source).label).toBeUndefined();
  });

  it('center-crops to a square before resizing, or stretches', async () => {
    const dir = folder('wide');
    // 8x4: red | green green | blue, in quarters
    png(join(dir, 'w.png'), 8, 4, (x) => (x < 2 ? [255, 0, 0] : x < 6 ? [0, 255, 0] : [0, 0, 255]));
    const cropped = readAll(await open({ path: 'wide', size: 4 })).x;
    for (let p = 0; p < 16; p++) expect([...cropped.subarray(p * 3, p * 3 + 3)]).toEqual([0, 255, 0]);
    const stretched = await open({ path: 'wide', size: 4, fit: 'stretch' });
    expect(stretched.info.shape).toEqual([4, 4, 3]);
    const x = readAll(stretched).x;
    expect(x[0]).toBeGreaterThan(200); // left column stays red
    expect(x[3 * 3 + 2]).toBeGreaterThan(200); // right column stays blue
  });

  it('takes random crop windows and flips for training reads, the centered window otherwise', async () => {
    const dir = folder('coords');
    // Red encodes x, green encodes y: every window and flip can be read back from the pixels.
    png(join(dir, 'c.png'), 6, 6, (x, y) => [x * 40, y * 40, 0]);
    const source = await open({ path: 'coords', crop: 4, flip: true, color: 'rgb' });
    expect(source.info.shape).toEqual([4, 4, 3]);
    const at = (x: ArrayLike<number>, px: number, py: number) => [x[(py * 4 + px) * 3]! / 40, x[(py * 4 + px) * 3 + 1]! / 40];
    // No randomness (held-out, fixed reads): the centered window, unflipped.
    const centered = (source.read([0]) as RawBatch).x;
    expect([at(centered, 0, 0), at(centered, 3, 3)]).toEqual([[1, 1], [4, 4]]);
    // Training reads: windows and flips follow the random numbers given.
    const draws = (...values: number[]) => ({ random: () => values.shift()! });
    const topLeftFlipped = (source.read([0], draws(0, 0, 0.2)) as RawBatch).x;
    expect([at(topLeftFlipped, 0, 0), at(topLeftFlipped, 3, 0)]).toEqual([[3, 0], [0, 0]]);
    const bottomRight = (source.read([0], draws(0.99, 0.99, 0.9)) as RawBatch).x;
    expect([at(bottomRight, 0, 0), at(bottomRight, 3, 3)]).toEqual([[2, 2], [5, 5]]);
    await expectDataError(() => open({ path: 'coords', crop: 7 }), /c\.png in coords is 6x6, smaller than options\.crop 7/);
    await expectDataError(() => open({ path: 'coords', size: 6, crop: 7 }), /options.crop 7 is larger than the images of coords \(6x6\)/);
  });

  it('by default keeps gray images gray and colour images colour, and names a folder that mixes both', async () => {
    const gray = folder('all-gray');
    png(join(gray, 'a.png'), 2, 2, (x) => [x * 100, x * 100, x * 100]);
    jpg(join(gray, 'b.jpg'), 2, 2, [90, 90, 90]);
    expect((await open({ path: 'all-gray' })).info.shape).toEqual([2, 2, 1]);
    const mixed = folder('mixed');
    png(join(mixed, 'a.png'), 2, 2, () => [50, 50, 50]);
    png(join(mixed, 'b.png'), 2, 2, () => [200, 10, 10]);
    await expectDataError(() => open({ path: 'mixed' }), /mix grayscale and colour: b.png is colour, but a.png is grayscale/);
    // Asked for one kind, every image is converted to it.
    expect((await open({ path: 'mixed', color: 'rgb' })).info.shape).toEqual([2, 2, 3]);
    expect((await open({ path: 'mixed', color: 'grayscale' })).info.shape).toEqual([2, 2, 1]);
  });

  it('averages when shrinking (no aliasing) and converts to grayscale', async () => {
    const dir = folder('checker');
    png(join(dir, 'c.png'), 4, 4, (x, y) => ((x + y) % 2 === 0 ? [255, 255, 255] : [0, 0, 0]));
    png(join(dir, 'd.png'), 4, 4, () => [255, 0, 0]);
    const source = await open({ path: 'checker', size: 2, color: 'grayscale' });
    expect(source.info.shape).toEqual([2, 2, 1]);
    const { x } = readAll(source);
    for (const v of x.subarray(0, 4)) expect(Math.abs(v - 128)).toBeLessThan(20);
    // pure red: luma 0.299 * 255
    expect([...x.subarray(4, 8)]).toEqual([76, 76, 76, 76]);
  });

  it('enlarges small images', async () => {
    const dir = folder('tiny');
    png(join(dir, 't.png'), 2, 2, () => [10, 20, 30]);
    const source = await open({ path: 'tiny', size: 5 });
    expect(source.info.shape).toEqual([5, 5, 3]);
    expect([...readAll(source).x.subarray(36, 39)]).toEqual([10, 20, 30]);
  });

  it('names a missing folder', async () => {
    await expectDataError(() => open({ path: 'no-such-folder' }), /no-such-folder.*does not exist/);
  });

  it('names an unreadable image', async () => {
    const dir = folder('broken');
    png(join(dir, 'good.png'), 4, 4, () => [0, 0, 0]);
    writeFileSync(join(dir, 'bad.png'), 'this is not a png');
    await expectDataError(() => open({ path: 'broken' }), /Cannot read the image bad\.png/);
    const truncated = folder('truncated');
    png(join(truncated, 'whole.png'), 16, 16, () => [9, 9, 9]);
    const bytes = PNG.sync.write(Object.assign(new PNG({ width: 16, height: 16 }), {}));
    writeFileSync(join(truncated, 'half.png'), bytes.subarray(0, 40));
    await expectDataError(() => open({ path: 'truncated' }), /half\.png/);
  });

  it('names the image of another size when no size is set, and resizes when it is', async () => {
    const dir = folder('mixed');
    png(join(dir, 'a.png'), 4, 4, () => [0, 0, 0]);
    png(join(dir, 'b.png'), 5, 3, () => [0, 0, 0]);
    await expectDataError(() => open({ path: 'mixed' }), /mixed sizes: b\.png is 5x3, but a\.png is 4x4/);
    expect((await open({ path: 'mixed', size: 4 })).info.size).toBe(2);
  });

  it('rejects an empty folder, a file, and images beside class folders', async () => {
    folder('empty');
    await expectDataError(() => open({ path: 'empty' }), /no PNG or JPEG/);
    writeFileSync(join(root, 'file.png'), 'x');
    await expectDataError(() => open({ path: 'file.png' }), /is a file/);
    const dir = folder('both');
    png(join(dir, 'top.png'), 4, 4, () => [0, 0, 0]);
    png(join(dir, 'cls', 'in.png'), 4, 4, () => [0, 0, 0]);
    await expectDataError(() => open({ path: 'both' }), /both images/);
  });

  it('rejects reads outside the dataset', async () => {
    const source = await open({ path: 'flat' });
    expect(() => source.read([2])).toThrow(expect.objectContaining({ code: 'GF_DATA' }));
  });
});

describe('core/image-folder: windows of images of any size', () => {
  it('reads crop windows of images of different sizes, and names an image smaller than the crop', async () => {
    const dir = folder('photos');
    png(join(dir, 'a.png'), 6, 5, (x, y) => [x * 40, y * 40, 0]);
    png(join(dir, 'b.png'), 9, 4, (x, y) => [x * 20, y * 20, 7]);
    const source = await open({ path: 'photos', crop: 4, color: 'rgb' });
    expect(source.info).toEqual({ size: 2, shape: [4, 4, 3] });
    // Held-out reads: each image's centered window at its own size.
    const { x } = readAll(source);
    expect([x[0]! / 40, x[1]! / 40]).toEqual([1, 0]); // a.png: left (6-4)/2 = 1, top floor((5-4)/2) = 0
    expect([x[48]! / 20, x[49]! / 20, x[50]]).toEqual([2, 0, 7]); // b.png: left floor((9-4)/2) = 2, top 0
    png(join(dir, 'c.png'), 3, 8, () => [0, 0, 0]);
    await expectDataError(() => open({ path: 'photos', crop: 4, color: 'rgb' }), /c\.png in photos is 3x8, smaller than options\.crop 4/);
  });

  it('turns training windows by random quarter turns', async () => {
    const dir = folder('turns');
    png(join(dir, 't.png'), 3, 3, (x, y) => [x * 40, y * 40, 0]);
    const source = await open({ path: 'turns', crop: 3, rotate: true, color: 'rgb' });
    const at = (x: ArrayLike<number>, px: number, py: number) => [x[(py * 3 + px) * 3]! / 40, x[(py * 3 + px) * 3 + 1]! / 40];
    // Draws: top, left, turns (no flip option, so no flip draw).
    const corners = (turn: number) => {
      const x = (source.read([0], { random: (() => { const v = [0, 0, turn]; return () => v.shift()!; })() }) as RawBatch).x;
      return [at(x, 0, 0), at(x, 2, 0)];
    };
    expect(corners(0)).toEqual([[0, 0], [2, 0]]);
    const turned = [corners(0.3), corners(0.6), corners(0.9)];
    // Each quarter turn moves a different corner to the top-left, and turns keep the pixels (a permutation).
    expect(new Set(turned.map((c) => JSON.stringify(c))).size).toBe(3);
    for (const c of turned) expect(JSON.stringify(c)).not.toBe(JSON.stringify([[0, 0], [2, 0]]));
    const held = (source.read([0]) as RawBatch).x;
    expect(at(held, 0, 0)).toEqual([0, 0]); // held-out reads stay upright
    await expectDataError(() => open({ path: 'wide', rotate: true }), /needs square images, but those of wide are 8x4/);
  });
});
