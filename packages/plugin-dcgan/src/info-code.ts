/**
 * InfoGAN's categorical code (Chen et al. 2016), read from the noise instead of a second generator input:
 * the generator takes c = one-hot(argmax of its first K noise values), which is uniform over K values for
 * N(0, 1) noise. So a generator with a code is still a plain noise → image model: exported, sampled,
 * evaluated and served like any other. The objective's optional model "q" learns to tell c from the image,
 * and the generator is rewarded when it can (the mutual-information term), which ties each code value to
 * one mode of the data (on MNIST: roughly one digit each) without reading a label. Fewer samples then fall
 * between modes, where a small unconditional generator draws digits nobody can read.
 */
import { GanforgeError, type LayersModel, type Scalar, type SymbolicTensor, type Tensor, type Tensor1D, type TF } from '@ganforge/core';

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

/** Cross-entropy of Q's logits against the codes (natural log; the paper's L_I up to the constant H(c)). */
export function infoLoss(tf: TF, logits: Tensor, codes: Tensor1D, size: number): Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(codes, size), logits) as Scalar;
}

/** The generator and Q must agree on K; a Q without a code to find is a spec mistake. */
export function checkInfoModels(G: LayersModel, Q: LayersModel): number {
  const codes = codeSize(G);
  const outputs = Q.outputs[0]!.shape;
  const units = outputs.length === 2 ? outputs[1] : undefined;
  if (codes === undefined) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `The spec has a model "q" (InfoGAN's code recognizer), but the generator "${G.name}" draws no categorical code.`, {
      pointer: '/models/generator/options',
      hint: 'Set the generator\'s options.codes (e.g. 10 for MNIST), or remove the model "q".',
    });
  }
  if (units !== codes || Q.inputs.length !== 1) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `Model "q" must map an image to ${codes} logits, one per code value of the generator; it gives ${JSON.stringify(outputs)}${Q.inputs.length > 1 ? ` from ${Q.inputs.length} inputs` : ''}.`, {
      pointer: '/models/q/options',
      hint: `Use { "use": "dcgan/discriminator", "options": { "outputs": ${codes} } } (unconditional).`,
    });
  }
  return codes;
}
