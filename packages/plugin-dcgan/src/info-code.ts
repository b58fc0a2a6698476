/**
 * InfoGAN's mutual-information term (Chen et al. 2016) for a generator with a categorical code read from
 * its noise (plugin-stability's generator-code.ts). The objective's optional model "q" learns to tell the
 * code c from the image, and the generator is rewarded when it can, which ties each code value to one mode
 * of the data (on MNIST: roughly one digit each) without reading a label. Fewer samples then fall between
 * modes, where a small unconditional generator draws digits nobody can read.
 */
import { GanforgeError, type LayersModel, type Scalar, type Tensor, type Tensor1D, type TF } from '@ganforge/core';
import { codeSize } from '@ganforge/plugin-stability';

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
