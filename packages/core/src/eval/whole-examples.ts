/**
 * Per-image metrics (PSNR, SSIM: `MetricDefinition.perImage`) on whole held-out examples: each example is
 * read at its full size (`DataSource.readWhole`, no crop window), its paired image fed to the artifact, and
 * the output scored against the example's image, one example at a time (sizes differ, memory stays that of
 * one image). Each value is the mean over the examples, as the papers report them.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { DataStream } from '../data/pipeline.js';
import type { LoadedArtifact } from '../run/open-artifact.js';
import type { TF } from '../plugin/types.js';
import { computeMetrics, type BuiltMetric, type MetricValues } from './metrics.js';

export interface WholeScores {
  values: MetricValues;
  /** Examples scored, and the range of their sizes ("1020x676–1024x700"). */
  images: number;
  sizes: string;
}

/** Whether the artifact's first model takes images of any height and width (a fully convolutional net). */
export function takesAnySize(artifact: LoadedArtifact): boolean {
  const shape = artifact.models[0]?.inputs[0]?.shape;
  return shape !== undefined && shape[1] == null && shape[2] == null;
}

export async function scoreWholeExamples(tf: TF, artifact: LoadedArtifact, stream: DataStream, count: number, metrics: BuiltMetric[], range: [number, number]): Promise<WholeScores> {
  const sums = new Map<string, Map<string, number>>();
  const widths: number[] = [];
  const heights: number[] = [];
  const indices = [...stream.validationIndices.slice(0, count)];
  for (const index of indices) {
    const example = await stream.whole(index);
    const real = tf.tensor4d(example.x, example.shape);
    const inputs = tf.tensor4d(example.pair!, example.pairShape!);
    const fake = tf.tidy(() => artifact.apply(inputs) as Tensor4D);
    try {
      const values = await computeMetrics(metrics, { real, fake, inputs, range });
      for (const [name, keys] of Object.entries(values)) {
        const sum = sums.get(name) ?? new Map<string, number>();
        for (const [key, value] of Object.entries(keys)) sum.set(key, (sum.get(key) ?? 0) + value);
        sums.set(name, sum);
      }
    } finally {
      tf.dispose([real, inputs, fake]);
    }
    heights.push(example.shape[1]);
    widths.push(example.shape[2]);
  }
  const values: MetricValues = {};
  for (const { name } of metrics) values[name] = Object.fromEntries([...(sums.get(name) ?? [])].map(([key, sum]) => [key, sum / indices.length]));
  const span = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}–${Math.max(...xs)}`);
  return { values, images: indices.length, sizes: indices.length > 0 ? `${span(widths)}x${span(heights)}` : 'none' };
}
