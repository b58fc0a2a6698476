/**
 * The training loop's one step: for each phase of the objective, `repeat` times, take the phase's loss
 * under a gradient tape w.r.t. the variables of that phase's optimizer group only, check it is finite,
 * clip and apply. Every phase repetition runs inside tf.tidy; tensors survive only through `keep`.
 */
import type { Scalar, Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { GanforgeError } from '../errors.js';
import { callHook, contractError } from '../plugin/driver.js';
import type { Batch, Phase, PhaseLoss, StepContext, TF } from '../plugin/types.js';
import type { BuiltRun } from './build.js';
import { applyGradients, setLearningRate, type OptimizerGroup } from './optimizers.js';
import { RANDOM_STREAM, SeededRandom, type RandomPosition } from './random.js';
import { learningRate } from './schedules.js';

export interface StepResult {
  /** Steps completed, counting this one (1-based). */
  step: number;
  /** Mean over repetitions of each phase's total loss, and its named parts as "<phase>/<part>". */
  losses: Record<string, number>;
  /** Learning rate of each optimizer group during this step. */
  lr: Record<string, number>;
  /** Mean of each signal the objective reported during this step (`step.report`); empty when none. */
  signals: Record<string, number>;
  /** Adaptive augmentations' values after this step, as "<entry id>.<key>" (e.g. "augment/ada.p"); empty when none. */
  augment: Record<string, number>;
}

export interface TrainerOptions {
  tf: TF;
  built: BuiltRun;
  groups: Record<string, OptimizerGroup>;
  random: SeededRandom;
  totalSteps: number;
  /** Steps already completed (when resuming). */
  startStep?: number;
}

function isScalar(loss: PhaseLoss): loss is Scalar {
  return typeof (loss as Scalar).dataId === 'object' && typeof (loss as Scalar).shape === 'object';
}

/** The trainer's own random streams: each has its state, so augmentations never shift a phase's noise. */
export interface TrainerRandom {
  /** The phase's `step.random` (noise, interpolation weights). */
  phase: SeededRandom;
  /** What augmentations draw (offsets, cutout masks, flips). */
  augment: SeededRandom;
}

export class Trainer {
  /** Steps completed. */
  step: number;
  readonly random: TrainerRandom;
  readonly #o: TrainerOptions;
  /** Most batches a phase drew from each stream, so enough are in memory before it runs again. */
  readonly #draws: Record<string, number>[];

  constructor(options: TrainerOptions) {
    this.#o = options;
    this.step = options.startStep ?? 0;
    this.random = { phase: options.random.at(RANDOM_STREAM.step), augment: options.random.at(RANDOM_STREAM.augment) };
    this.#draws = options.built.program.phases.map(() => ({}));
  }

  async runStep(): Promise<StepResult> {
    const { built, groups, totalSteps } = this.#o;
    const step = this.step;
    const lr: Record<string, number> = {};
    for (const [name, group] of Object.entries(groups)) {
      setLearningRate(group, learningRate(group.config, step, totalSteps));
      lr[name] = group.lr;
    }
    const losses: Record<string, number> = {};
    const reported: Record<string, number[]> = {};
    for (const [p, phase] of built.program.phases.entries()) {
      const repeat = phase.repeat ?? 1;
      for (let r = 0; r < repeat; r++) {
        const values = await this.#runPhase(phase, p, step, r, reported);
        for (const [key, value] of Object.entries(values)) losses[key] = (losses[key] ?? 0) + value / repeat;
      }
    }
    this.step = step + 1;
    const signals = Object.fromEntries(Object.entries(reported).map(([name, v]) => [name, v.reduce((a, b) => a + b, 0) / v.length]));
    // Adaptive augmentations (ADA) adjust themselves from this step's signals, after its updates.
    const augment: Record<string, number> = {};
    for (const a of built.augments) {
      if (!a.adaptive) continue;
      if (a.adaptive.observe) callHook({ ...a.site, hook: 'observe' }, () => a.adaptive!.observe!(signals, this.step));
      const values = a.adaptive.values ? callHook({ ...a.site, hook: 'values' }, () => a.adaptive!.values!()) : {};
      for (const [key, value] of Object.entries(values)) augment[`${a.use}.${key}`] = value;
    }
    return { step: this.step, losses, lr, signals, augment };
  }

  /**
   * Every phase's loss and gradients once, updating nothing and consuming no data (batches are peeked at):
   * what the kernel capability check records. Model weights and objective state are the caller's to restore.
   */
  async dryRun(): Promise<void> {
    const { tf, built, groups } = this.#o;
    await Promise.all(Object.values(built.streams).map((stream) => stream.ready(1)));
    for (const [p, phase] of built.program.phases.entries()) {
      const peeked: Record<string, number> = {};
      const context: StepContext = {
        tf,
        step: this.step,
        repeat: 0,
        random: this.#o.random.at(RANDOM_STREAM.check, p),
        batch: (name) => this.#batch(name, peeked[name] = (peeked[name] ?? -1) + 1),
        augment: (images, point) => this.#augment(images, this.#point(point)),
        keep: (tensor) => tf.keep(tensor),
        report: () => {},
      };
      const site = { ...built.objectiveSite, hook: `phases[${p}] "${phase.name}".loss` };
      tf.tidy(() => {
        tf.variableGrads(() => {
          const out = callHook(site, () => phase.loss(context));
          return isScalar(out) ? out : out.total;
        }, groups[phase.optimizer]!.variables);
      });
    }
  }

  async #runPhase(phase: Phase, p: number, step: number, repeat: number, reported: Record<string, number[]>): Promise<Record<string, number>> {
    const { tf, built, groups } = this.#o;
    const group = groups[phase.optimizer]!;
    const draws = this.#draws[p]!;
    await Promise.all(Object.entries(built.streams).map(([name, stream]) => stream.ready(draws[name] ?? 1)));

    // Each phase repetition starts both streams at a position of their own, derived from (step, phase, repeat).
    const random = (this.random.phase = this.#o.random.at(RANDOM_STREAM.step, step, p, repeat));
    this.random.augment = this.#o.random.at(RANDOM_STREAM.augment, step, p, repeat);
    const counts: Record<string, number> = {};
    const context: StepContext = {
      tf,
      step,
      repeat,
      random,
      batch: (name) => {
        counts[name] = (counts[name] ?? 0) + 1;
        return this.#batch(name);
      },
      augment: (images, point) => this.#augment(images, this.#point(point)),
      keep: (tensor) => tf.keep(tensor),
      report: (name, value) => void reports.push([name, tf.keep(tf.reshape(value, []) as Scalar)]),
    };
    const reports: [string, Scalar][] = [];
    const site = { ...built.objectiveSite, hook: `phases[${p}] "${phase.name}".loss` };

    const names: string[] = [phase.name];
    const update = () => tf.tidy(() => {
      let parts: Record<string, Scalar> = {};
      const { value, grads } = tf.variableGrads(() => {
        const out = callHook(site, () => phase.loss(context));
        if (isScalar(out)) return out;
        // Parts are logged, not differentiated: keep them past the tape's own tidy, released below.
        parts = Object.fromEntries(Object.entries(out.parts ?? {}).map(([k, v]) => [k, tf.keep(v)]));
        return out.total;
      }, group.variables);
      const partNames = Object.keys(parts);
      names.push(...partNames.map((k) => `${phase.name}/${k}`));
      const readout = tf.stack([value, ...partNames.map((k) => tf.reshape(parts[k]!, []))]).dataSync();
      tf.dispose(Object.values(parts));
      const bad = [...readout].findIndex((v) => !Number.isFinite(v));
      if (bad !== -1) {
        throw new GanforgeError(
          'GF_TRAIN_NONFINITE',
          `Loss "${names[bad]}" became ${readout[bad]} at step ${step + 1}, phase "${phase.name}" (repeat ${repeat + 1}). Training stopped before applying it.`,
          {
            step: step + 1,
            phase: phase.name,
            hint: 'Lower the learning rate, set clipNorm on the optimizer group, or check the data scaling; the last good checkpoint is kept.',
          },
        );
      }
      applyGradients(tf, group, grads as Record<string, Tensor>);
      return readout;
    });
    let values: ReturnType<typeof update>;
    try {
      values = update();
    } catch (error) {
      tf.dispose(reports.map(([, value]) => value)); // a phase that failed reports nothing
      throw error;
    }
    if (phase.afterUpdate) tf.tidy(() => callHook({ ...site, hook: `phases[${p}] "${phase.name}".afterUpdate` }, () => phase.afterUpdate!(context)));
    for (const [name, value] of reports) {
      (reported[name] ??= []).push(value.dataSync()[0]!);
      value.dispose();
    }
    for (const [name, n] of Object.entries(counts)) draws[name] = Math.max(draws[name] ?? 1, n);
    return Object.fromEntries(names.map((name, i) => [name, values[i]!]));
  }

  /** A batch as tensors, with the "data" augmentations of its stream applied. */
  #batch(name: string, peekAhead?: number): Batch {
    const { tf, built } = this.#o;
    const stream = built.streams[name];
    if (!stream) {
      throw contractError({ ...built.objectiveSite, hook: 'batch' }, `asked for data stream "${name}", which the spec does not define (streams: ${Object.keys(built.streams).join(', ')}).`);
    }
    const prepared = peekAhead === undefined ? stream.take() : stream.peek(peekAhead);
    const x = tf.tensor4d(prepared.x, prepared.shape);
    const batch: Batch = { x: this.#augment(x, 'data', name) };
    if (prepared.label) batch.label = tf.tensor1d(prepared.label, 'int32');
    if (prepared.pair) batch.pair = tf.tensor4d(prepared.pair, prepared.pairShape!);
    return batch;
  }

  /** Positions of the random streams, for checkpoints. */
  randomPositions(): Record<keyof TrainerRandom, RandomPosition> {
    return { phase: this.random.phase.position, augment: this.random.augment.position };
  }

  restoreRandom(positions: Partial<Record<keyof TrainerRandom, RandomPosition>>): void {
    if (positions.phase) this.random.phase.restore(positions.phase);
    if (positions.augment) this.random.augment.restore(positions.augment);
  }

  /** The augmentation point a phase asked for: one the objective declares, by default its first. */
  #point(point: string | undefined): string | undefined {
    const { built } = this.#o;
    if (point === undefined) return built.augmentPoints[0];
    if (!built.augmentPoints.includes(point)) {
      throw contractError(
        { ...built.objectiveSite, hook: 'augment' },
        `applied augmentations at point "${point}", which it does not declare (augmentPoints: ${built.augmentPoints.join(', ') || 'none'}).`,
      );
    }
    return point;
  }

  /** The spec's augmentations placed at `at` (for "data": those of `stream`), in spec order. */
  #augment(images: Tensor4D, at: string | undefined, stream?: string): Tensor4D {
    let out = images;
    if (at === undefined) return out;
    for (const augment of this.#o.built.augments) {
      if (augment.at !== at) continue;
      if (stream !== undefined && augment.streams && !augment.streams.includes(stream)) continue;
      out = callHook(augment.site, () => augment.fn(out, this.random.augment));
    }
    return out;
  }
}
