/**
 * SRResNet on a folder of ready LR/HR pairs, as a user runs it: `ganforge train` on core/image-folder with
 * `pairs` (random crops, flips and turns, aligned), then `ganforge eval` scoring PSNR/SSIM on the held-out
 * pairs at full size with the bicubic baseline of the ready LR images; pairing mistakes are coded (exit 2).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '../../packages/core/src/engine/tf.js';
import { encodeImage } from '../../packages/core/src/run/png.js';
import { bicubicResize } from '../../packages/plugin-srgan/src/bicubic.js';
import { psnrY, to8bit } from '../../packages/plugin-srgan/src/metrics/fidelity.js';
import { tempDir } from '../engine/helpers.js';
import { runCli } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('gf-srgan-pairs-');
afterAll(() => tmp.cleanup());

interface Bytes {
  w: number;
  h: number;
  data: Uint8Array; // RGB
}

/** Smooth colour patterns, different per image (bytes). */
const photo = (w: number, h: number, k: number): Bytes => ({
  w,
  h,
  data: Uint8Array.from({ length: w * h * 3 }, (_, i) => {
    const [p, c] = [Math.floor(i / 3), i % 3];
    const [x, y] = [p % w, Math.floor(p / w)];
    return Math.round(127.5 + 120 * Math.sin((x * (1 + k)) / 5 + c) * Math.cos((y * (2 + c)) / 6 + k));
  }),
});

/** The exact r x r block average, rounded (ready LR images). */
const average = (hr: Bytes, r: number): Bytes => {
  const [w, h] = [Math.floor(hr.w / r), Math.floor(hr.h / r)];
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < r; dy++) for (let dx = 0; dx < r; dx++) sum += hr.data[((y * r + dy) * hr.w + x * r + dx) * 3 + c]!;
        data[(y * w + x) * 3 + c] = Math.round(sum / (r * r));
      }
    }
  }
  return { w, h, data };
};

const png = ({ w, h, data }: Bytes) => encodeImage({ data: Float32Array.from(data, (v) => v / 255), shape: [1, h, w, 3], scale: 'unit' }, 0);

const unique = () => Math.random().toString(16).slice(2);

/** HR/ and LR/ folders of `count` 24x20 photos and their averages (`lr` may replace one LR image). */
function pairsFolder(count: number, o: { r?: number; lr?: Record<string, Bytes>; extraHr?: string } = {}): { dir: string; hr: Bytes[] } {
  const dir = join(tmp.dir, `pairs-${unique()}`);
  mkdirSync(join(dir, 'HR'), { recursive: true });
  mkdirSync(join(dir, 'LR'), { recursive: true });
  const hr = Array.from({ length: count }, (_, k) => photo(24, 20, k));
  hr.forEach((image, k) => {
    writeFileSync(join(dir, 'HR', `p${k}.png`), png(image));
    writeFileSync(join(dir, 'LR', `p${k}.PNG`), png(o.lr?.[`p${k}`] ?? average(image, o.r ?? 2)));
  });
  if (o.extraHr) writeFileSync(join(dir, 'HR', o.extraHr), png(photo(24, 20, 9)));
  return { dir, hr };
}

const fidelity = (name: string) => ({ use: `srgan/${name}`, options: { scale: 2 } });

function specFile(dir: string, o: { evaluation?: boolean; augment?: boolean } = {}): string {
  const file = join(dir, 'spec.json');
  // Relative paths, as users write them: the run records the spec's folder, so `ganforge eval` reads the same images.
  const at = (folder: string) => `./${folder}`;
  writeFileSync(
    file,
    JSON.stringify({
      name: 'sr-pairs',
      plugins: o.augment ? ['srgan', 'augment'] : ['srgan'],
      ...(o.augment ? { augment: [{ use: 'augment/flip' }] } : {}),
      data: { hr: { use: 'core/image-folder', options: { path: at('HR'), pairs: { path: at('LR') }, crop: 16, flip: true, rotate: true }, validationSplit: 0.34 } },
      models: { generator: { use: 'srgan/srresnet', options: { width: 4, blocks: 1, scale: 2 } } },
      objective: { use: 'srgan/srresnet' },
      training: { batchSize: 2, steps: 3, seed: 1, backend: 'cpu' },
      ...(o.evaluation ? { evaluation: { samples: 10, metrics: { psnr: fidelity('psnr'), ssim: fidelity('ssim') } } } : {}),
      output: { dir: join(dir, 'runs', '{name}'), sampleEvery: 1000, checkpointEvery: 1000 },
    }),
  );
  return file;
}

