/**
 * `ganforge eval <run-dir> [--n 2000] [--seed 0] [--metric eval/fid ...] [--model DIR] [--out FILE]`
 * Scores a run's generator against the held-out split of its data and writes eval.json (numbers + protocol).
 */
import { relative } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { evaluateRun } from '../eval/evaluate-run.js';
import type { BackendName } from '../spec/types.js';
import type { CommandContext } from './command.js';
import { BACKENDS, positiveInteger } from './train.js';

interface EvalFlags {
  artifact?: string;
  n?: number;
  seed: number;
  metric?: string[];
  model?: string;
  out?: string;
  backend?: BackendName;
  json?: boolean;
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function format(value: number): string {
  return Math.abs(value) >= 100 || value === 0 ? value.toFixed(2) : value.toPrecision(4);
}

export function registerEval(program: Command, { io }: CommandContext): void {
  program
    .command('eval')
    .description('score a run\'s generator on the held-out (validation) split of its data; writes eval.json with the protocol')
    .argument('<run-dir>', 'a run folder written by `ganforge train`')
    .option('--n <count>', 'generated and held-out real images (default: evaluation.samples, else up to 2000 as held out)', positiveInteger)
    .option('--seed <seed>', 'seed of the generator noise', seedValue, 0)
    .option('--metric <entry>', 'metric entry to run instead of the spec\'s evaluation.metrics (repeatable), e.g. eval/fid; without either, the ones the data recommends', collect)
    .option('--model <dir>', 'model folder to score instead of the run\'s exported generator (e.g. <run>/best)')
    .option('--artifact <name>', "which of the run's noise → image artifacts to score (default: the first)")
    .option('--out <file>', 'where to write the report (default <run-dir>/eval.json)')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKENDS))
    .action(async (runDir: string, flags: EvalFlags) => {
      const warnings: string[] = [];
      const log = { info() {}, debug() {}, warn: (m: string) => warnings.push(m) };
      const report = await evaluateRun(runDir, {
        n: flags.n,
        seed: flags.seed,
        metrics: flags.metric,
        model: flags.model,
        artifact: flags.artifact,
        out: flags.out,
        backend: flags.backend,
        cwd: io.cwd,
        log,
      });
      for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
      if (flags.json) {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const { protocol } = report;
      const where = `${relative(io.cwd, report.model.dir) || '.'} (step ${report.model.step ?? '?'})`;
      const lines = [
        'kind' in protocol
          ? `${where}: head "${protocol.head.artifact}" scored the held-out images of ${Object.entries(protocol.streams).map(([name, s]) => `"${name}" (${s.used})`).join(', ')}, ${report.backend}, ${report.seconds} s`
          : protocol.inputs?.pairs
            ? `${where}: outputs for the paired images of ${protocol.nReal} held-out examples of stream "${protocol.reference.stream}" vs their images${protocol.whole ? ` (${protocol.whole.metrics.join(', ')}: whole, ${protocol.whole.sizes})` : ''}, ${report.backend}, ${report.seconds} s`
            : `${where}: ${protocol.nFake} generated vs ${protocol.nReal} held-out real images of stream "${protocol.reference.stream}", seed ${protocol.seed}, ${report.backend}, ${report.seconds} s`,
      ];
      for (const [name, values] of Object.entries(report.metrics)) {
        const parts = Object.entries(values).map(([key, value]) => (key === 'value' ? format(value) : `${key} ${format(value)}`));
        lines.push(`  ${name.padEnd(16)} ${parts.length > 0 ? parts.join(', ') : '(skipped)'}`);
      }
      lines.push(`wrote ${relative(io.cwd, flags.out ?? `${report.run}/eval.json`)}`);
      io.stdout(`${lines.join('\n')}\n`);
    });
}
