/** Appends a metrics.jsonl line every `output.logEvery` steps (and at the last): losses, lr, img/s over the interval, wall time, epoch. */
import type { RunListener } from '../../engine/lifecycle.js';
import { MetricsLog } from '../metrics-log.js';

const round = (value: number) => Math.round(value * 1000) / 1000;

export function metricsListener(): RunListener {
  let log: MetricsLog;
  // Training time (not counting set-up) at the last line written, and steps since.
  let intervalStart = 0;
  let intervalSteps = 0;
  return {
    name: 'metrics log',
    async start({ startStep, elapsedMs }, run) {
      log = new MetricsLog(run.storage, run.runDir);
      if (startStep > 0) await log.truncateAfter(startStep);
      intervalStart = elapsedMs;
    },
    async step(event, run) {
      intervalSteps++;
      if (event.step % run.settings.logEvery !== 0 && event.step !== event.totalSteps) return;
      const imgPerSec = (run.spec.training.batchSize * intervalSteps * 1000) / Math.max(1, event.elapsedMs - intervalStart);
      await log.append({
        step: event.step,
        losses: event.losses,
        lr: event.lr,
        imgPerSec: round(imgPerSec),
        wallTime: round(event.elapsedMs / 1000),
        epoch: round(event.epoch),
        // Reported training signals and adaptive augmentations' values (ADA's p), when there are any.
        ...(Object.keys(event.signals ?? {}).length > 0 ? { signals: event.signals } : {}),
        ...(Object.keys(event.augment ?? {}).length > 0 ? { augment: event.augment } : {}),
      });
      intervalStart = event.elapsedMs;
      intervalSteps = 0;
    },
  };
}
