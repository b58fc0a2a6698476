/**
 * `ganforge eval` as a function: evaluate a finished run's exported generator against the held-out split
 * of the run's own data, and write eval.json with the numbers and the protocol that produced them.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DATA_DIR_FILE } from '../run/run-dir.js';
import { join, resolve } from 'node:path';
import { loadArtifact, locateModel, type LoadedArtifact } from '../api/load-artifact.js';
import { readArtifactIndex } from '../run/export.js';
import { DataStream } from '../data/pipeline.js';
import { GanforgeError, isGanforgeError } from '../errors.js';
import { mixSeed } from '../engine/random.js';
import { sampleLabels } from '../engine/sampling.js';
import * as tf from '../engine/tf.js';
import type { Storage } from '../host/types.js';
import { nodeHost } from '../node/index.js';
import { PluginDriver } from '../plugin/driver.js';
import type { GanforgePlugin } from '../plugin/types.js';
import type { Logger } from '../plugin/types.js';
import type { BackendName, EntryRef, ResolvedSpec } from '../spec/types.js';
import { validateSpec, type ValidatedSpec } from '../spec/validate.js';
import { CORE_VERSION } from '../version.js';
import { Evaluator, type EvaluationProtocol, type FakeImages } from './evaluator.js';
import { evaluateScores, type ScoreProtocol } from './evaluate-scores.js';
import { buildMetrics, type MetricValues } from './metrics.js';
import { scoreWholeExamples, takesAnySize, type WholeScores } from './whole-examples.js';

export interface EvaluateRunOptions {
  /** Images per side (default: the spec's evaluation.samples, else up to 2000: as many as are held out). */
  n?: number;
  /** Seed of the generator noise (default 0). */
  seed?: number;
  /** Model to evaluate: a folder holding model.json (default: the run's noise → image artifact). */
  model?: string;
  /** Which of the run's artifacts to evaluate (default: its noise → image one). */
  artifact?: string;
  /** Plugin objects besides the packages the run's spec names (programs that trained with plugin objects). */
  plugins?: GanforgePlugin[];
  /** Metric entry ids to run instead of the spec's evaluation.metrics, e.g. ["eval/fid", "eval/kid"]; without either, the data's recommended ones. */
  metrics?: string[];
  backend?: BackendName;
  /** Where eval.json goes (default <run>/eval.json); false writes nothing. */
  out?: string | false;
  cwd?: string;
  log?: Logger;
}

export interface EvalReport {
  format: 'ganforge-eval';
  version: 1;
  core: string;
  run: string;
  model: { dir: string; artifact?: string; step?: number; ema?: boolean };
  protocol: EvaluationProtocol | ScoreProtocol;
  metrics: MetricValues;
  backend: string;
  seconds: number;
  evaluatedAt: string;
}

const silent: Logger = { info() {}, warn() {}, debug() {} };
const GENERATION_BATCH = 250;

/** Where the run's relative data paths resolved when it trained (runs from before data-dir.json: unknown). */
function trainedDataDir(runDir: string): string | undefined {
  const file = join(runDir, DATA_DIR_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const { specDir } = JSON.parse(readFileSync(file, 'utf8')) as { specDir?: unknown };
    return typeof specDir === 'string' && existsSync(specDir) ? specDir : undefined;
  } catch {
    return undefined;
  }
}

function readRunSpec(runDir: string): ResolvedSpec {
  const file = join(runDir, 'spec.json');
  if (!existsSync(file)) {
    throw new GanforgeError('GF_RUN_DIR', `${runDir} is not a ganforge run: it has no spec.json.`, { hint: 'Pass the folder `ganforge train` printed.' });
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ResolvedSpec;
  } catch (cause) {
    throw new GanforgeError('GF_RUN_DIR', `${file} cannot be read as JSON.`, { cause, hint: 'The run folder is damaged; train again.' });
  }
}

/** Metric entries given by id become spec metrics named by the entry ("eval/fid" → "fid"). */
function metricsFromIds(ids: string[]): Record<string, EntryRef> {
  return Object.fromEntries(ids.map((use) => [use.split('/').at(-1)!, { use, options: {} }]));
}

