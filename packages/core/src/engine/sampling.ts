/**
 * Drawing images from a trained model. The objective may supply `sample`; the default feeds the sample
 * model N(0, 1) noise of its input size, plus int32 class labels when it has a second input.
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import type { RandomSource, TF } from '../plugin/types.js';

/** Noise size and whether the model takes labels, read from its inputs. */
export function generatorInputs(model: LayersModel): { noiseShape: number[]; conditional: boolean } {
  const [noise, label] = model.inputs;
  const shape = noise?.shape.slice(1) ?? [];
  if (shape.some((d) => d == null)) {
    throw new GanforgeError('GF_RUN_DIR', `Model "${model.name}" has an input of unknown size ${JSON.stringify(noise?.shape)}; it cannot be sampled from noise.`);
  }
  return { noiseShape: shape as number[], conditional: label !== undefined };
}

/** Labels for `n` samples: the requested ones, else 0, 1, 2, … cycling through the classes. */
export function sampleLabels(n: number, numClasses: number, requested?: Int32Array | number[]): Int32Array {
  if (requested) return Int32Array.from(requested);
  return Int32Array.from({ length: n }, (_, i) => i % Math.max(1, numClasses));
}

export function defaultSample(tf: TF, model: LayersModel, n: number, random: RandomSource, labels?: Int32Array): Tensor4D {
  const { noiseShape, conditional } = generatorInputs(model);
  return tf.tidy(() => {
    const noise = random.normal([n, ...noiseShape]);
    const inputs: Tensor[] = [noise];
    if (conditional) {
      if (!labels) {
        throw new GanforgeError('GF_USAGE', `Model "${model.name}" is conditional: pass labels (--label) to sample it.`);
      }
      // Labels are int32 [batch] by contract; a model whose label input is [batch, 1] gets that shape.
      const rank = model.inputs[1]!.shape.length;
      inputs.push(rank === 2 ? tf.tensor2d(labels, [n, 1], 'int32') : tf.tensor1d(labels, 'int32'));
    }
    // apply, not predict: predict would turn a [batch] label tensor into [batch, 1].
    const out = model.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as Tensor;
    return out as Tensor4D;
  });
}
