/**
 * Drawing images during a run and from exported noise → image artifacts. The objective may supply
 * `sample`; the default feeds its first noise → image artifact N(0, 1) noise of its input size, plus int32
 * class labels when the model has a second input.
 */
import type { Tensor, Tensor4D, TensorContainer } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import { callHook } from '../plugin/driver.js';
import type { PreparedBatch } from '../data/pipeline.js';
import type { Batch, RandomSource, SampleRequest, SampleResult, TF } from '../plugin/types.js';
import type { ImageBatch } from '../run/png.js';
import type { BuiltArtifact, BuiltRun } from './build.js';
import { withAverage, type RunHandle } from './lifecycle.js';
import { RANDOM_STREAM, SeededRandom } from './random.js';

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

/** The artifact sample grids and evaluation draw from: the first one taking noise and giving images. */
export function sampleArtifact(built: Pick<BuiltRun, 'artifacts'>): BuiltArtifact | undefined {
  return Object.values(built.artifacts).find((a) => (a.input === 'noise' || a.input === 'noise+label') && a.output === 'image');
}

/** Whether a run can draw images at all (the objective samples, or it declares a noise → image artifact). */
export function canSample(built: Pick<BuiltRun, 'artifacts' | 'program'>): boolean {
  return built.program.sample !== undefined || sampleArtifact(built) !== undefined;
}

/** Class count of the run's labelled data, if any. */
export function numClassesOf(built: Pick<BuiltRun, 'data'>): number | undefined {
  return Object.values(built.data).find((d) => d.numClasses !== undefined)?.numClasses;
}

/** Images drawn for a grid or an evaluation, with the classes they should show when known. */
export interface DrawnImages extends ImageBatch {
  labels?: Int32Array;
}

/**
 * Images from the run's fixed sample noise or fixed real inputs (the same every time), with the averaged
 * weights when kept. The objective's `sample` decides when it has one; else its noise → image artifact.
 */
export async function drawSamples(run: RunHandle, n: number, labels?: Int32Array, purpose: SampleRequest['purpose'] = 'grid'): Promise<DrawnImages> {
  const { tf, built, spec } = run;
  const artifact = sampleArtifact(built);
  const numClasses = numClassesOf(built);
  const wanted = labels ?? (numClasses !== undefined ? sampleLabels(n, numClasses) : undefined);
  const scale = Object.values(built.streams)[0]!.scale;
  const inputs = built.program.sample ? await fixedInputs(tf, built, n) : undefined;
  const draw = (): SampleResult =>
    tf.tidy(() => {
      const fixed = new SeededRandom(tf, spec.training.seed).at(RANDOM_STREAM.sample);
      if (built.program.sample) {
        const images = (stream: string, count: number): Batch => inputs!.take(stream, count);
        const out = callHook({ ...built.objectiveSite, hook: 'sample' }, () => built.program.sample!({ n, random: fixed, labels: wanted, purpose, images }));
        return (isTensor(out) ? { images: out } : out) as unknown as TensorContainer;
      }
      if (!artifact) throw new GanforgeError('GF_PLUGIN_HOOK', `${built.objectiveSite.entry} declares no artifact that draws images from noise, and no sample().`, { plugin: built.objectiveSite.plugin, hook: 'sample' });
      return { images: defaultSample(tf, artifact.modelsBuilt[0]!, n, fixed, wanted) } as unknown as TensorContainer;
    }) as unknown as SampleResult;
  const models = built.program.sample ? Object.values(built.models) : artifact!.modelsBuilt;
  const result = await withAverage(run, models, draw);
  const drawn: DrawnImages = await toImageBatch(result.images, scale);
  if (result.columns !== undefined) drawn.columns = result.columns;
  if (result.labels) {
    drawn.labels = Int32Array.from(await result.labels.data());
    result.labels.dispose();
  }
  return drawn;
}

const isTensor = (value: unknown): value is Tensor4D => typeof (value as Tensor4D)?.dataId === 'object' && Array.isArray((value as Tensor4D).shape);

/** Every stream's fixed real images, read ahead (reads are async; `sample` runs inside tf.tidy). */
async function fixedInputs(tf: TF, built: Pick<BuiltRun, 'streams'>, n: number): Promise<{ take(stream: string, count: number): Batch }> {
  const cache = new Map<string, PreparedBatch>();
  for (const [name, stream] of Object.entries(built.streams)) cache.set(name, await stream.fixed(n));
  return {
    take(stream, count) {
      const batch = cache.get(stream);
      if (!batch) throw new Error(`sample() asked for images of data stream "${stream}", which the spec does not define (streams: ${[...cache.keys()].join(', ')}).`);
      if (count > batch.shape[0]) throw new Error(`sample() asked for ${count} images of "${stream}"; it may ask for at most n = ${batch.shape[0]}.`);
      const [, h, w, c] = batch.shape;
      const x = tf.tensor4d(batch.x.subarray(0, count * h * w * c), [count, h, w, c]);
      const out: Batch = batch.label ? { x, label: tf.tensor1d(batch.label.subarray(0, count), 'int32') } : { x };
      if (batch.pair) {
        const [, ph, pw, pc] = batch.pairShape!;
        out.pair = tf.tensor4d(batch.pair.subarray(0, count * ph * pw * pc), [count, ph, pw, pc]);
      }
      return out;
    },
  };
}

/** A batch of images copied into JavaScript memory (for PNG encoding, metrics); disposes the tensor. */
export async function toImageBatch(images: Tensor4D, scale: ImageBatch['scale']): Promise<ImageBatch> {
  try {
    const [count, h, w, c] = images.shape;
    return { data: Float32Array.from(await images.data()), shape: [count, h, w, c], scale };
  } finally {
    images.dispose();
  }
}
