/**
 * One evaluation setup: the metrics, the held-out real images (kept as one tensor, so metric plugins can
 * cache their features across evaluations) and the protocol that makes the numbers reproducible. Used by
 * `ganforge eval` and by evaluation during training.
 */
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import type { DataStream } from '../data/pipeline.js';
import type { PluginDriver } from '../plugin/driver.js';
import type { Logger, TF } from '../plugin/types.js';
import type { EntryRef, ResolvedSpec } from '../spec/types.js';
import { buildMetrics, computeMetrics, type BuiltMetric, type MetricValues } from './metrics.js';
import { referenceImages, type Reference } from './reference.js';

/** Generated images in the training scale, with the labels asked for when the generator is conditional. */
export interface FakeImages {
  data: Float32Array;
  shape: [number, number, number, number];
  labels?: Int32Array;
  /** An image → image artifact's inputs, pair for pair with the images. */
  inputs?: { data: Float32Array; shape: [number, number, number, number] };
}

export interface EvaluationProtocol {
  reference: Reference['split'] & { stream: string; dataset: EntryRef };
  nReal: number;
  nFake: number;
  /** Seed of the generator noise. */
  seed: number;
  /** "cycling 0..K-1" for conditional generators, the inputs' labels for translators, else "none". */
  fakeLabels: string;
  /** For image → image artifacts: where the inputs came from ("pairs": the stream's paired images). */
  inputs?: { stream: string; split: 'validation'; used: number; pairs?: boolean };
  /** Per-image metrics scored on whole held-out examples (not windows), averaged over them. */
  whole?: { metrics: string[]; images: number; sizes: string };
  /** Pixel range the metrics received. */
  range: [number, number];
  metrics: Record<string, { use: string; plugin: string; version: string; options: Record<string, unknown>; higherIsBetter: boolean; [detail: string]: unknown }>;
}

/** Images per side when neither the caller nor the spec says. */
const DEFAULT_SAMPLES = 2000;

export interface EvaluatorOptions {
  tf: TF;
  spec: ResolvedSpec;
  driver: PluginDriver;
  streams: Record<string, DataStream>;
  /** Metrics to run: default the spec's evaluation.metrics. */
  metrics?: Record<string, EntryRef>;
  /** Images per side, capped at the held-out images (with a warning). Default: up to 2000, capped silently. */
  n?: number;
  /** The stream whose held-out images are the real side (default: the first with a validation split). */
  stream?: string;
  log: Logger;
}

export class Evaluator {
  readonly metrics: BuiltMetric[];
  readonly reference: Reference;
  /** Images per side: the requested n, capped at the held-out images, so real and fake counts match. */
  readonly n: number;
  readonly range: [number, number];
  readonly #tf: TF;
  readonly #real: Tensor4D;
  readonly #realLabels?: Tensor1D;
  readonly #spec: ResolvedSpec;

  private constructor(tf: TF, spec: ResolvedSpec, metrics: BuiltMetric[], reference: Reference, range: [number, number]) {
    this.#tf = tf;
    this.#spec = spec;
    this.metrics = metrics;
    this.reference = reference;
    this.n = reference.shape[0];
    this.range = range;
    this.#real = tf.tensor4d(reference.x, reference.shape);
    if (reference.label) this.#realLabels = tf.tensor1d(reference.label, 'int32');
  }

  static async create({ tf, spec, driver, streams, metrics, n, log, stream: preferred }: EvaluatorOptions): Promise<Evaluator> {
    const splits = Object.fromEntries(Object.entries(spec.data).map(([name, d]) => [name, d.validationSplit]));
    const reference = await referenceImages(streams, splits, n ?? DEFAULT_SAMPLES, preferred);
    if (n !== undefined && reference.shape[0] < n) {
      log.warn(`evaluation: ${n} images asked for, but data stream "${reference.stream}" holds out only ${reference.shape[0]}; using ${reference.shape[0]} real and ${reference.shape[0]} generated images.`);
    }
    const built = await buildMetrics(tf, metrics ?? spec.evaluation?.metrics ?? {}, driver, log);
    const stream = streams[reference.stream]!;
    const range: [number, number] = stream.scale === 'tanh' ? [-1, 1] : stream.scale === 'unit' ? [0, 1] : stream.source.range;
    return new Evaluator(tf, spec, built, reference, range);
  }

  /** Compute every metric (or those given) on `fake` against the held-out images. */
  async evaluate(fake: FakeImages, metrics: BuiltMetric[] = this.metrics): Promise<MetricValues> {
    const tf = this.#tf;
    const fakeTensor = tf.tensor4d(fake.data, fake.shape);
    const fakeLabels = fake.labels ? tf.tensor1d(fake.labels, 'int32') : undefined;
    const inputs = fake.inputs ? tf.tensor4d(fake.inputs.data, fake.inputs.shape) : undefined;
    try {
      return await computeMetrics(metrics, { real: this.#real, realLabels: this.#realLabels, fake: fakeTensor, fakeLabels, inputs, range: this.range });
    } finally {
      tf.dispose([fakeTensor, ...(fakeLabels ? [fakeLabels] : []), ...(inputs ? [inputs] : [])]);
    }
  }

  protocol(seed: number, nFake: number, conditional: boolean | string, numClasses?: number): EvaluationProtocol {
    const { stream, split } = this.reference;
    return {
      reference: { ...split, stream, dataset: this.#spec.data[stream]! },
      nReal: this.n,
      nFake,
      seed,
      fakeLabels: typeof conditional === 'string' ? conditional : conditional ? `cycling 0..${(numClasses ?? 1) - 1}` : 'none',
      range: this.range,
      metrics: Object.fromEntries(
        this.metrics.map((m) => [
          m.name,
          { use: m.use, plugin: m.plugin.name, version: m.plugin.version, options: m.options, higherIsBetter: m.higherIsBetter, ...(m.metric.protocol ?? {}) },
        ]),
      ),
    };
  }

  dispose(): void {
    this.#real.dispose();
    this.#realLabels?.dispose();
  }
}
