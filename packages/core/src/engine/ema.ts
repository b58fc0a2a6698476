/**
 * Exponential moving average of one model's weights (e.g. the generator's), used for sample grids and
 * export. The shadow copy lives in non-trainable variables; `withAveraged` swaps it in for a moment.
 */
import type { Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TF } from '../plugin/types.js';
import { fromHost, toHost, type HostTensor } from './host-tensor.js';
import type { RunListener } from './lifecycle.js';

export class WeightAverage {
  readonly #shadow: Variable[];

  constructor(
    private readonly tf: TF,
    readonly model: LayersModel,
    readonly decay: number,
    readonly startStep: number,
  ) {
    this.#shadow = model.weights.map((w) => tf.variable(w.read(), false));
  }

  /** After a step: before `startStep` the average just follows the weights. */
  update(step: number): void {
    const decay = step < this.startStep ? 0 : this.decay;
    this.tf.tidy(() => {
      this.model.weights.forEach((w, i) => {
        const shadow = this.#shadow[i]!;
        shadow.assign(decay === 0 ? w.read() : this.tf.add(this.tf.mul(shadow, decay), this.tf.mul(w.read(), 1 - decay)));
      });
    });
  }

  /** Run `fn` with the averaged weights in the model, then put the trained weights back. */
  async withAveraged<T>(fn: () => T | Promise<T>): Promise<T> {
    const trained = this.model.weights.map((w) => w.read().clone());
    this.model.weights.forEach((w, i) => w.write(this.#shadow[i]!));
    try {
      return await fn();
    } finally {
      this.model.weights.forEach((w, i) => w.write(trained[i]!));
      this.tf.dispose(trained);
    }
  }

  async save(): Promise<HostTensor[]> {
    return Promise.all(this.#shadow.map((v) => toHost(v)));
  }

  load(saved: HostTensor[]): void {
    if (saved.length !== this.#shadow.length) throw new Error(`EMA state has ${saved.length} tensors, model has ${this.#shadow.length} weights`);
    saved.forEach((host, i) => {
      const t = fromHost(this.tf, host);
      this.#shadow[i]!.assign(t);
      t.dispose();
    });
  }

  dispose(): void {
    this.tf.dispose(this.#shadow);
  }
}

/** Updates the average after every step (before samples and checkpoints of that step see it). */
export function weightAverageListener(average: WeightAverage): RunListener {
  return {
    name: 'weight average',
    step: ({ step }) => average.update(step - 1),
  };
}