describe('srresnet on ready LR/HR pairs', () => {
  it('trains 3 steps on cpu, then `ganforge eval` scores PSNR/SSIM on the whole held-out pairs with their bicubic baseline', async () => {
    const { dir, hr } = pairsFolder(6);
    const train = await runCli(['train', specFile(dir, { evaluation: true })], repo);
    expect(train.stderr).not.toMatch(/error/);
    expect(train.exitCode).toBe(0);
    const runDir = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]!);
    const steps = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step?: number; losses?: Record<string, number> }).filter((r) => r.losses);
    expect(steps.length).toBe(3);
    for (const s of steps) expect(Number.isFinite(s.losses!.generator)).toBe(true);
    expect(JSON.parse(readFileSync(join(runDir, 'upscale', 'ganforge.json'), 'utf8')).pairOf).toBe('hr');

    const evaluated = await runCli(['eval', runDir], repo);
    expect(evaluated.stderr).not.toMatch(/error/);
    expect(evaluated.exitCode).toBe(0);
    expect(evaluated.stdout).toMatch(/paired images of 2 held-out examples of stream "hr" .*psnr, ssim: whole, 24x20/);
    const report = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8'));
    expect(report.protocol.inputs).toMatchObject({ stream: 'hr', pairs: true, used: 2 });
    expect(report.protocol.whole).toEqual({ metrics: ['psnr', 'ssim'], images: 2, sizes: '24x20' });
    for (const name of ['psnr', 'ssim']) {
      const { value, bicubic, gain } = report.metrics[name];
      expect(Number.isFinite(value) && Number.isFinite(bicubic)).toBe(true);
      expect(gain).toBeCloseTo(value - bicubic, 9);
    }
    // The baseline is the bicubic upscale of the ready LR images against their whole HR images (not crops):
    // it must equal the mean over the two held-out photos, whichever two they are.
    const baseline = hr.map((image) =>
      tf.tidy(() => {
        const lr = average(image, 2);
        const up = bicubicResize(tf, tf.tensor4d(Float32Array.from(lr.data, (v) => (v / 127.5) - 1), [1, lr.h, lr.w, 3]), 20, 24, 'matlab');
        const [ref] = to8bit(Float32Array.from(image.data, (v) => v / 127.5 - 1), [1, 20, 24, 3], [-1, 1]);
        const [test] = to8bit(up.dataSync(), up.shape, [-1, 1]);
        return psnrY(ref!, test!, 2);
      }),
    );
    const means = baseline.flatMap((a, i) => baseline.slice(i + 1).map((b) => (a + b) / 2));
    const nearest = Math.min(...means.map((m) => Math.abs(m - report.metrics.psnr.bicubic)));
    expect(nearest).toBeLessThan(1e-6);
  });
});

describe('pairing mistakes: a coded message, exit 2, no stack', () => {
  it.each([
    ['an HR image without its LR partner', () => pairsFolder(2, { extraHr: 'lonely.png' }).dir, /GF_DATA: The image lonely\.png in \.\/HR has no pair: \.\/LR holds no lonely\./],
    ['an LR image of no integer ratio', () => pairsFolder(2, { lr: { p1: photo(11, 10, 1) } }).dir, /GF_DATA: The image p1\.PNG \(11x10\) in \.\/LR, the pair of p1\.png \(24x20\) in \.\/HR, is not an integer factor/],
    ['an LR image of another ratio than the others', () => pairsFolder(2, { lr: { p1: photo(6, 5, 1) } }).dir, /GF_DATA: The image p1\.PNG \(6x5\) .* is 4x smaller than it, but the earlier pairs are 2x smaller/],
    ['pairs 4x smaller for a 2x generator', () => pairsFolder(2, { r: 4 }).dir, /GF_SPEC_CONFLICT: Stream "hr" has low-res pairs of 4x4x3 for its 16x16x3 images \(4x smaller\), but the generator upscales by 2/],
    ['a "data" augmentation on the paired stream', () => pairsFolder(2).dir, /GF_SPEC_CONFLICT: Augmentation augment\/flip would change the images of stream "hr" as they are drawn, but not their paired images/, { augment: true }],
  ] as [string, () => string, RegExp, { augment?: boolean }?][])('%s', async (_what, make, message, o) => {
    const { exitCode, stderr } = await runCli(['train', specFile(make(), o)], repo);
    expect(stderr).toMatch(message);
    expect(exitCode).toBe(2);
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
