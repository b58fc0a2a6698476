/**
 * A CycleGAN spec on two image folders, as a user writes it: every data mistake is a coded, located
 * message with exit status 2 and no stack trace, before any step runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../packages/core/src/run/png.js';
import { tempDir } from '../engine/helpers.js';
import { runCli } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('gf-cyclegan-data-');
afterAll(() => tmp.cleanup());

/** An 8x8 PNG, gray or red. */
const image = (color: boolean) =>
  encodeImage({ data: Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => (color ? (i % 3 === 0 ? 1 : 0) : 0.5)), shape: [1, 8, 8, 3], scale: 'unit' }, 0);

function folderOf(name: string, files: Record<string, boolean>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, color] of Object.entries(files)) writeFileSync(join(dir, file), image(color));
  return dir;
}

function spec(a: string, b: string, streams: { gBAfrom?: string } = {}): string {
  const file = join(tmp.dir, `spec-${Math.random().toString(16).slice(2)}.json`);
  const net = (from: string, to: string) => ({ use: 'cyclegan/resnet-generator', options: { width: 4, blocks: 1, from, to } });
  writeFileSync(
    file,
    JSON.stringify({
      name: 'cg-data',
      plugins: ['cyclegan'],
      data: { a: { use: 'core/image-folder', options: { path: a, size: 8 } }, b: { use: 'core/image-folder', options: { path: b, size: 8 } } },
      models: {
        gAB: net('a', 'b'),
        gBA: net(streams.gBAfrom ?? 'b', 'a'),
        dA: { use: 'cyclegan/patchgan', options: { width: 4, layers: 1, stream: 'a' } },
        dB: { use: 'cyclegan/patchgan', options: { width: 4, layers: 1, stream: 'b' } },
      },
      objective: { use: 'cyclegan/cyclegan' },
      training: { batchSize: 1, steps: 1, backend: 'cpu' },
      output: { dir: join(tmp.dir, 'runs', '{name}-{timestamp}') },
    }),
  );
  return file;
}

const good = () => folderOf(`good-${Math.random().toString(16).slice(2)}`, { 'x.png': false, 'y.png': false });

describe('ganforge train on two image folders', () => {
  it.each([
    ['a missing folder', () => spec(join(tmp.dir, 'nowhere'), good()), /GF_DATA: The image folder .*nowhere does not exist/],
    ['a folder with no images', () => spec(folderOf('empty', {}), good()), /GF_DATA: .*empty/],
    ['a folder mixing grayscale and colour images', () => spec(folderOf('mixed', { 'a.png': false, 'b.png': true }), good()), /GF_DATA: Images in .*mixed mix grayscale and colour/],
    ['a generator reading a stream the spec does not define', () => spec(good(), good(), { gBAfrom: 'c' }), /GF_(SPEC|PLUGIN|DATA)[A-Z_]*: .*"c"/],
  ])('%s: a coded message, exit 2, no stack', async (_what, make, message) => {
    const { exitCode, stderr } = await runCli(['train', make()], repo);
    expect(stderr).toMatch(message);
    expect(exitCode).toBe(2);
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // a stack frame (the "at <json path>" line is the location)
  });
});
