/** What both networks share: seeded initializers and stream lookup. */
import { GanforgeError, type ArchitectureContext, type DataInfo, type TF } from '@ganforge/core';

/** Seeded Glorot-uniform kernels (Keras' default), a fresh seed per layer. */
export function kernels(tf: TF, seed: number): () => ReturnType<TF['initializers']['glorotUniform']> {
  let next = seed;
  return () => tf.initializers.glorotUniform({ seed: next++ });
}

/** A data stream's shape by name; a name the spec does not define is a located spec error. */
export function streamInfo(ctx: ArchitectureContext<unknown>, stream: string, option: string): DataInfo {
  const info = ctx.data[stream];
  if (!info) {
    throw new GanforgeError('GF_SPEC_REFERENCE', `Model "${ctx.name}" reads the data stream "${stream}" (options.${option}), which the spec does not define.`, {
      pointer: `/models/${ctx.name}/options/${option}`,
      hint: `Set options.${option} to one of: ${Object.keys(ctx.data).map((s) => `"${s}"`).join(', ')}.`,
    });
  }
  return info;
}
