/**
 * The plugin contract: the one file a plugin author reads. Everything a plugin can provide, and everything
 * the engine hands to it, is typed here.
 *
 * A plugin is a plain object: `meta` plus capability maps of entries. Specs refer to an entry as
 * "<namespace>/<entry>". Every entry has a one-line description and an options schema (JSON Schema
 * draft-07) that the core validates the spec's `options` against, with defaults applied.
 * Plugins receive the host's `tf` in every context; they never import tfjs at run time.
 */
import type { JSONSchema } from 'json-schema-to-ts';
import type * as tfNamespace from '../engine/tf.js';
import type { Tensor, Scalar, Tensor1D, Tensor4D, Rank } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ResolvedSpec } from '../spec/types.js';
import type { Storage } from '../host/types.js';

export type { JSONSchema };
export type { Tensor, Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable, Rank } from '@tensorflow/tfjs-core';
export type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';

/** The host's tfjs namespace (tfjs-core ops + tfjs-layers), as handed to plugins. */
export type TF = typeof tfNamespace;

/** The plugin API version this core implements. A plugin's meta.apiVersion must equal it. */
export const PLUGIN_API_VERSION = 1;

export interface PluginMeta {
  /** npm package name, e.g. "@ganforge/plugin-dcgan". */
  name: string;
  version: string;
  /** Prefix of this plugin's entry ids in specs ("dcgan" in "dcgan/generator"). Lower case, digits, "-". */
  namespace: string;
  /** Semver range of @ganforge/core versions this plugin supports, e.g. "^0.1.0". */
  core: string;
  apiVersion: typeof PLUGIN_API_VERSION;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

// ───────────────────────────────────────────── entries ──

/** What every entry carries. `O` is the options type the entry's code receives (defaults applied). */
export interface EntryBase {
  /** One line, shown by `ganforge plugins`. */
  description: string;
  /** Options schema (JSON Schema draft-07, must pass Ajv strict mode). Omitted: the entry takes no options. */
  optionsSchema?: JSONSchema;
}

/** Shape of one data stream, known before any model is built. */
export interface DataInfo {
  /** Training examples (after the validation split). */
  size: number;
  /** One example's image shape, [height, width, channels]. */
  shape: [number, number, number];
  /** Number of classes when examples carry labels. */
  numClasses?: number;
  /**
   * When every example comes with a paired image (the same scene at another size or in another form, pixel
   * for pixel aligned with it, e.g. core/image-folder's `pairs`): the pair's shape. Its size may differ from
   * `shape` by an integer factor; it has the same pixel range and is scaled like the image.
   */
  pair?: { shape: [number, number, number] };
}

export interface ArchitectureContext<O> {
  tf: TF;
  options: O;
  /** The model's name in the spec, e.g. "generator". Use it to name layers. */
  name: string;
  /** Every data stream's shape, so networks fit their data (image size, channels, classes). */
  data: Record<string, DataInfo>;
  /** Seed for weight initializers; distinct per model and derived from training.seed. */
  seed: number;
  log: Logger;
}

export interface ArchitectureDefinition<O = any> extends EntryBase {
  /** Build one network. Conditional generators take [noise, label] inputs; their label input is int32 [batch]. */
  build(ctx: ArchitectureContext<O>): LayersModel | Promise<LayersModel>;
}

/** One batch of raw examples, in typed arrays; the engine turns it into tensors and scales pixels. */
export interface RawBatch {
  /** Pixels of `indices.length` images, NHWC, values within `DataSource.range`. */
  x: Uint8Array | Float32Array;
  /** Class index per image, when the dataset is labelled. */
  label?: Int32Array;
  /** Each image's paired image (`DataInfo.pair`), NHWC in the same order and range, cropped, flipped and turned with it. */
  pair?: Uint8Array | Float32Array;
}

/** One example at its full size (`DataSource.readWhole`): sizes may differ from example to example. */
export interface WholeExample {
  x: Uint8Array | Float32Array;
  /** [height, width, channels] of `x`. */
  shape: [number, number, number];
  label?: number;
  /** The paired image, whole, when the dataset has pairs. */
  pair?: Uint8Array | Float32Array;
  pairShape?: [number, number, number];
}

/** What a read may use besides the indices. */
export interface ReadContext {
  /**
   * Floats in [0, 1) for random crops and flips, seeded by the run and the batch number (so a resumed run
   * reads the same). Present for training batches only: held-out and fixed reads get none and take the
   * deterministic variant (a centered crop, no flip).
   */
  random?: () => number;
}

export interface DataSource {
  info: DataInfo;
  /** Raw pixel range before scaling, e.g. [0, 255] for bytes or [0, 1]. */
  range: [number, number];
  /** Read examples by index (0 ≤ i < info.size). Called ahead of the step by the prefetcher. */
  read(indices: readonly number[], context?: ReadContext): RawBatch | Promise<RawBatch>;
  /**
   * One example whole, without the crop window `read` takes (and without flips or turns): `ganforge eval`
   * scores per-image metrics (`MetricDefinition.perImage`) on full held-out images with it. Optional.
   */
  readWhole?(index: number): WholeExample | Promise<WholeExample>;
  close?(): void | Promise<void>;
}

export interface DatasetContext<O> {
  tf: TF;
  options: O;
  /** Folder of the spec file: relative paths in options resolve against it. */
  specDir: string;
  /** Files, through the host (node:fs in Node): read data with it, not with node:fs, to run anywhere. */
  storage: Storage;
  log: Logger;
}

export interface DatasetDefinition<O = any> extends EntryBase {
  open(ctx: DatasetContext<O>): DataSource | Promise<DataSource>;
  /**
   * Metric entries (e.g. "eval/fid") that suit this data: `ganforge eval` runs them when neither
   * `--metric` nor the spec's `evaluation` section names any, so a plain run can be scored as it is.
   */
  recommendedMetrics?: readonly string[];
}

export type LossKind = 'adversarial' | 'pairwise';

/** Adversarial losses take discriminator outputs (logits or critic values). */
export interface AdversarialLoss {
  discriminator(real: Tensor, fake: Tensor): Scalar;
  generator(fake: Tensor, real?: Tensor): Scalar;
}

/** Pairwise losses compare two tensors of one shape (L1 for cycle consistency, MSE for content). */
export type PairwiseLoss = (prediction: Tensor, target: Tensor) => Scalar;

export interface LossContext<O> {
  tf: TF;
  options: O;
}

export type LossDefinition<O = any> =
  | (EntryBase & { kind: 'adversarial'; build(ctx: LossContext<O>): AdversarialLoss })
  | (EntryBase & { kind: 'pairwise'; build(ctx: LossContext<O>): PairwiseLoss });

/** A loss role filled in, as objectives receive it. `weight` is the spec's multiplier; apply it yourself. */
export type ResolvedLoss =
  | { kind: 'adversarial'; use: string; weight: number; fn: AdversarialLoss }
  | { kind: 'pairwise'; use: string; weight: number; fn: PairwiseLoss };

export interface AugmentationContext<O> {
  tf: TF;
  options: O;
}

/**
 * Maps a batch of images to augmented images. Must be differentiable when used at "discriminator".
 * An augmentation that adapts during training (ADA) attaches the optional hooks of AdaptiveHooks to it.
 */
export type Augment = ((images: Tensor4D, random: RandomSource) => Tensor4D) & AdaptiveHooks;

/**
 * What an augmentation that adapts during training (e.g. ADA's probability p) attaches to its function:
 * it observes the signals objectives report each step, logs values in metrics.jsonl and keeps state in
 * checkpoints. `Object.assign((images, random) => …, { observe, values, state })`.
 */
export interface AdaptiveHooks {
  /** After each step: the mean of each signal objectives reported during it (`step.report`), e.g. { realSign: 0.4 }. */
  observe?(signals: Record<string, number>, step: number): void;
  /** Values logged with each step in metrics.jsonl under "augment" (keys prefixed by the entry id), e.g. { p: 0.12 }. */
  values?(): Record<string, number>;
  /** JSON state saved in checkpoints and given back on resume. */
  state?: { save(): unknown; load(saved: unknown): void };
}

export interface AugmentationDefinition<O = any> extends EntryBase {
  build(ctx: AugmentationContext<O>): Augment;
}

/** Seeded, checkpointed randomness. The same spec + seed gives the same stream, also after a resume. */
export interface RandomSource {
  /** Standard normal tensor. */
  normal(shape: number[]): Tensor;
  /** Uniform tensor in [min, max). */
  uniform(shape: number[], min?: number, max?: number): Tensor;
  /** Uniform integers in [0, n), int32. */
  integers(shape: number[], n: number): Tensor;
  /** A float in [0, 1), for decisions made in JavaScript. */
  next(): number;
}

// ───────────────────────────────────────────── objectives ──

/** One batch of a data stream, scaled (see data.<stream>.scale). */
export interface Batch {
  x: Tensor4D;
  /** int32 class indices, when the dataset is labelled. */
  label?: Tensor1D;
  /** Each image's paired image, when the stream's dataset has pairs (`DataInfo.pair`), scaled like `x`. */
  pair?: Tensor4D;
}

export interface StepContext {
  tf: TF;
  /** 0-based step number. */
  step: number;
  /** Which repetition of this phase within the step (0 ≤ i < repeat). */
  repeat: number;
  /** The next batch of a data stream; each call in a phase repetition draws from the shuffled order. */
  batch(stream: string): Batch;
  random: RandomSource;
  /**
   * Apply the spec's augmentations placed at an augmentation point the objective declares (identity when
   * there are none). Without `point`, the objective's first declared point.
   */
  augment(images: Tensor4D, point?: string): Tensor4D;
  /** Keep a tensor alive past the step's tf.tidy (e.g. to store in a history pool); dispose it yourself later. */
  keep<T extends Tensor<Rank>>(tensor: T): T;
  /**
   * Report a training signal (a scalar, not differentiated) for adaptive augmentations, e.g. "realSign" =
   * E[sign(D(real))], the discriminator-overfitting signal of ADA. Logged in metrics.jsonl under "signals".
   */
  report(name: string, value: Scalar): void;
}

/** A phase's loss: a scalar, or a total with named parts that are logged ("d_real", "d_fake"...). */
export type PhaseLoss = Scalar | { total: Scalar; parts?: Record<string, Scalar> };

export interface Phase {
  /** Logged as the loss name ("discriminator", "generator"). */
  name: string;
  /** The optimizer group that applies this phase's gradients; only that group's variables change. */
  optimizer: string;
  /** Times per step, e.g. several critic updates per generator update. Default 1. */
  repeat?: number;
  /** Runs under the gradient tape. Return the loss; the engine differentiates it w.r.t. the group's variables. */
  loss(step: StepContext): PhaseLoss;
  /** After the optimizer applied this phase's update, e.g. clipping weights. */
  afterUpdate?(step: StepContext): void;
}

export interface SampleRequest {
  /** Number of images (for a grid: rows × columns may differ; return what shows best). */
  n: number;
  random: RandomSource;
  /** Requested classes for conditional models (length n). */
  labels?: Int32Array;
  /** "grid": a picture for people (e.g. input | translation | reconstruction); "evaluation": n images that metrics compare with real ones. */
  purpose: 'grid' | 'evaluation';
  /**
   * The same n real images of a stream every time (its held-out split when it has one, else its first
   * examples), scaled like training batches, with their labels: inputs for image → image objectives.
   */
  images(stream: string, n: number): Batch;
}

/** What `sample` may return besides a plain batch: the grid's column count, and the classes the images should show. */
export interface SampleResult {
  images: Tensor4D;
  /** Columns of the sample grid (e.g. 3 for input | translation | reconstruction rows). */
  columns?: number;
  /** Classes the images should show (a translator's inputs' labels), for label-preservation metrics. */
  labels?: Tensor1D;
}

/** What an objective contributes beyond its phases, saved in every checkpoint (e.g. a CycleGAN fake pool). */
export interface ObjectiveState {
  save(): { tensors: Record<string, Tensor>; json?: unknown };
  load(saved: { tensors: Record<string, Tensor>; json?: unknown }): void;
}

export interface ObjectiveProgram {
  phases: Phase[];
  /**
   * Draw images for sample grids and evaluation, in the stream's scale. Default: the objective's first
   * artifact with noise input and image output, fed N(0, 1) noise (and labels when its model takes them).
   */
  sample?(request: SampleRequest): Tensor4D | SampleResult;
  /**
   * The data stream whose held-out images evaluation samples should resemble (a translator's target
   * domain). Default: the first stream with a validation split.
   */
  evaluates?: string;
  state?: ObjectiveState;
  /** Release anything kept alive (history pools). */
  dispose?(): void;
}

export interface ObjectiveContext<O> {
  tf: TF;
  options: O;
  models: Record<string, LayersModel>;
  losses: Record<string, ResolvedLoss>;
  data: Record<string, DataInfo>;
  log: Logger;
}

export interface OptimizerDefaults {
  type?: 'adam' | 'rmsprop' | 'sgd';
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  momentum?: number;
  rho?: number;
  centered?: boolean;
  weightDecay?: number;
}

/**
 * What an artifact takes: "noise" is N(0, 1) of the model's input size, plus int32 class labels when the
 * model has a second input (it is then recorded as "noise+label"); "image" is a batch of images in the
 * training scale; "image-pair" two such batches.
 */
export type ArtifactInput = 'noise' | 'noise+label' | 'image' | 'image-pair';
export type ArtifactOutput = 'image' | 'score';

/** Something a trained run offers its users: a generator, a translator, an upscaler, a scorer. */
export interface ArtifactDeclaration {
  description: string;
  /** The models it runs, by spec name, chained: each one's output feeds the next (usually just one). */
  models: string[];
  /** Other names commands accept for it, e.g. ["AB"] for `ganforge translate --direction AB`. */
  aliases?: string[];
  /** Image input: the data stream its inputs come from (evaluation feeds it that stream's held-out images). */
  from?: string;
  /** The data stream whose images its outputs should resemble (evaluation's real side). Default: `from`. */
  to?: string;
  /**
   * Image input: the paired images of this data stream (`DataInfo.pair`), each output judged against the
   * stream's own image of the same example (evaluation feeds it the held-out pairs). Applies only when the
   * stream has pairs; without, the artifact's inputs come from no stream (e.g. the objective makes them).
   */
  pairOf?: string;
  input: ArtifactInput;
  output: ArtifactOutput;
}

export interface ObjectiveDefinition<O = any> extends EntryBase {
  /** Models the spec must define, by name. */
  models: Record<string, { description: string; optional?: boolean }>;
  /** Data streams the spec must define, by name. */
  data: Record<string, { description: string; labels?: 'required' | 'optional' }>;
  /** Optimizer groups: which models each updates by default, and hyper-parameter defaults (from the paper). */
  optimizers: Record<string, { models: string[]; defaults?: OptimizerDefaults }>;
  /** Loss roles with their kind and the entry used when the spec does not set the role. */
  losses?: Record<string, { kind: LossKind; description: string; default: { use: string; options?: Record<string, unknown>; weight?: number } }>;
  /**
   * What a trained run offers, by name: each is exported to <run>/<name>/ and loaded with
   * `loadArtifact(run, name)`. The first one with noise input and image output draws the sample grids.
   */
  artifacts?: Record<string, ArtifactDeclaration>;
  /** The model whose weights `training.ema` averages when the spec names none (its samples and exports use the average). */
  ema?: string;
  /**
   * Named points in this objective's phases where spec augmentations may apply (besides "data", which is
   * every batch as it is drawn), with a description; `step.augment(images, point)` applies them.
   */
  augmentPoints?: Record<string, string>;
  setup(ctx: ObjectiveContext<O>): ObjectiveProgram | Promise<ObjectiveProgram>;
}

// ───────────────────────────────────────────── heads & metrics ──

export interface HeadContext<O> {
  tf: TF;
  options: O;
  models: Record<string, LayersModel>;
}

/** An inference head, e.g. an anomaly score from a generator + encoder. */
export interface Head {
  /** One score per image (higher = more anomalous, by convention). */
  score(images: Tensor4D): Tensor1D;
}

export interface HeadDefinition<O = any> extends EntryBase {
  build(ctx: HeadContext<O>): Head | Promise<Head>;
}

export interface MetricInput {
  /** Held-out real images (validation split), scaled like training data. */
  real: Tensor4D;
  realLabels?: Tensor1D;
  /** Generated images. */
  fake: Tensor4D;
  /** Labels that conditional generation asked for, or the labels of a translator's inputs. */
  fakeLabels?: Tensor1D;
  /** For image → image artifacts: the inputs that produced `fake`, pair for pair (e.g. for a reconstruction error). */
  inputs?: Tensor4D;
  /** Pixel range of `real` and `fake`: [-1, 1] for the "tanh" scale, [0, 1] for "unit". */
  range: [number, number];
  /**
   * For metrics with `input: "scores"` (evaluating a head, e.g. an anomaly score): the head's score of every
   * held-out image, by data stream. `real` and `fake` are then empty.
   */
  scores?: Record<string, Float32Array>;
}

export interface Metric {
  /** Values by key; the key "value" (else the first) is the one keepBest compares. */
  compute(input: MetricInput): Record<string, number> | Promise<Record<string, number>>;
  /** What the values depend on besides the images (feature extractor and its hash, kernel...): recorded in eval.json. */
  protocol?: Record<string, unknown>;
}

export interface MetricContext<O> {
  tf: TF;
  options: O;
  log: Logger;
}

export interface MetricDefinition<O = any> extends EntryBase {
  /** Whether larger values are better (FID: false). */
  higherIsBetter: boolean;
  /**
   * What the metric judges: "images" (default) compares generated with held-out images; "scores" judges a
   * head's scores of the held-out images of each stream (`MetricInput.scores`), e.g. AUROC of an anomaly score.
   */
  input?: 'images' | 'scores';
  /**
   * The metric's value on a set of images is the mean of its values on each image (PSNR, SSIM), so it can
   * score images of different sizes one at a time: `ganforge eval` of an artifact fed a stream's pairs
   * (`pairOf`) then gives it every held-out example whole (`DataSource.readWhole`), one per compute() call,
   * and averages each value over them, instead of same-size windows.
   */
  perImage?: boolean;
  build(ctx: MetricContext<O>): Metric | Promise<Metric>;
}

// ───────────────────────────────────────────── the plugin ──

/** A custom tf layer class (static className, getConfig), registered with the host's tf before use or load. */
export type LayerClass = { className: string } & (new (...args: any[]) => unknown);

export interface GanforgePlugin {
  meta: PluginMeta;
  architectures?: Record<string, ArchitectureDefinition>;
  losses?: Record<string, LossDefinition>;
  objectives?: Record<string, ObjectiveDefinition>;
  datasets?: Record<string, DatasetDefinition>;
  augmentations?: Record<string, AugmentationDefinition>;
  heads?: Record<string, HeadDefinition>;
  metrics?: Record<string, MetricDefinition>;
  /** Custom layers, created from the host's tf so they extend its Layer class. */
  layers?(tf: TF): LayerClass[];
}

/** The capability maps, in the order `ganforge plugins` lists them. */
export const ENTRY_KINDS = ['architectures', 'objectives', 'losses', 'datasets', 'augmentations', 'heads', 'metrics'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface EntryByKind {
  architectures: ArchitectureDefinition;
  objectives: ObjectiveDefinition;
  losses: LossDefinition;
  datasets: DatasetDefinition;
  augmentations: AugmentationDefinition;
  heads: HeadDefinition;
  metrics: MetricDefinition;
}

/** Context every engine-side consumer gets about the run. */
export interface RunInfo {
  spec: ResolvedSpec;
}
