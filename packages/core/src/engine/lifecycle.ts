/**
 * The run lifecycle: the training loop only emits events — start, step, sample, checkpoint, evaluate,
 * end — and everything else a run does subscribes to them: the metrics log, TensorBoard, sample grids,
 * checkpoints, the weight average, evaluation, artifact export, and the embedding app's callbacks.
 * Listeners run one after another in the order they were added, and each event's listeners finish before
 * the loop goes on, so a checkpoint written at step N always holds the state after step N.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Storage } from '../host/types.js';
import type { Logger, TF } from '../plugin/types.js';
import type { ImageBatch } from '../run/png.js';
import type { OutputSettings } from '../run/output-settings.js';
import type { ResolvedSpec } from '../spec/types.js';
import type { BackendSelection } from './choose-backend.js';
import type { BuiltRun } from './build.js';
import type { WeightAverage } from './ema.js';
import type { OptimizerGroup } from './optimizers.js';
import type { StepResult, Trainer } from './trainer.js';

export interface RunStartEvent {
  runDir: string;
  backend: BackendSelection;
  /** Steps already done (when resuming). */
  startStep: number;
  totalSteps: number;
  settings: OutputSettings;
  /** Newer checkpoints skipped on resume because they were broken. */
  skippedCheckpoints: { dir: string; reason: string }[];
  /** Training wall time of earlier sessions of this run (resume). */
  elapsedMs: number;
}

export interface StepEvent extends StepResult {
  totalSteps: number;
  /** Images per second over the last step. */
  imgPerSec: number;
  /** Training wall time so far, across resumes. */
  elapsedMs: number;
  /** Passes over the first data stream so far. */
  epoch: number;
}

export interface SampleEvent {
  step: number;
  /** The PNG grid written. */
  file: string;
  images: ImageBatch;
}

export interface CheckpointEvent {
  step: number;
  dir: string;
}

export interface EvaluateEvent {
  step: number;
  /** Values by metric name, then by key ("value" is the headline). */
  metrics: Record<string, Record<string, number>>;
  seconds: number;
}

export interface RunEndEvent {
  step: number;
  totalSteps: number;
  /** True when stopped by the abort signal before the last step. */
  interrupted: boolean;
  elapsedMs: number;
}

/** What listeners may use: the live run, and the few services the loop provides. */
export interface RunHandle {
  tf: TF;
  spec: ResolvedSpec;
  built: BuiltRun;
  groups: Record<string, OptimizerGroup>;
  trainer: Trainer;
  storage: Storage;
  runDir: string;
  settings: OutputSettings;
  log: Logger;
  /** Plugins of the run by package name and version (recorded in checkpoints and artifacts). */
  plugins: { name: string; version: string }[];
  /** Emit an event from a listener (the sample grid listener emits "sample" after writing a grid). */
  emit<E extends RunEventName>(event: E, payload: RunEvents[E]): Promise<void>;
  /** The weight average (training.ema), when the spec keeps one: samples and exports use it. */
  ema?: WeightAverage;
}

/** Run `fn` with the averaged weights in place when `models` include the averaged model. */
export async function withAverage<T>(run: Pick<RunHandle, 'ema'>, models: readonly LayersModel[], fn: () => T | Promise<T>): Promise<T> {
  return run.ema && models.includes(run.ema.model) ? run.ema.withAveraged(fn) : fn();
}

export interface RunEvents {
  start: RunStartEvent;
  step: StepEvent;
  sample: SampleEvent;
  checkpoint: CheckpointEvent;
  evaluate: EvaluateEvent;
  end: RunEndEvent;
}
export type RunEventName = keyof RunEvents;

/** A subscriber: implement the events it cares about. `name` appears in errors. */
export type RunListener = { name: string; dispose?(): void | Promise<void> } & {
  [E in RunEventName]?: (event: RunEvents[E], run: RunHandle) => void | Promise<void>;
};

export class Lifecycle {
  readonly #listeners: RunListener[] = [];

  add(...listeners: (RunListener | undefined)[]): void {
    for (const listener of listeners) if (listener) this.#listeners.push(listener);
  }

  async emit<E extends RunEventName>(event: E, payload: RunEvents[E], run: RunHandle): Promise<void> {
    for (const listener of this.#listeners) {
      const handler = listener[event] as ((e: RunEvents[E], r: RunHandle) => void | Promise<void>) | undefined;
      if (handler) await handler.call(listener, payload, run);
    }
  }

  /** Release what listeners hold, in reverse order; every listener is disposed even if one throws. */
  async dispose(): Promise<void> {
    let failure: unknown;
    for (const listener of [...this.#listeners].reverse()) {
      try {
        await listener.dispose?.();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
