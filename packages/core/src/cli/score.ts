/**
 * `ganforge score <run-dir> <image|folder> [--head NAME] [--threshold T] [--out scores.csv]`
 * Scores images with a run's inference head (e.g. an anomaly score): one CSV row per image with its score
 * and whether it lies above the threshold (`--threshold`, else the one saved with the run, set on held-out
 * images at the end of training). Without --out the CSV goes to standard output.
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { loadHead } from '../api/load-head.js';
import { GanforgeError } from '../errors.js';
import { nodeHost } from '../node/index.js';
import type { BackendName } from '../spec/types.js';
import type { CommandContext } from './command.js';
import { runPlugins } from './run-plugins.js';
import { BACKENDS } from './train.js';
import { imagesIn } from './translate.js';

interface ScoreFlags {
  out?: string;
  head?: string;
  threshold?: string;
  backend?: BackendName;
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
const csvField = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

export function registerScore(program: Command, { io }: CommandContext): void {
  program
    .command('score')
    .description("score images with a trained run's head (e.g. an anomaly score); writes a CSV: file, score, flagged")
    .argument('<run>', 'a run folder (or a head artifact folder)')
    .argument('<input>', 'an image (PNG/JPEG) or a folder of images')
    .option('--out <file>', 'the CSV to write (default: standard output)')
    .option('--head <name>', "the head's name in the spec (default: the run's first head)")
    .option('--threshold <T>', 'flag scores above T (default: the threshold saved with the run)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKENDS))
    .action(async (runPath: string, inputPath: string, flags: ScoreFlags) => {
      const input = resolve(io.cwd, inputPath);
      if (!existsSync(input)) throw new GanforgeError('GF_USAGE', `${inputPath} does not exist.`, { hint: 'Give an image file or a folder of images.' });
      const given = flags.threshold === undefined ? undefined : Number(flags.threshold);
      if (given !== undefined && (flags.threshold!.trim() === '' || !Number.isFinite(given))) {
        throw new GanforgeError('GF_USAGE', `--threshold must be a number, got "${flags.threshold}".`, { hint: 'e.g. --threshold 0.05' });
      }
      const run = resolve(io.cwd, runPath);
      const host = nodeHost({ cwd: io.cwd });
      const head = await loadHead(run, flags.head, { plugins: await runPlugins(host, run), backend: flags.backend, cwd: io.cwd });
      try {
        const folder = statSync(input).isDirectory();
        const files = folder ? imagesIn(input) : [''];
        if (files.length === 0) throw new GanforgeError('GF_DATA', `${inputPath} holds no PNG or JPEG images.`, { file: input });
        const threshold = given ?? head.threshold?.value;
        if (threshold === undefined) io.stderr('warning: the run saved no threshold (it held no images out) and --threshold is not given: the "flagged" column stays empty.\n');
        const rows = ['file,score,flagged'];
        let flagged = 0;
        for (const [i, file] of files.entries()) {
          const path = folder ? join(input, file) : input;
          const score = await head.scoreFile(path);
          const above = threshold === undefined ? '' : score > threshold ? '1' : '0';
          if (above === '1') flagged++;
          rows.push(`${csvField(folder ? file : inputPath)},${score},${above}`);
          if (flags.out && (i + 1) % 500 === 0) io.stderr(`${i + 1}/${files.length}\n`);
        }
        const csv = `${rows.join('\n')}\n`;
        if (!flags.out) {
          io.stdout(csv);
          return;
        }
        const out = resolve(io.cwd, flags.out);
        await host.storage.write(out, csv);
        const source = given !== undefined ? 'given' : head.threshold ? `the ${Math.round(head.threshold.quantile * 1000) / 10} % quantile of ${head.threshold.images} held-out images of "${head.threshold.stream}"` : '';
        const summary = threshold === undefined ? '' : `; ${flagged} above the threshold ${threshold} (${source})`;
        io.stdout(`scored ${files.length} image${files.length === 1 ? '' : 's'} with head "${head.artifact.name}"${summary}; wrote ${relative(io.cwd, out) || out}\n`);
      } finally {
        head.dispose();
      }
    });
}