/** Re-validates the run's spec (so metric options get their defaults), adding a metric's plugin by namespace if the run did not load it. */
async function validateRunSpec(spec: ResolvedSpec, runDir: string, cwd: string, plugins?: GanforgePlugin[]): Promise<ValidatedSpec> {
  // As if the spec were the run's spec.json: plugins are looked up from the run folder, then from cwd.
  const validate = (input: object) => validateSpec({ text: JSON.stringify(input), file: join(runDir, 'spec.json') }, { cwd, plugins });
  try {
    return await validate(spec);
  } catch (error) {
    const namespaces = new Set(Object.values(spec.evaluation?.metrics ?? {}).map((m) => m.use.split('/')[0]!));
    const missing = [...namespaces].filter((ns) => !spec.plugins.includes(ns));
    if (!isGanforgeError(error) || missing.length === 0) throw error;
    return validate({ ...spec, plugins: [...spec.plugins, ...missing] });
  }
}

/** Without metrics named by flag or spec: those the run's data entries recommend, or a usage error when none does. */
async function recommendedMetrics(saved: ResolvedSpec, runDir: string, cwd: string, plugins?: GanforgePlugin[]): Promise<Record<string, EntryRef>> {
  const { spec, registry } = await validateRunSpec(saved, runDir, cwd, plugins);
  const driver = new PluginDriver(registry);
  const ids = Object.entries(spec.data).flatMap(([name, data]) => driver.entry('datasets', data.use, `/data/${name}`).definition.recommendedMetrics ?? []);
  if (ids.length === 0) {
    const uses = [...new Set(Object.values(spec.data).map((d) => `"${d.use}"`))].join(', ');
    throw new GanforgeError('GF_USAGE', `The run's spec names no evaluation metrics, and its data (${uses}) recommends none.`, {
      hint: 'Pass them: `ganforge eval <run> --metric eval/fid --metric eval/kid --metric eval/coverage`, or add an "evaluation" section to the spec.',
    });
  }
  return metricsFromIds([...new Set(ids)]);
}

