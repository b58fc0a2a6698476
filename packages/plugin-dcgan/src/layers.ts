/** Small builders for the layers both networks use, so seeds, initializers and batch-norm settings stay in one place. */
import type { SymbolicTensor, TF } from '@ganforge/core';

export interface LayerFactory {
  /** Kernel initializer with a fresh seed per layer. */
  kernel(): ReturnType<TF['initializers']['glorotUniform']>;
  batchNorm(x: SymbolicTensor, name: string): SymbolicTensor;
  activation(x: SymbolicTensor, kind: 'relu' | 'leakyRelu', name: string): SymbolicTensor;
}

export function layerFactory(tf: TF, seed: number, init: 'dcgan' | 'glorot', leakySlope: number): LayerFactory {
  let next = seed;
  const kernel = () =>
    init === 'dcgan' ? tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: next++ }) : tf.initializers.glorotUniform({ seed: next++ });
  return {
    kernel,
    batchNorm: (x, name) =>
      tf.layers
        .batchNormalization({
          name,
          // PyTorch's defaults (momentum 0.1 there = 0.9 here, eps 1e-5), which DCGAN recipes are tuned with.
          momentum: 0.9,
          epsilon: 1e-5,
          ...(init === 'dcgan' ? { gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: next++ }) } : {}),
        })
        .apply(x) as SymbolicTensor,
    activation: (x, kind, name) =>
      (kind === 'relu' ? tf.layers.reLU({ name }) : tf.layers.leakyReLU({ alpha: leakySlope, name })).apply(x) as SymbolicTensor,
  };
}

/**
 * The class-label input: int32, one label per example. Declared [batch, 1] because LayersModel.predict
 * reshapes a [batch] tensor to [batch, 1]; `embed` accepts both, so apply([batch]) and predict work alike.
 */
export function labelInput(tf: TF, modelName: string): SymbolicTensor {
  return tf.input({ shape: [1], dtype: 'int32', name: `${modelName}_label` });
}

/**
 * A learned vector per class: labels → [batch, size]. Written as one-hot → dense (no bias), which equals an
 * embedding lookup, because the embedding's gradient (UnsortedSegmentSum) has no wasm kernel while a
 * matrix product trains on every backend.
 */
export function embed(tf: TF, layers: LayerFactory, label: SymbolicTensor, classes: number, size: number, name: string): SymbolicTensor {
  // CategoryEncoding overwrites its input's shape array in place (tfjs-layers 4.22): give it a copy from an
  // identity reshape, so the model's label input keeps its declared shape (also when a saved model is loaded).
  const labels = tf.layers.reshape({ targetShape: [1], name: `${name}_labels` }).apply(label) as SymbolicTensor;
  const oneHot = tf.layers.categoryEncoding({ numTokens: classes, outputMode: 'oneHot', name: `${name}_one_hot` }).apply(labels) as SymbolicTensor;
  return tf.layers.dense({ units: size, useBias: false, kernelInitializer: layers.kernel(), name }).apply(oneHot) as SymbolicTensor;
}
