/**
 * WGAN's weight clipping (Arjovsky et al. 2017, Algorithm 1): after every critic update, every trainable
 * weight is clamped to [-c, c], a crude way to keep the critic K-Lipschitz. Runs inside the engine's tidy,
 * so the clipped copies are released once the variables hold them.
 */
import type { LayersModel, TF } from '@ganforge/core';

export function clipWeights(tf: TF, model: LayersModel, c: number): void {
  for (const weight of model.trainableWeights) weight.write(tf.clipByValue(weight.read(), -c, c));
}
