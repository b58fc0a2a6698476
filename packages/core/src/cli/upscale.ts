/**
 * `ganforge upscale <run|model> <image|folder> --out <file|folder> [--artifact NAME] [--tile N]`
 * Runs a run's upscaling artifact (an image → image model whose output is larger, e.g. a super-resolution
 * generator) on an image of any size, or on every PNG/JPEG in a folder (sub-folders kept), writing PNGs.
 * Large images go through in tiles with context as wide as the model's receptive field (no seams).
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { loadUpscaler } from '../api/load-upscaler.js';
import { GanforgeError } from '../errors.js';
import { nodeHost } from '../node/index.js';
import type { BackendName } from '../spec/types.js';
import type { CommandContext } from './command.js';
import { runPlugins } from './run-plugins.js';
import { BACKENDS } from './train.js';
import { imagesIn } from './translate.js';

interface UpscaleFlags {
  out: string;
  artifact?: string;
  tile?: number;
  selfEnsemble?: boolean;
  backend?: BackendName;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 8) throw new GanforgeError('GF_USAGE', `--tile must be a whole number of at least 8, not "${value}".`);
  return n;
}

export function registerUpscale(program: Command, { io }: CommandContext): void {
  program
    .command('upscale')
    .description('upscale images of any size with a trained super-resolution run (its image → image artifact); writes PNGs')
    .argument('<run>', 'a run folder (or an artifact folder)')
    .argument('<input>', 'an image (PNG/JPEG) or a folder of images')
    .requiredOption('--out <file|dir>', 'output PNG for one image, or a folder for a folder')
    .option('--artifact <name>', 'the artifact by name (default: the run\'s first image → image artifact)')
    .option('--self-ensemble', 'average the 8 flips and quarter turns of each image (EDSR+): 8x the time, a little more fidelity')
    .option('--tile <pixels>', 'input pixels per tile side (default 128; lower it when memory is short)', positive)
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKENDS))
    .action(async (runPath: string, inputPath: string, flags: UpscaleFlags) => {
      const input = resolve(io.cwd, inputPath);
      if (!existsSync(input)) throw new GanforgeError('GF_USAGE', `${inputPath} does not exist.`, { hint: 'Give an image file or a folder of images.' });
      const run = resolve(io.cwd, runPath);
      const host = nodeHost({ cwd: io.cwd });
      const upscaler = await loadUpscaler(run, flags.artifact, { plugins: await runPlugins(host, run), backend: flags.backend, cwd: io.cwd, tile: flags.tile });
      const { storage } = host;
      const out = resolve(io.cwd, flags.out);
      const show = (path: string) => relative(io.cwd, path) || '.';
      const what = `"${upscaler.artifact.name}" (x${upscaler.scale})`;
      try {
        if (statSync(input).isDirectory()) {
          const files = imagesIn(input);
          if (files.length === 0) throw new GanforgeError('GF_DATA', `${inputPath} holds no PNG or JPEG images.`, { file: input });
          const bar = io.isTTY ? new SingleBar({ format: 'upscale {bar} {value}/{total} images  ETA {eta_formatted}', barsize: 24, hideCursor: true }) : undefined;
          bar?.start(files.length, 0);
          for (const [i, file] of files.entries()) {
            const target = join(out, file.replace(/\.(jpe?g|png)$/i, '.png'));
            await storage.write(target, await upscaler.upscaleFile(join(input, file), { selfEnsemble: flags.selfEnsemble }));
            if (bar) bar.update(i + 1);
            else io.stderr(`${i + 1}/${files.length} ${file}\n`);
          }
          bar?.stop();
          io.stdout(`upscaled ${files.length} images with ${what} into ${show(out)}${sep}\n`);
        } else {
          await storage.write(out, await upscaler.upscaleFile(input, { selfEnsemble: flags.selfEnsemble }));
          io.stdout(`upscaled ${show(input)} with ${what} into ${show(out)}\n`);
        }
      } finally {
        upscaler.dispose();
      }
    });
}
