/**
 * The spec checks every self-conditioned objective needs: a generator with a code of K values (generator-code.ts),
 * a discriminator or critic that takes a label of K values (projection), and K pixel clusters to label the reals.
 * Each mismatch is a coded, located error rather than a shape error deep inside a training step.
 */
import { GanforgeError, type LayersModel } from '@ganforge/core';
import { codeSize } from './generator-code.js';

/** How many label values a conditional discriminator embeds (its one-hot layer's size). */
export function labelValues(D: LayersModel): number | undefined {
  const oneHot = D.layers.find((l) => l.getClassName() === 'CategoryEncoding');
  return oneHot ? (oneHot.getConfig().numTokens as number) : undefined;
}

/**
 * True when `judge` (the model that takes labels: "discriminator" or "critic") is to be self-conditioned by
 * `clusters` pixel clusters, false when nothing is conditional; throws GF_SPEC_CONFLICT on any half-way setup.
 */
export function checkClusterConditioning(G: LayersModel, judge: LayersModel, role: string, clusters: number): boolean {
  const takesLabels = judge.inputs.length > 1;
  if (!takesLabels && clusters === 0) return false;
  const codes = codeSize(G) ?? 0;
  const values = takesLabels ? labelValues(judge) : undefined;
  if (takesLabels && clusters > 0 && codes === clusters && values === clusters) return true;
  const want = clusters || codes || values || 10;
  const problem = !takesLabels
    ? `objective option clusters is ${clusters}, but the ${role} "${judge.name}" takes no label`
    : codes === 0
      ? `the ${role} "${judge.name}" takes a label, but the generator "${G.name}" draws no code to give it`
      : clusters === 0
        ? `the ${role} "${judge.name}" takes a label, but nothing labels the real images (objective option clusters is 0)`
        : `the generator's code has ${codes} values, the ${role} embeds ${values ?? 'an unknown number of'} labels and the objective makes ${clusters} clusters`;
  throw new GanforgeError('GF_SPEC_CONFLICT', `Self-conditioning needs one K everywhere: ${problem}.`, {
    pointer: clusters > 0 ? '/objective/options/clusters' : `/models/${role}/options`,
    hint: `Give the generator options.codes ${want}, the ${role} options.conditional "projection" with options.classes ${want} (e.g. dcgan/discriminator), and the objective options.clusters ${want}; or drop all three.`,
  });
}
