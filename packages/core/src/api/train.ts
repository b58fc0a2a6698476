/**
 * Train from a spec file or a spec object, programmatically (Node):
 *   const result = await train('mnist.json', { onStep: (e) => console.log(e.step, e.losses) });
 * Validation errors, plugin failures and bad data reject with a coded GanforgeError.
 */
import { runTraining, type RunTrainingOptions, type TrainResult } from '../engine/run-training.js';
import type { Host } from '../host/types.js';
import { nodeHost } from '../node/index.js';
import type { GanforgePlugin } from '../plugin/types.js';
import { validateSpec, validateSpecFile } from '../spec/validate.js';

export interface TrainOptions extends Omit<RunTrainingOptions, 'spec' | 'registry' | 'specDir' | 'host'> {
  /** Plugin objects to use besides the packages the spec names. */
  plugins?: GanforgePlugin[];
  /** Where relative spec, data and run paths resolve. Default: process.cwd(). */
  cwd?: string;
  /** Files, clock, backends and plugin loading. Default: the Node host for `cwd`. */
  host?: Host;
}

export async function train(specOrPath: string | object, options: TrainOptions = {}): Promise<TrainResult> {
  const { plugins, cwd, host = nodeHost({ cwd }), ...rest } = options;
  const validated =
    typeof specOrPath === 'string'
      ? await validateSpecFile(specOrPath, { plugins, cwd: host.cwd, host })
      : await validateSpec(specOrPath, { plugins, cwd: host.cwd, host });
  return runTraining({ ...rest, host, spec: validated.spec, registry: validated.registry, specDir: validated.specDir });
}
