/**
 * Checkpoints every `output.checkpointEvery` steps, at the last step, and when the run stops early (Ctrl-C):
 * written atomically through the host's storage, the newest `keepCheckpoints` kept; then a "checkpoint" event.
 */
import type { CheckpointEvent, RunHandle, RunListener } from '../../engine/lifecycle.js';
import { snapshot } from '../../engine/run-state.js';
import { writeCheckpoint } from '../checkpoint.js';

export interface CheckpointListener extends RunListener {
  /** The last checkpoint written (or resumed from). */
  readonly last: CheckpointEvent | undefined;
  /** Write the run's state now into `dir` (a run folder: <dir>/checkpoints/step-N), keeping `keep`. */
  save(run: RunHandle, dir: string, step: number, elapsedMs: number, keep: number): Promise<string>;
}

export function checkpointListener(resumedFrom?: CheckpointEvent): CheckpointListener {
  let last = resumedFrom;
  const write = async (run: RunHandle, step: number, elapsedMs: number) => {
    last = { step, dir: await listener.save(run, run.runDir, step, elapsedMs, run.settings.keepCheckpoints) };
    await run.emit('checkpoint', last);
  };
  const listener: CheckpointListener = {
    name: 'checkpoints',
    get last() {
      return last;
    },
    save: async (run, dir, step, elapsedMs, keep) => writeCheckpoint(run.storage, dir, await snapshot(run, step, elapsedMs), keep),
    async step({ step, totalSteps, elapsedMs }, run) {
      if (step % run.settings.checkpointEvery === 0 || step === totalSteps) await write(run, step, elapsedMs);
    },
    async end({ step, elapsedMs }, run) {
      if (step > (last?.step ?? -1)) await write(run, step, elapsedMs);
    },
  };
  return listener;
}
