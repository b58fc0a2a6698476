/**
 * Tests only: MNIST digits as tensors in the "tanh" training scale, and metrics built as the engine builds
 * them, on the host's tf from `@ganforge/core/testing`.
 */
import type { DataSource, Metric, MetricDefinition, Tensor4D } from '@ganforge/core';
import { entryOptions, silentLog, tf } from '@ganforge/core/testing';
import mnist from '@ganforge/plugin-mnist';

export const TANH: [number, number] = [-1, 1];

/** Held-out MNIST digits (the classifier never trained on them), optionally only some digits. */
export function heldOutDigits(options: { digits?: number[]; maxPerDigit?: number } = {}): { images: Tensor4D; labels: Int32Array } {
  const source = mnist.datasets!.digits!.open({ tf, options: { digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], split: 'validation', validationFraction: 0.1, ...options }, specDir: '.', log: silentLog }) as DataSource;
  const raw = source.read([...Array(source.info.size).keys()]) as { x: Uint8Array; label: Int32Array };
  const scaled = Float32Array.from(raw.x, (v) => (v / 255) * 2 - 1);
  return { images: tf.tensor4d(scaled, [source.info.size, 28, 28, 1]), labels: raw.label };
}

/** Rows `indices` of a batch of images. */
export function pick(images: Tensor4D, indices: number[]): Tensor4D {
  return tf.gather(images, tf.tensor1d(indices, 'int32')) as Tensor4D;
}

/** Every `step`-th index starting at `offset`, below n. */
export function strided(n: number, step: number, offset: number): number[] {
  return Array.from({ length: Math.ceil((n - offset) / step) }, (_, i) => offset + i * step).filter((i) => i < n);
}

export async function buildMetric(definition: MetricDefinition, options: Record<string, unknown> = {}): Promise<Metric> {
  return definition.build({ tf, options: entryOptions(definition, options), log: silentLog });
}
