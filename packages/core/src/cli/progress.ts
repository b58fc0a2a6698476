/**
 * Training progress for the terminal: a live bar on a TTY (step, losses, img/s, ETA), and on pipes and CI
 * logs a plain line every `logEvery` steps.
 */
import { SingleBar } from 'cli-progress';
import type { StepEvent } from '../engine/run-training.js';
import type { CliIO } from './io.js';

export interface Progress {
  start(startStep: number, totalSteps: number, logEvery: number): void;
  step(event: StepEvent): void;
  stop(): void;
}

export function formatLosses(losses: Record<string, number>): string {
  return Object.entries(losses)
    .filter(([name]) => !name.includes('/'))
    .map(([name, value]) => `${name} ${value.toFixed(4)}`)
    .join('  ');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Steps per second over the steps run in this process (not counting resumed ones). */
class Rate {
  #start = Date.now();
  #first = 0;
  reset(step: number) {
    this.#start = Date.now();
    this.#first = step;
  }
  eta(step: number, total: number): number {
    const done = step - this.#first;
    return done > 0 ? ((total - step) * (Date.now() - this.#start)) / 1000 / done : Number.NaN;
  }
}

export function createProgress(io: CliIO): Progress {
  const rate = new Rate();
  if (io.isTTY) {
    const bar = new SingleBar({
      format: 'step {value}/{total} {bar} {losses}  {ips} img/s  ETA {eta_text}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
    });
    return {
      start(startStep, totalSteps) {
        rate.reset(startStep);
        bar.start(totalSteps, startStep, { losses: '', ips: '-', eta_text: '?' });
      },
      step(e) {
        bar.update(e.step, { losses: formatLosses(e.losses), ips: e.imgPerSec.toFixed(0), eta_text: formatDuration(rate.eta(e.step, e.totalSteps)) });
      },
      stop: () => bar.stop(),
    };
  }
  let every = 1;
  return {
    start(startStep, _total, logEvery) {
      rate.reset(startStep);
      every = logEvery;
    },
    step(e) {
      if (e.step % every !== 0 && e.step !== e.totalSteps) return;
      io.stdout(`step ${e.step}/${e.totalSteps}  ${formatLosses(e.losses)}  ${e.imgPerSec.toFixed(1)} img/s  eta ${formatDuration(rate.eta(e.step, e.totalSteps))}\n`);
    },
    stop() {},
  };
}
