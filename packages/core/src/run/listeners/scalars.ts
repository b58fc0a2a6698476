/** Loss scalars for TensorBoard (output.tensorboard), through a writer the host provides (tfjs-node's in Node). */
import type { RunListener } from '../../engine/lifecycle.js';
import { joinPath } from '../../host/paths.js';
import type { Host, ScalarWriter } from '../../host/types.js';

export function scalarsListener(host: Pick<Host, 'scalarWriter'>): RunListener {
  let writer: ScalarWriter | undefined;
  return {
    name: 'tensorboard',
    async start(_event, run) {
      if (!run.settings.tensorboard) return;
      writer = host.scalarWriter ? await host.scalarWriter(joinPath(run.runDir, 'tensorboard'), run.log) : undefined;
      if (!writer) run.log.warn('output.tensorboard is set, but this host has no TensorBoard writer (in Node it needs @tensorflow/tfjs-node); metrics.jsonl has the same values.');
    },
    step(event, run) {
      if (!writer || (event.step % run.settings.logEvery !== 0 && event.step !== event.totalSteps)) return;
      for (const [name, value] of Object.entries(event.losses)) writer.scalar(`loss/${name}`, value, event.step);
    },
    end() {
      writer?.flush();
    },
  };
}
