/**
 * `ganforge upscale` and loadUpscaler on a tiny trained SRResNet (x4): tiled output equals an untiled pass
 * (the tiles carry context as wide as the measured receptive field), and fails to without that context; a
 * 512x384 image becomes a 2048x1536 PNG; grayscale files go through an RGB model; bad input is a coded exit 2.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor4D } from '../../packages/core/src/plugin/types.js';
import { loadUpscaler, selfEnsemble, type LoadedUpscaler } from '../../packages/core/src/api/load-upscaler.js';
import { applyTiled } from '../../packages/core/src/api/tiles.js';
import { decodeImage } from '../../packages/core/src/data/decode-image.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { encodeImage } from '../../packages/core/src/run/png.js';
import srgan from '../../packages/plugin-srgan/src/index.js';
import { tinySpec, trainTiny } from '../../packages/plugin-srgan/src/testing/train-tiny.js';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'gf-srgan-upscale-'));
let runDir = '';
let upscaler: LoadedUpscaler;

/** A w x h PNG of smooth stripes (gray, or coloured), values in 0..255. */
function stripes(width: number, height: number, channels: 1 | 3): Uint8Array {
  const data = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = 0.5 + 0.4 * Math.sin((x + 2 * y + 7 * c) / 5);
  return encodeImage({ data, shape: [1, height, width, channels], scale: 'unit' }, 0);
}

beforeAll(async () => {
  const spec = tinySpec({ steps: 2, scale: 4, backend: 'wasm', output: { export: true, dir: 'sr' } });
  ({ result: { runDir } } = await trainTiny(spec, { dir: root }));
  upscaler = await loadUpscaler(runDir, undefined, { plugins: [srgan], backend: 'wasm' });
  mkdirSync(join(root, 'photos', 'more'), { recursive: true });
  writeFileSync(join(root, 'photos', 'big.png'), stripes(512, 384, 3));
  writeFileSync(join(root, 'photos', 'more', 'gray.png'), stripes(20, 12, 1));
  writeFileSync(join(root, 'broken.png'), 'not a png');
});
afterAll(() => {
  upscaler?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('loadUpscaler', () => {
  it('measures the scale and the receptive field, and tiles without seams', () => {
    expect(upscaler.scale).toBe(4);
    expect(upscaler.channels).toBe(3);
    // Width 4, one block: 9x9 head (4), 2 block convs + trunk conv (3), two 3x3 upsampling convs (1 + ½), a
    // 9x9 tail at x4 (1): about 10 input pixels, and never more than the probe's reach.
    expect(upscaler.pad).toBeGreaterThanOrEqual(8);
    expect(upscaler.pad).toBeLessThanOrEqual(16);
    const x = tf.randomUniform([1, 45, 38, 3], -1, 1, 'float32', 3) as Tensor4D;
    const whole = upscaler.upscale(x, { tile: Infinity });
    const tiled = upscaler.upscale(x, { tile: 16 });
    expect(tiled.shape).toEqual([1, 180, 152, 3]);
    const gap = tf.max(tf.abs(tf.sub(whole, tiled))).dataSync()[0]!;
    expect(gap).toBeLessThan(1e-5);
    // Without context the tile borders show: the test above can fail.
    const run = (t: Tensor4D) => upscaler.artifact.apply(t) as Tensor4D;
    const seamed = applyTiled(tf, run, x, { scale: 4, tile: 16, pad: 0 });
    expect(tf.max(tf.abs(tf.sub(whole, seamed))).dataSync()[0]!).toBeGreaterThan(1e-3);
    tf.dispose([x, whole, tiled, seamed]);
  });
});

describe('self-ensemble', () => {
  it('equals the model for a model that commutes with flips and turns, and averages the 8 otherwise', () => {
    const x = tf.randomUniform([1, 5, 5, 2], -1, 1, 'float32', 4) as Tensor4D;
    // Nearest-neighbour x2 commutes with every flip and quarter turn: the ensemble changes nothing.
    const nearest = (t: Tensor4D) => tf.image.resizeNearestNeighbor(t, [t.shape[1] * 2, t.shape[2] * 2]) as Tensor4D;
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(selfEnsemble(x, nearest), nearest(x)))).dataSync()[0]!);
    expect(gap).toBeLessThan(1e-6);
    // A model that adds a horizontal ramp does not commute: the 8 ramps (turned and mirrored) average to their mean, 0 here.
    const ramp = (t: Tensor4D) => tf.add(t, tf.reshape(tf.linspace(-1, 1, t.shape[2]), [1, 1, t.shape[2], 1])) as Tensor4D;
    const averaged = tf.tidy(() => tf.max(tf.abs(tf.sub(selfEnsemble(x, ramp), x))).dataSync()[0]!);
    expect(averaged).toBeLessThan(1e-6);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(ramp(x), x))).dataSync()[0]!)).toBeGreaterThan(0.5);
    x.dispose();
  });
});

describe('ganforge upscale', () => {
  it('turns a 512x384 image into a 2048x1536 PNG', async () => {
    const { exitCode, stdout, stderr } = await runCli(['upscale', 'sr', 'photos/big.png', '--out', 'big-x4.png', '--backend', 'wasm'], root);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('upscaled photos/big.png with "upscale" (x4) into big-x4.png');
    const out = decodeImage(readFileSync(join(root, 'big-x4.png')));
    expect([out.width, out.height]).toEqual([2048, 1536]);
  }, 120_000);

  it('upscales a folder (sub-folders kept, grayscale converted to the model\'s RGB) with progress', async () => {
    const { exitCode, stdout, stderr } = await runCli(['upscale', 'sr', 'photos', '--out', 'up', '--tile', '64', '--backend', 'wasm'], root);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('upscaled 2 images');
    expect(stderr).toContain('2/2 more/gray.png');
    const gray = decodeImage(readFileSync(join(root, 'up', 'more', 'gray.png')));
    expect([gray.width, gray.height]).toEqual([80, 48]);
    // --self-ensemble: same size, other pixels (the tiny net does not commute with flips and turns).
    const ensembled = await runCli(['upscale', 'sr', 'photos/more/gray.png', '--out', 'gray-x8.png', '--self-ensemble', '--backend', 'wasm'], root);
    expect(ensembled.exitCode).toBe(0);
    const x8 = decodeImage(readFileSync(join(root, 'gray-x8.png')));
    expect([x8.width, x8.height]).toEqual([80, 48]);
    expect(Buffer.compare(Buffer.from(x8.rgba), Buffer.from(gray.rgba))).not.toBe(0);
  }, 120_000);

  it('refuses bad input with coded errors and exit 2', async () => {
    const broken = await runCli(['upscale', 'sr', 'broken.png', '--out', 'x.png', '--backend', 'wasm'], root);
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/GF_DATA: .*broken.png cannot be read as an image/);
    const missing = await runCli(['upscale', 'sr', 'nope.png', '--out', 'x.png'], root);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/GF_USAGE: nope.png does not exist/);
    const tile = await runCli(['upscale', 'sr', 'photos', '--out', 'x', '--tile', '3'], root);
    expect(tile.exitCode).toBe(2);
    expect(tile.stderr).toMatch(/--tile must be a whole number of at least 8/);
    for (const r of [broken, missing, tile]) expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
