/**
 * `pnpm bench loss-trace <spec> [--steps 20] [--backend cpu] [--out file.json]`: every step's losses of a
 * short run, as JSON. A refactor of the engine must leave this trace unchanged for the same spec and seed
 * (same backend): diff the files written before and after.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { train } from '../packages/core/src/api/train.js';
import type { BackendName } from '../packages/core/src/spec/types.js';

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { steps: { type: 'string', default: '20' }, backend: { type: 'string', default: 'cpu' }, out: { type: 'string' } },
  });
  const file = positionals[0] ?? 'specs/dcgan-mnist.json';
  const outDir = mkdtempSync(join(tmpdir(), 'ganforge-trace-'));
  const trace: { step: number; losses: Record<string, number> }[] = [];
  try {
    await train(resolve(file), {
      outDir,
      steps: Number(values.steps),
      backend: values.backend as BackendName,
      onStep: ({ step, losses }) => void trace.push({ step, losses }),
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const text = `${JSON.stringify({ spec: file, backend: values.backend, steps: trace }, null, 1)}\n`;
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}
