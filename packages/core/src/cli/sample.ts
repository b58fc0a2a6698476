/**
 * `ganforge sample <run-dir|model> [--n 64] [--out grid.png | --out dir/] [--seed S] [--label L]`
 * One grid PNG, or (when --out ends with a slash or is a folder) one PNG per sample.
 */
import { join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadArtifact, locateModel } from '../api/load-artifact.js';
import { GanforgeError } from '../errors.js';
import type { GanforgePlugin } from '../plugin/types.js';
import type { Host } from '../host/types.js';
import { nodeHost } from '../node/index.js';
import { encodeGrid, encodeImage } from '../run/png.js';
import type { BackendName } from '../spec/types.js';
import type { CommandContext } from './command.js';
import { BACKENDS, positiveInteger } from './train.js';

interface SampleFlags {
  n: number;
  out: string;
  seed: number;
  label?: number;
  artifact?: string;
  backend?: BackendName;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}

/** Plugins named by the run's spec, for their custom layers; a run without custom layers needs none. */
async function runPlugins(host: Host, modelDir: string): Promise<GanforgePlugin[]> {
  for (const file of [join(modelDir, '..', 'spec.json'), join(modelDir, 'spec.json')]) {
    if (!(await host.storage.exists(file))) continue;
    try {
      const spec = JSON.parse(await host.storage.readText(file)) as { plugins?: string[] };
      const registry = await host.plugins.load(spec.plugins ?? [], { specDir: resolve(modelDir, '..'), cwd: host.cwd });
      return registry.plugins.map((p) => p.plugin);
    } catch {
      return []; // loading reports a missing custom layer with the plugin to install
    }
  }
  return [];
}

export function registerSample(program: Command, { io }: CommandContext): void {
  program
    .command('sample')
    .description('draw images from a trained generator: one grid PNG, or one PNG per image when --out is a folder')
    .argument('<model>', 'a run folder, an artifact folder, or a model.json')
    .option('--artifact <name>', "which of the run's artifacts (default: its noise → image one, e.g. generator)")
    .option('--n <count>', 'number of images', positiveInteger, 64)
    .option('--out <file|dir/>', 'grid PNG file, or a folder (ending in /) for one PNG per image', 'samples.png')
    .option('--seed <seed>', 'noise seed (same seed, same images)', nonNegativeInteger, 0)
    .option('--label <class>', 'class of every image, for conditional generators', nonNegativeInteger)
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKENDS))
    .action(async (path: string, flags: SampleFlags) => {
      const host = nodeHost({ cwd: io.cwd });
      const modelDir = await locateModel(resolve(io.cwd, path), flags.artifact);
      const generator = await loadArtifact(modelDir, undefined, { plugins: await runPlugins(host, modelDir), backend: flags.backend });
      try {
        if (generator.input !== 'noise' && generator.input !== 'noise+label') {
          throw new GanforgeError('GF_USAGE', `Artifact "${generator.name}" takes ${generator.input}, not noise: \`ganforge sample\` cannot draw from it.`, {
            hint: 'Pick a noise → image artifact with --artifact (the run folder lists them in artifacts.json).',
          });
        }
        if (flags.label !== undefined && !generator.conditional) {
          throw new GanforgeError('GF_USAGE', `--label was given, but the model in ${relative(io.cwd, modelDir) || '.'} is not conditional.`, {
            hint: 'Leave out --label.',
          });
        }
        const classes = generator.info?.numClasses;
        if (flags.label !== undefined && classes !== undefined && flags.label >= classes) {
          throw new GanforgeError('GF_USAGE', `--label ${flags.label} is out of range: the model knows classes 0 to ${classes - 1}.`);
        }
        const labels = flags.label !== undefined ? new Int32Array(flags.n).fill(flags.label) : undefined;
        const images = await generator.images(flags.n, { seed: flags.seed, labels });
        const out = resolve(io.cwd, flags.out);
        const storage = host.storage;
        const toFolder = flags.out.endsWith('/') || flags.out.endsWith(sep) || (await storage.isDirectory(out));
        if (toFolder) {
          const width = String(flags.n - 1).length;
          for (let i = 0; i < flags.n; i++) await storage.write(join(out, `sample-${String(i).padStart(width, '0')}.png`), encodeImage(images, i));
          io.stdout(`wrote ${flags.n} images to ${relative(io.cwd, out) || '.'}${sep}\n`);
        } else {
          await storage.write(out, encodeGrid(images));
          io.stdout(`wrote a grid of ${flags.n} images to ${relative(io.cwd, out)}\n`);
        }
      } finally {
        generator.dispose();
      }
    });
}
