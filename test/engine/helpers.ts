/** Shared helpers for engine tests: validate a fixture spec with the tiny plugin and train it in a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTraining, type RunTrainingOptions, type StepEvent, type TrainResult } from '../../packages/core/src/engine/run-training.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import { tinyPlugin } from '../fixtures/engine/tiny-plugin.js';

export function tempDir(prefix = 'gf-engine-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function validated(spec: object, cwd: string) {
  return validateSpec(spec, { plugins: [tinyPlugin], cwd });
}

/** Train a fixture spec; returns the result and every step's losses. */
export async function trainFixture(
  spec: object,
  cwd: string,
  options: Partial<RunTrainingOptions> = {},
): Promise<{ result: TrainResult; steps: StepEvent[] }> {
  const { spec: resolved, registry, specDir } = await validated(spec, cwd);
  const steps: StepEvent[] = [];
  const result = await runTraining({
    spec: resolved,
    registry,
    specDir,
    cwd,
    ...options,
    onStep: async (event) => {
      steps.push(event);
      await options.onStep?.(event);
    },
  });
  return { result, steps };
}
