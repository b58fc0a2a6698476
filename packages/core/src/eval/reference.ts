/**
 * The real images an evaluation compares against: the held-out (validation) split of a data stream, never
 * the images the generator trained on. Without a validation split there is nothing honest to compare with.
 */
import { GanforgeError } from '../errors.js';
import type { DataStream } from '../data/pipeline.js';

export interface Reference {
  stream: string;
  /** Scaled like training data, NHWC. */
  x: Float32Array;
  shape: [number, number, number, number];
  label?: Int32Array;
  /** How the images were chosen, for eval.json. */
  split: { kind: 'validation'; validationSplit: number; heldOut: number; used: number; trainingExamples: number };
}

/** Up to `n` held-out images of `stream`, or of the first stream that has a validation split. */
export async function referenceImages(streams: Record<string, DataStream>, validationSplits: Record<string, number | undefined>, n: number, preferred?: string): Promise<Reference> {
  const entry = Object.entries(streams).find(([name, s]) => (preferred === undefined || name === preferred) && s.validationIndices.length > 0);
  if (!entry) {
    const first = preferred ?? Object.keys(streams)[0] ?? 'real';
    throw new GanforgeError('GF_SPEC_CONFLICT', 'Evaluation compares generated images with held-out real images, but no data stream holds any out.', {
      pointer: `/data/${first}/validationSplit`,
      hint: `Set data.${first}.validationSplit (e.g. 0.1) and train again: the held-out images are never trained on, so the numbers are honest.`,
    });
  }
  const [name, stream] = entry;
  const batch = (await stream.validation(n))!;
  return {
    stream: name,
    x: batch.x,
    shape: batch.shape,
    label: batch.label,
    split: {
      kind: 'validation',
      validationSplit: validationSplits[name] ?? 0,
      heldOut: stream.validationIndices.length,
      used: batch.shape[0],
      trainingExamples: stream.info.size,
    },
  };
}
