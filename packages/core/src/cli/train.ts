/**
 * `ganforge train <spec> [--steps N] [--backend B] [--out DIR] [--resume [DIR]]`
 * Prints the backend taken (and why others were skipped) and the run folder, shows progress, and on
 * Ctrl-C finishes the current step, writes a checkpoint and exits (a second Ctrl-C quits at once).
 */
import { relative } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { runTraining } from '../engine/run-training.js';
import { nodeHost } from '../node/index.js';
import type { Logger } from '../plugin/types.js';
import type { BackendName } from '../spec/types.js';
import { validateSpecFile } from '../spec/validate.js';
import type { CommandContext } from './command.js';
import { createProgress, formatDuration, formatLosses } from './progress.js';

export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** Exit status after Ctrl-C: 128 + SIGINT, as shells report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

interface TrainFlags {
  steps?: number;
  backend?: BackendName;
  out?: string;
  resume?: boolean | string;
}

export function registerTrain(program: Command, { io, setExitCode }: CommandContext): void {
  program
    .command('train')
    .description('train the GAN a spec describes; writes a run folder (metrics, samples, checkpoints, exported generator)')
    .argument('<spec>', 'path of the spec file')
    .option('--steps <n>', 'train for n steps (overrides training.steps)', positiveInteger)
    .addOption(new Option('--backend <name>', 'tfjs backend (overrides training.backend)').choices(BACKENDS))
    .option('--out <dir>', 'run folder (overrides output.dir; tokens {name}, {timestamp})')
    .option('--resume [dir]', 'continue a run from its last good checkpoint (default: the newest run of this spec)')
    .action(async (specPath: string, flags: TrainFlags) => {
      const startedAt = Date.now();
      const host = nodeHost({ cwd: io.cwd });
      const { spec, registry, specDir } = await validateSpecFile(specPath, { cwd: io.cwd, host });
      const progress = createProgress(io);
      const show = (path: string) => relative(io.cwd, path) || '.';
      const log: Logger = {
        info: (m) => io.stdout(`${m}\n`),
        warn: (m) => io.stderr(`warning: ${m}\n`),
        debug: () => {},
      };
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
        controller.abort();
        io.stderr('\nstopping after this step and writing a checkpoint (Ctrl-C again to quit now)\n');
      };
      process.on('SIGINT', onSigint);
      try {
        const result = await runTraining({
          spec,
          registry,
          specDir,
          host,
          steps: flags.steps,
          backend: flags.backend,
          outDir: flags.out,
          resume: flags.resume,
          signal: controller.signal,
          log,
          onStart: ({ backend, runDir, startStep, totalSteps, settings }) => {
            const skipped = backend.skipped.map((s) => `${s.name} (${s.why})`).join('; ');
            io.stdout(`backend   ${backend.name}: ${backend.reason}${skipped ? `\n          skipped: ${skipped}` : ''}\n`);
            io.stdout(`run       ${show(runDir)}${startStep > 0 ? `  (resuming at step ${startStep})` : ''}\n`);
            progress.start(startStep, totalSteps, settings.logEvery);
          },
          onStep: (event) => progress.step(event),
        });
        progress.stop();
        const seconds = formatDuration((Date.now() - startedAt) / 1000);
        if (result.interrupted) {
          io.stdout(`stopped at step ${result.step}/${result.totalSteps}; checkpoint ${show(result.checkpoint ?? result.runDir)}\n`);
          io.stdout(`continue with: ganforge train ${specPath} --resume ${show(result.runDir)}\n`);
          setExitCode(EXIT_INTERRUPTED);
          return;
        }
        io.stdout(`✔ trained ${result.totalSteps} steps in ${seconds}  ${formatLosses(result.losses)}\n`);
        const sampled = result.artifacts.find(isNoiseToImage);
        for (const artifact of result.artifacts) {
          const use =
            artifact === sampled
              ? `; sample it: ganforge sample ${show(result.runDir)} --out grid.png`
              : isNoiseToImage(artifact)
                ? `; sample it: ganforge sample ${show(result.runDir)} --artifact ${artifact.name} --out grid.png`
                : artifact.input === 'image' && artifact.output === 'image'
                  ? // An artifact named after a command is meant for it (an upscaler is also an image → image artifact).
                    artifact.name === 'upscale'
                    ? `; use it: ganforge upscale ${show(result.runDir)} <image|folder> --out <file|folder>`
                    : `; use it: ganforge translate ${show(result.runDir)} <image|folder> --artifact ${artifact.name} --out <file|folder>`
                  : artifact.output === 'score'
                    ? `; use it: ganforge score ${show(result.runDir)} <image|folder> --head ${artifact.name} --out scores.csv; rank held-out images: ganforge eval ${show(result.runDir)}`
                    : '';
          io.stdout(`${artifact.name.padEnd(9)} ${show(artifact.dir)}/  (${artifact.input} → ${artifact.output}${use})\n`);
        }
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
}

/** What `ganforge sample` can draw from. */
function isNoiseToImage(artifact: { input: string; output: string }): boolean {
  return (artifact.input === 'noise' || artifact.input === 'noise+label') && artifact.output === 'image';
}
