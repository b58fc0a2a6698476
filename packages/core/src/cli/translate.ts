/**
 * `ganforge translate <run-dir> <image|folder> [--direction AB | --artifact NAME] --out <file|folder>`
 * Runs one of a run's image → image artifacts (a translator) on an image, or on every PNG/JPEG in a folder
 * (sub-folders kept), writing PNGs. `--direction` takes an artifact's alias (e.g. AB, BA) or name.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import { loadTranslator } from '../api/load-translator.js';
import { GanforgeError } from '../errors.js';
import { nodeHost } from '../node/index.js';
import type { BackendName } from '../spec/types.js';
import type { CommandContext } from './command.js';
import { runPlugins } from './run-plugins.js';
import { BACKENDS } from './train.js';

interface TranslateFlags {
  out: string;
  direction?: string;
  artifact?: string;
  backend?: BackendName;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/** Image files under a folder, sorted, as paths relative to it. */
export function imagesIn(folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? imagesIn(folder, join(prefix, e.name)) : IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()) ? [join(prefix, e.name)] : []));
}

export function registerTranslate(program: Command, { io }: CommandContext): void {
  program
    .command('translate')
    .description('translate images with a trained image → image artifact (e.g. a CycleGAN direction); writes PNGs')
    .argument('<run>', 'a run folder (or an artifact folder)')
    .argument('<input>', 'an image (PNG/JPEG) or a folder of images')
    .requiredOption('--out <file|dir>', 'output PNG for one image, or a folder for a folder')
    .option('--direction <name>', "the artifact's alias or name, e.g. AB or BA")
    .option('--artifact <name>', 'the artifact by name (same as --direction)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKENDS))
    .action(async (runPath: string, inputPath: string, flags: TranslateFlags) => {
      const input = resolve(io.cwd, inputPath);
      if (!existsSync(input)) throw new GanforgeError('GF_USAGE', `${inputPath} does not exist.`, { hint: 'Give an image file or a folder of images.' });
      const run = resolve(io.cwd, runPath);
      const host = nodeHost({ cwd: io.cwd });
      const translator = await loadTranslator(run, flags.direction ?? flags.artifact, { plugins: await runPlugins(host, run), backend: flags.backend, cwd: io.cwd });
      const { storage } = host;
      const out = resolve(io.cwd, flags.out);
      const show = (path: string) => relative(io.cwd, path) || '.';
      try {
        if (statSync(input).isDirectory()) {
          const files = imagesIn(input);
          if (files.length === 0) throw new GanforgeError('GF_DATA', `${inputPath} holds no PNG or JPEG images.`, { file: input });
          for (const [i, file] of files.entries()) {
            const target = join(out, file.replace(/\.(jpe?g|png)$/i, '.png'));
            await storage.write(target, await translator.translateFile(join(input, file)));
            if ((i + 1) % 100 === 0) io.stderr(`${i + 1}/${files.length}\n`);
          }
          io.stdout(`translated ${files.length} images with "${translator.artifact.name}" into ${show(out)}${sep}\n`);
        } else {
          await storage.write(out, await translator.translateFile(input));
          io.stdout(`translated ${show(input)} with "${translator.artifact.name}" into ${show(out)}\n`);
        }
      } finally {
        translator.dispose();
      }
    });
}
