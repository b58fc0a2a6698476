/**
 * An SRGAN spec on a folder of the user's photos, as a user writes it: images smaller than the crop, a
 * corrupt file, grayscale and colour mixed, a size the scale does not divide, and an `init` run that does not
 * fit all get a coded message with exit status 2 and no stack trace, before any step runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../packages/core/src/run/png.js';
import { tempDir } from '../engine/helpers.js';
import { runCli } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('gf-srgan-data-');
afterAll(() => tmp.cleanup());

/** A w x h PNG, gray or coloured. */
const image = (w: number, h: number, color: boolean) =>
  encodeImage({ data: Float32Array.from({ length: w * h * 3 }, (_, i) => (color ? ((i * 7) % 11) / 10 : Math.floor(i / 3) % 5 / 4)), shape: [1, h, w, 3], scale: 'unit' }, 0);

const unique = () => Math.random().toString(16).slice(2);
function folderOf(files: Record<string, [number, number, boolean] | string>): string {
  const dir = join(tmp.dir, `photos-${unique()}`);
  mkdirSync(dir, { recursive: true });
  for (const [file, what] of Object.entries(files)) writeFileSync(join(dir, file), typeof what === 'string' ? what : image(...what));
  return dir;
}

function spec(folder: string, o: { crop?: number; init?: string } = {}): string {
  const file = join(tmp.dir, `spec-${unique()}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name: 'sr-data',
      plugins: ['srgan'],
      data: { hr: { use: 'core/image-folder', options: { path: folder, crop: o.crop ?? 16, flip: true, rotate: true } } },
      models: { generator: { use: 'srgan/srresnet', options: { width: 4, blocks: 1, scale: 4 }, ...(o.init ? { init: o.init } : {}) } },
      objective: { use: 'srgan/srresnet' },
      training: { batchSize: 1, steps: 1, backend: 'cpu' },
      output: { dir: join(tmp.dir, 'runs', '{name}-{timestamp}') },
    }),
  );
  return file;
}

describe('ganforge train (srgan) on a folder of photos', () => {
  it.each([
    ['an image smaller than the crop', () => spec(folderOf({ 'a.png': [40, 30, true], 'b.png': [12, 40, true] })), /GF_DATA: The image b\.png in .* is 12x40, smaller than options\.crop 16/],
    ['a corrupt file', () => spec(folderOf({ 'a.png': [40, 30, true], 'c.jpg': 'not a jpeg' })), /GF_DATA: Cannot read the image c\.jpg/],
    ['grayscale and colour photos mixed', () => spec(folderOf({ 'a.png': [40, 30, true], 'g.png': [40, 30, false] })), /GF_DATA: Images in .* mix grayscale and colour: g\.png is grayscale/],
    ['a crop the scale does not divide', () => spec(folderOf({ 'a.png': [40, 30, true] }), { crop: 18 }), /GF_SPEC_CONFLICT: .*18x18 images, which the generator's factor 4 does not divide/],
    ['an init run that does not exist', () => spec(folderOf({ 'a.png': [40, 30, true] }), { init: 'no-such-run' }), /GF_RUN_DIR: init: no-such-run does not exist/],
  ])('%s: a coded message, exit 2, no stack', async (_what, make, message) => {
    const { exitCode, stderr } = await runCli(['train', make()], repo);
    expect(stderr).toMatch(message);
    expect(exitCode).toBe(2);
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