export async function evaluateRun(runPath: string, options: EvaluateRunOptions = {}): Promise<EvalReport> {
  const started = Date.now();
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? silent;
  const runDir = resolve(cwd, runPath);
  const saved = readRunSpec(runDir);
  const named = options.metrics ? metricsFromIds(options.metrics) : saved.evaluation?.metrics;
  const metrics = named && Object.keys(named).length > 0 ? named : await recommendedMetrics(saved, runDir, cwd, options.plugins);
  // `ganforge eval` keeps no best step, so keepBest (which may name a metric not run now) is left out.
  const evaluation = { samples: saved.evaluation?.samples ?? 2000, metrics };
  const { spec, registry, specDir } = await validateRunSpec({ ...saved, evaluation }, runDir, cwd, options.plugins);
  // The spec's own sample count if it has an evaluation section (validation fills in its default otherwise).
  const n = options.n ?? saved.evaluation?.samples;
  const seed = options.seed ?? 0;

  // A run evaluated with metrics that judge scores evaluates its head (the first, unless one is named).
  const driver = new PluginDriver(registry);
  const scoreMetrics = Object.entries(evaluation.metrics).filter(([name, ref]) => driver.entry('metrics', ref.use, `/evaluation/metrics/${name}`).definition.input === 'scores');
  const wanted = options.artifact ?? (scoreMetrics.length > 0 && !options.model ? await firstHead(runDir, cwd) : undefined);
  const modelDir = await locateModel(options.model ? resolve(cwd, options.model) : runDir, wanted, cwd);
  const artifact = await loadArtifact(modelDir, undefined, { plugins: registry.plugins.map((p) => p.plugin), backend: options.backend ?? spec.training.backend, cwd });
  if (artifact.output !== 'image' && artifact.output !== 'score') {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', `Artifact "${artifact.name}" gives ${artifact.output}s: \`ganforge eval\` scores images and heads.`, {
      hint: 'Pick an artifact that gives images with --artifact.',
    });
  }
  if (artifact.output === 'image' && scoreMetrics.length > 0) {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', `Metric${scoreMetrics.length > 1 ? 's' : ''} ${scoreMetrics.map(([name, ref]) => `"${name}" (${ref.use})`).join(', ')} judge a head's scores, but artifact "${artifact.name}" gives images.`, {
      hint: "Evaluate the run's head (--artifact <head>, as named in the spec's heads section), or name metrics that judge images.",
    });
  }
  const storage = nodeHost({ cwd }).storage;
  const streams: Record<string, DataStream> = {};
  let evaluator: Evaluator | undefined;
  const finish = ({ protocol, metrics: values }: Pick<EvalReport, 'protocol' | 'metrics'>): EvalReport => {
    const report: EvalReport = {
      format: 'ganforge-eval',
      version: 1,
      core: CORE_VERSION,
      run: runDir,
      model: { dir: modelDir, artifact: artifact.name, step: artifact.info.step, ema: artifact.info.ema },
      protocol,
      metrics: values,
      backend: tf.getBackend(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      evaluatedAt: new Date().toISOString(),
    };
    if (options.out !== false) writeFileSync(resolve(cwd, options.out ?? join(runDir, 'eval.json')), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  };
  try {
    Object.assign(streams, await openStreams(spec, driver, trainedDataDir(runDir) ?? specDir, storage, log));
    if (artifact.output === 'score') {
      const built = await buildMetrics(tf, spec.evaluation?.metrics ?? {}, driver, log);
      const { values, protocol } = await evaluateScores(tf, spec, artifact, streams, built, n ?? 2000);
      return finish({ protocol, metrics: values });
    }
    const translates = artifact.input === 'image';
    // An artifact fed a stream's pairs (an upscaler trained on ready LR/HR pairs) is judged against that stream.
    const pairOf = translates && artifact.info.pairOf !== undefined && streams[artifact.info.pairOf]?.info.pair ? artifact.info.pairOf : undefined;
    const from = pairOf ?? artifact.info.from ?? Object.keys(streams)[0]!;
    evaluator = await Evaluator.create({ tf, spec, driver, streams, n, log, stream: translates ? (pairOf ?? artifact.info.to ?? from) : undefined });
    const count = evaluator.n;
    if (pairOf !== undefined) return finish(await evaluatePairs(artifact, streams[pairOf]!, pairOf, evaluator, count, seed));
    const numClasses = artifact.info.numClasses;
    let fake: FakeImages;
    let fakeLabels: boolean | string;
    if (translates) {
      fake = await translate(artifact, streams, from, count);
      fakeLabels = fake.labels ? `the labels of the inputs (held-out images of stream "${from}")` : 'none';
    } else {
      const labels = artifact.conditional ? sampleLabels(count, numClasses ?? 1) : undefined;
      fake = await generate(artifact, count, seed, labels);
      fakeLabels = artifact.conditional;
    }
    const values = await evaluator.evaluate(fake);
    return finish({
      protocol: {
        ...evaluator.protocol(seed, fake.shape[0], fakeLabels, numClasses),
        ...(translates ? { inputs: { stream: from, split: 'validation' as const, used: fake.shape[0] } } : {}),
      },
      metrics: values,
    });
  } finally {
    evaluator?.dispose();
    artifact.dispose();
    await Promise.all(Object.values(streams).map((s) => s.close()));
  }
}

/** The run's first head (an artifact that gives scores), from its artifacts.json. */
async function firstHead(runDir: string, cwd: string): Promise<string | undefined> {
  const storage = nodeHost({ cwd }).storage;
  const index = await readArtifactIndex(storage, runDir);
  const head = index?.artifacts.find((a) => a.output === 'score');
  if (!head) {
    throw new GanforgeError('GF_USAGE', `The metrics asked for judge a head's scores, but run ${runDir} has no head.`, {
      hint: 'Add a "heads" section to the spec (e.g. { "score": { "use": "anomaly/score" } }) and train again, or name metrics that judge images.',
    });
  }
  return head.name;
}

/** The run's data streams with the same name, seed and split as in training, so the held-out images are exactly those training never saw. */
export async function openStreams(spec: ResolvedSpec, driver: PluginDriver, specDir: string, storage: Storage, log: Logger): Promise<Record<string, DataStream>> {
  const streams: Record<string, DataStream> = {};
  try {
    for (const [name, data] of Object.entries(spec.data)) {
      const dataset = driver.entry('datasets', data.use, `/data/${name}`);
      const source = await dataset.call('open', (entry) => entry.open({ tf, options: data.options, specDir, storage, log }));
      streams[name] = new DataStream({
        name,
        source,
        batchSize: spec.training.batchSize,
        seed: spec.training.seed,
        shuffle: data.shuffle ?? true,
        scale: data.scale ?? 'tanh',
        validationSplit: data.validationSplit ?? 0,
      });
    }
    return streams;
  } catch (error) {
    await Promise.all(Object.values(streams).map((s) => s.close()));
    throw error;
  }
}

