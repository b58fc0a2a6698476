/**
 * A categorical code carried by the generator's own noise, for self-conditioned training (InfoGAN, Chen et al.
 * 2016; self-conditioned GANs, Liu et al. 2020): c = one-hot(argmax of the first K noise values), uniform over
 * K values for N(0, 1) noise. The generator reads it through a frozen layer, so it stays a plain noise → image
 * model (exported, sampled and served like any other), and an objective recovers each fake's code from its noise
 * (`codesOf`) to condition a discriminator or critic on it. Architectures build it with `codeFromNoise` +
 * `fixCodeKernel`; objectives find it with `codeSize`.
 */
import type { LayersModel, SymbolicTensor, Tensor, Tensor1D, TF } from '@ganforge/core';

/** softmax(scale · z) is one-hot of argmax z up to near-ties (a gap of 0.005 still gives 99 %). */
const SHARPNESS = 1000;

/** Layer name suffix by which the objective finds a generator's code. */
const CODE_SUFFIX = '_code';

/**
 * The code as standard layers (so any tfjs loads the exported model without this plugin): a frozen dense
 * layer that picks the first K noise values and scales them, then softmax. Its kernel is set by `fixCodeKernel`.
 */
export function codeFromNoise(tf: TF, noise: SymbolicTensor, codes: number, modelName: string): SymbolicTensor {
  return tf.layers
    .dense({ units: codes, useBias: false, trainable: false, kernelInitializer: 'zeros', activation: 'softmax', name: `${modelName}${CODE_SUFFIX}` })
    .apply(noise) as SymbolicTensor;
}

/** Sets the frozen kernel of `codeFromNoise`: SHARPNESS on the diagonal of the first K rows, 0 elsewhere. */
export function fixCodeKernel(tf: TF, model: LayersModel, codes: number, latentDim: number): void {
  const kernel = new Float32Array(latentDim * codes);
  for (let k = 0; k < codes; k++) kernel[k * codes + k] = SHARPNESS;
  const value = tf.tensor2d(kernel, [latentDim, codes]);
  model.getLayer(`${model.name}${CODE_SUFFIX}`).setWeights([value]);
  value.dispose();
}

/** K of the generator's categorical code, or undefined when it has none. */
export function codeSize(G: LayersModel): number | undefined {
  const layer = G.layers.find((l) => l.name.endsWith(CODE_SUFFIX) && l.getClassName() === 'Dense');
  return layer ? (layer.getConfig().units as number) : undefined;
}

/** The code value each noise row carries: argmax of its first K values. */
export function codesOf(tf: TF, noise: Tensor, codes: number): Tensor1D {
  return tf.argMax(tf.slice(noise, [0, 0], [-1, codes]), 1) as Tensor1D;
}

/**
 * Noise that carries the given codes, distributed as N(0, 1) noise conditioned on each code: in every row the
 * largest of the first K values swaps places with the value at the wanted code. For iid coordinates that swap
 * maps {argmax = i} onto {argmax = j} one to one with equal density, so nothing else about the noise changes.
 * Objectives use it to draw fakes whose codes follow the real batch's labels (a conditional WGAN's critic
 * must see the same label mix on both sides, or it can push its score up for labels reals carry more often).
 */
export function noiseWithCodes(tf: TF, noise: Tensor, codes: Tensor1D, k: number): Tensor {
  return tf.tidy(() => {
    const head = tf.slice(noise, [0, 0], [-1, k]);
    const shape = head.shape as [number, number];
    const current = tf.cast(tf.oneHot(tf.argMax(head, 1), k), 'bool');
    const wanted = tf.cast(tf.oneHot(tf.cast(codes, 'int32'), k), 'bool');
    const largest = tf.broadcastTo(tf.max(head, 1, true), shape);
    const atWanted = tf.broadcastTo(tf.sum(tf.mul(head, tf.cast(wanted, 'float32')), 1, true), shape);
    // Selections, not arithmetic, so every value is moved exactly (where the two agree, both pick the largest).
    const swapped = tf.where(wanted, largest, tf.where(current, atWanted, head));
    return noise.shape[1] === k ? swapped : tf.concat([swapped, tf.slice(noise, [0, k], [-1, -1])], 1);
  });
}
