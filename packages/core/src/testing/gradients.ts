/**
 * What a plugin's layer tests compare across backends: a model's output, its gradient w.r.t. the input and
 * w.r.t. every trainable weight, for the scalar sum(model(x) · mask) (a random mask, so every output element
 * gets its own upstream gradient). Run it on cpu and on wasm and compare with `relativeError`.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tfNamespace from '../engine/tf.js';

/** max |a − b| / max |b|: the error over a whole tensor, relative to the reference's largest value. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

/**
 * [model(x) in inference mode, d/dx, d/dweight for each trainable weight] of sum(model(x, training) · mask) on
 * the active backend, as plain arrays. `input` and `mask` make fresh tensors (they are disposed here).
 */
export function forwardAndGradients(model: LayersModel, input: () => Tensor, mask: () => Tensor): Float32Array[] {
  const tf = tfNamespace;
  const out: Tensor[] = tf.tidy(() => {
    const x = input();
    const m = mask();
    const f = (xx: Tensor) => tf.sum(tf.mul(model.apply(xx, { training: true }) as Tensor, m));
    const y = model.apply(x) as Tensor;
    const dx = tf.grad(f)(x);
    const { grads } = tf.variableGrads(() => f(x) as never, model.trainableWeights.map((w) => (w as unknown as { val: never }).val));
    return [y, dx, ...Object.values(grads)];
  });
  const arrays = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  return arrays;
}