/**
 * An artifact fed the paired images of `stream`'s held-out examples: per-image metrics score whole examples
 * (full size, when the dataset reads them whole and the model takes any size), the others the same-size
 * windows of the held-out split, as during training.
 */
async function evaluatePairs(artifact: LoadedArtifact, stream: DataStream, name: string, evaluator: Evaluator, count: number, seed: number): Promise<Pick<EvalReport, 'protocol' | 'metrics'>> {
  const whole = stream.readsWhole && takesAnySize(artifact) ? evaluator.metrics.filter((m) => m.perImage) : [];
  const windows = evaluator.metrics.filter((m) => !whole.includes(m));
  const values: MetricValues = {};
  let fakeLabels = 'none';
  if (windows.length > 0) {
    const fake = await translate(artifact, { [name]: stream }, name, count, true);
    if (fake.labels) fakeLabels = `the labels of the inputs (held-out pairs of stream "${name}")`;
    Object.assign(values, await evaluator.evaluate(fake, windows));
  }
  let scored: WholeScores | undefined;
  if (whole.length > 0) {
    scored = await scoreWholeExamples(tf, artifact, stream, count, whole, evaluator.range);
    Object.assign(values, scored.values);
  }
  return {
    protocol: {
      ...evaluator.protocol(seed, count, fakeLabels),
      inputs: { stream: name, split: 'validation', used: count, pairs: true },
      ...(scored ? { whole: { metrics: whole.map((m) => m.name), images: scored.images, sizes: scored.sizes } } : {}),
    },
    metrics: Object.fromEntries(evaluator.metrics.map((m) => [m.name, values[m.name]!])),
  };
}

/**
 * An image → image artifact applied to `count` held-out images of stream `from` (never trained on), or to
 * their paired images, in batches; the outputs keep their inputs' labels and the inputs themselves, pair for pair.
 */
async function translate(artifact: LoadedArtifact, streams: Record<string, DataStream>, from: string, count: number, pairs = false): Promise<FakeImages> {
  const stream = streams[from];
  const held = stream ? await stream.validation(count) : undefined;
  if (!held) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `Artifact "${artifact.name}" translates images of stream "${from}", but that stream holds none out to translate.`, {
      pointer: `/data/${from}/validationSplit`,
      hint: `Set data.${from}.validationSplit (e.g. 0.1) and train again: evaluation only translates images training never saw.`,
    });
  }
  const input = pairs ? { x: held.pair!, shape: held.pairShape! } : { x: held.x, shape: held.shape };
  const [n, h, w, c] = input.shape;
  let data: Float32Array | undefined;
  let shape: [number, number, number, number] | undefined;
  for (let start = 0; start < n; start += GENERATION_BATCH) {
    const size = Math.min(GENERATION_BATCH, n - start);
    const x = tf.tensor4d(input.x.subarray(start * h * w * c, (start + size) * h * w * c), [size, h, w, c]);
    const y = artifact.apply(x) as Tensor4D;
    const [, oh, ow, oc] = y.shape;
    shape ??= [n, oh, ow, oc];
    data ??= new Float32Array(n * oh * ow * oc);
    data.set(await y.data(), start * oh * ow * oc);
    tf.dispose([x, y]);
  }
  return { data: data!, shape: shape!, labels: held.label, inputs: { data: input.x, shape: input.shape } };
}

/** `count` images in batches, each batch with its own noise seed derived from `seed`. */
async function generate(generator: LoadedArtifact, count: number, seed: number, labels?: Int32Array): Promise<FakeImages> {
  let data: Float32Array | undefined;
  let shape: [number, number, number, number] | undefined;
  for (let start = 0, batch = 0; start < count; start += GENERATION_BATCH, batch++) {
    const size = Math.min(GENERATION_BATCH, count - start);
    const images = await generator.images(size, { seed: mixSeed(seed, 0xe7a1, batch) % 2_147_483_647, labels: labels?.subarray(start, start + size) });
    const [, h, w, c] = images.shape;
    shape ??= [count, h, w, c];
    data ??= new Float32Array(count * h * w * c);
    data.set(images.data, start * h * w * c);
  }
  return { data: data!, shape: shape!, labels };
}
