/**
 * Evaluating a head (an artifact that gives one score per image, e.g. an anomaly score): the head scores
 * the held-out images of every data stream, and metrics with `input: "scores"` (AUROC, average precision)
 * judge those scores by stream. Which stream counts as positive (e.g. "anomalous") is the metric's option.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { LoadedArtifact } from '../api/load-artifact.js';
import type { DataStream } from '../data/pipeline.js';
import { GanforgeError } from '../errors.js';
import type { TF } from '../plugin/types.js';
import type { EntryRef, ResolvedSpec } from '../spec/types.js';
import { computeMetrics, type BuiltMetric, type MetricValues } from './metrics.js';
import { scoreImages } from './score-images.js';

export interface ScoreProtocol {
  kind: 'scores';
  head: { artifact: string; use?: string; options?: Record<string, unknown> };
  /** The held-out images scored, by stream: never trained on. */
  streams: Record<string, { dataset: EntryRef; validationSplit: number; heldOut: number; used: number; trainingExamples: number }>;
  metrics: Record<string, { use: string; plugin: string; version: string; options: Record<string, unknown>; higherIsBetter: boolean; [detail: string]: unknown }>;
}

/** Scores of up to `n` held-out images of each stream that holds any out, then every score metric on them. */
export async function evaluateScores(tf: TF, spec: ResolvedSpec, artifact: LoadedArtifact, streams: Record<string, DataStream>, metrics: BuiltMetric[], n: number): Promise<{ values: MetricValues; protocol: ScoreProtocol }> {
  const imageMetrics = metrics.filter((m) => m.input !== 'scores');
  if (imageMetrics.length > 0) {
    throw new GanforgeError('GF_USAGE', `Artifact "${artifact.name}" gives scores, but metric${imageMetrics.length > 1 ? 's' : ''} ${imageMetrics.map((m) => `"${m.name}" (${m.use})`).join(', ')} judge${imageMetrics.length > 1 ? '' : 's'} images.`, {
      hint: 'Name metrics that judge scores (e.g. --metric anomaly/auroc), or pick an artifact that gives images with --artifact.',
    });
  }
  const score = artifact.score!;
  const scores: Record<string, Float32Array> = {};
  const used: ScoreProtocol['streams'] = {};
  for (const [name, stream] of Object.entries(streams)) {
    const batch = await stream.validation(n);
    if (!batch) continue;
    const values = await scoreImages(tf, batch.x, batch.shape, score);
    const count = values.length;
    scores[name] = values;
    used[name] = {
      dataset: spec.data[name]!,
      validationSplit: spec.data[name]!.validationSplit ?? 0,
      heldOut: stream.validationIndices.length,
      used: count,
      trainingExamples: stream.info.size,
    };
  }
  if (Object.keys(scores).length === 0) {
    const first = Object.keys(spec.data)[0] ?? 'real';
    throw new GanforgeError('GF_SPEC_CONFLICT', 'A head is evaluated on held-out images, but no data stream holds any out.', {
      pointer: `/data/${first}/validationSplit`,
      hint: `Set data.${first}.validationSplit (and that of the stream of anomalies) and train again.`,
    });
  }
  const [h, w, c] = Object.values(streams)[0]!.info.shape;
  const empty = tf.zeros([0, h, w, c]) as Tensor4D;
  try {
    const values = await computeMetrics(metrics, { real: empty, fake: empty, range: [0, 0], scores });
    const protocol: ScoreProtocol = {
      kind: 'scores',
      head: { artifact: artifact.name, use: artifact.info.head?.use, options: artifact.info.head?.options },
      streams: used,
      metrics: Object.fromEntries(
        metrics.map((m) => [m.name, { use: m.use, plugin: m.plugin.name, version: m.plugin.version, options: m.options, higherIsBetter: m.higherIsBetter, ...(m.metric.protocol ?? {}) }]),
      ),
    };
    return { values, protocol };
  } finally {
    empty.dispose();
  }
}
