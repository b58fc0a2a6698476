/**
 * `pnpm bench srgan-quality [label=]<run-dir> ... [--scale 4] [--self-ensemble] [--out docs/results-srgan] [--backend wasm]`
 *
 * Fidelity of super-resolution runs on the two held-out photographs of srgan/photos (black-canyon,
 * nagasaki-boats), which no "train" split reads: each full photo (cropped to a multiple of the scale, the
 * papers' "modcrop") is downscaled by the objective's antialiased bicubic (MATLAB borders), then upscaled
 * back by bicubic and by every run's upscaler (`loadUpscaler`, tiled), and scored with PSNR and SSIM on Y
 * with a border of `scale` pixels (plugin-srgan metrics/fidelity.ts). --self-ensemble adds a row per run with
 * the 8-fold geometric self-ensemble (EDSR+). Writes <out>.table.md and <out>.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadUpscaler } from '../packages/core/src/api/load-upscaler.js';
import { decodeImage } from '../packages/core/src/data/decode-image.js';
import * as tf from '../packages/core/src/engine/tf.js';
import { selectBackend } from '../packages/core/src/node/index.js';
import type { Tensor4D } from '../packages/core/src/plugin/types.js';
import srgan, { bicubicDownsample, bicubicResize, HELD_OUT_PHOTOS, photoFile, psnrY, ssimY, to8bit, type Image8 } from '../packages/plugin-srgan/src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  method: string;
  run?: string;
  step?: number;
  photos: Record<string, { psnr: number; ssim: number; seconds: number }>;
  psnr: number;
  ssim: number;
}

export async function main(argv: string[]): Promise<void> {
  const { values: args, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'self-ensemble': { type: 'boolean', default: false }, scale: { type: 'string', default: '4' }, out: { type: 'string', default: 'docs/results-srgan' }, backend: { type: 'string', default: 'wasm' } },
  });
  const scale = Number(args.scale);
  await selectBackend(args.backend as 'wasm');
  // Held-out photos as [1, H, W, 3] in [-1, 1], cropped to a multiple of the scale.
  const photos = HELD_OUT_PHOTOS.map((name) => {
    const image = decodeImage(readFileSync(photoFile(name)));
    const [h, w] = [image.height - (image.height % scale), image.width - (image.width % scale)];
    const rgb = new Float32Array(h * w * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = image.rgba[(y * image.width + x) * 4 + c]! / 127.5 - 1;
    const hr = tf.tensor4d(rgb, [1, h, w, 3]);
    return { name, hr, lr: bicubicDownsample(tf, hr, scale, 'matlab'), hr8: to8bit(rgb, [1, h, w, 3], [-1, 1])[0]! };
  });
  const score = async (method: string, upscale: (lr: Tensor4D) => Tensor4D, extra: Partial<Row> = {}): Promise<Row> => {
    const row: Row = { method, ...extra, photos: {}, psnr: 0, ssim: 0 };
    for (const p of photos) {
      const started = Date.now();
      const sr = tf.tidy(() => tf.clipByValue(upscale(p.lr), -1, 1)) as Tensor4D;
      const seconds = (Date.now() - started) / 1000;
      const sr8: Image8 = to8bit(await sr.data(), sr.shape, [-1, 1])[0]!;
      sr.dispose();
      row.photos[p.name] = { psnr: psnrY(p.hr8, sr8, scale), ssim: ssimY(p.hr8, sr8, scale), seconds };
    }
    const values = Object.values(row.photos);
    row.psnr = values.reduce((s, v) => s + v.psnr, 0) / values.length;
    row.ssim = values.reduce((s, v) => s + v.ssim, 0) / values.length;
    console.log(`${method.padEnd(28)} PSNR ${row.psnr.toFixed(2)} dB  SSIM ${row.ssim.toFixed(4)}  ${Object.entries(row.photos).map(([n, v]) => `${n} ${v.psnr.toFixed(2)}/${v.ssim.toFixed(4)}`).join('  ')}`);
    return row;
  };

  const rows: Row[] = [await score('bicubic', (lr) => bicubicResize(tf, lr, lr.shape[1] * scale, lr.shape[2] * scale, 'matlab'))];
  for (const arg of positionals) {
    const [label, dir] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, arg];
    const upscaler = await loadUpscaler(resolve(root, dir), undefined, { plugins: [srgan], cwd: root });
    if (upscaler.scale !== scale) throw new Error(`${dir} upscales x${upscaler.scale}, not x${scale} (--scale)`);
    rows.push(await score(label, (lr) => upscaler.upscale(lr), { run: dir, step: upscaler.artifact.info.step }));
    if (args['self-ensemble']) rows.push(await score(`${label} ×8 self-ensemble`, (lr) => upscaler.upscale(lr, { selfEnsemble: true }), { run: dir, step: upscaler.artifact.info.step }));
    upscaler.dispose();
  }
  tf.dispose(photos.flatMap((p) => [p.hr, p.lr]));

  const machine = { cpus: cpus().length, model: cpus()[0]?.model, load: loadavg().map((v) => v.toFixed(2)).join(' '), node: process.version, backend: tf.getBackend(), date: new Date().toISOString() };
  writeFileSync(resolve(root, `${args.out}.json`), `${JSON.stringify({ scale, photos: HELD_OUT_PHOTOS, protocol: { channel: 'Y (BT.601)', border: scale, quantized: '8-bit', downsample: 'bicubic, antialiased, MATLAB borders', modcrop: scale }, machine, rows }, null, 2)}\n`);
  const header = `| method | ${HELD_OUT_PHOTOS.map((n) => `${n} PSNR / SSIM`).join(' | ')} | mean PSNR (dB) | mean SSIM | gain over bicubic |\n|---|${HELD_OUT_PHOTOS.map(() => '---|').join('')}---|---|---|\n`;
  const body = rows.map((r) => `| ${r.method}${r.step !== undefined ? ` (step ${r.step})` : ''} | ${HELD_OUT_PHOTOS.map((n) => `${r.photos[n]!.psnr.toFixed(2)} / ${r.photos[n]!.ssim.toFixed(4)}`).join(' | ')} | ${r.psnr.toFixed(2)} | ${r.ssim.toFixed(4)} | ${(r.psnr - rows[0]!.psnr >= 0 ? '+' : '') + (r.psnr - rows[0]!.psnr).toFixed(2)} dB |`).join('\n');
  writeFileSync(resolve(root, `${args.out}.table.md`), `${header}${body}\n`);
  console.log(`\n${header}${body}\n\nwrote ${args.out}.json and ${args.out}.table.md`);
}
