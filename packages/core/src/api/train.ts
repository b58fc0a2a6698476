/**
 * Train from a spec file or a spec object, programmatically:
 *   const result = await train('mnist.json', { onStep: (e) => console.log(e.step, e.losses) });
 * Validation errors, plugin failures and bad data reject with a coded GanforgeError.
 */
import { runTraining, type RunTrainingOptions, type TrainResult } from '../engine/run-training.js';
import type { GanforgePlugin } from '../plugin/types.js';
import { validateSpec, validateSpecFile } from '../spec/validate.js';

export interface TrainOptions extends Omit<RunTrainingOptions, 'spec' | 'registry' | 'specDir'> {
  /** Plugin objects to use besides the packages the spec names. */
  plugins?: GanforgePlugin[];
}

export async function train(specOrPath: string | object, options: TrainOptions = {}): Promise<TrainResult> {
  const { plugins, ...rest } = options;
  const cwd = options.cwd ?? process.cwd();
  const validated =
    typeof specOrPath === 'string' ? await validateSpecFile(specOrPath, { plugins, cwd }) : await validateSpec(specOrPath, { plugins, cwd });
  return runTraining({ ...rest, cwd, spec: validated.spec, registry: validated.registry, specDir: validated.specDir });
}
