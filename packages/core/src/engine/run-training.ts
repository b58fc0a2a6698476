/**
 * A whole training run: pick the backend, build everything, open (or resume) the run folder, loop over
 * steps writing metrics, sample grids and checkpoints, and export the generator at the end. An abort
 * signal (Ctrl-C) ends the run after the current step with a checkpoint; a non-finite loss ends it with
 * a coded error and leaves the last good checkpoint in place.
 */
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { GanforgeError, isGanforgeError } from '../errors.js';
import { createTrainingEvaluation, type TrainingEvaluation } from '../eval/during-training.js';
import type { PluginRegistry } from '../plugin/registry.js';
import type { Logger } from '../plugin/types.js';
import { loadLatestCheckpoint, removeIncompleteCheckpoints, writeCheckpoint, type CheckpointState } from '../run/checkpoint.js';
import { exportModel } from '../run/export.js';
import { MetricsLog } from '../run/metrics-log.js';
import { outputSettings, type OutputSettings } from '../run/output-settings.js';
import { encodeGrid, writePng, type ImageBatch } from '../run/png.js';
import { createRunDir, findRunToResume, writeResolvedSpec } from '../run/run-dir.js';
import { openTensorBoard, type ScalarWriter } from '../run/tensorboard.js';
import type { BackendName, ResolvedSpec } from '../spec/types.js';
import { CORE_VERSION } from '../version.js';
import { selectBackend, type BackendSelection } from './backend.js';
import { buildRun, type BuiltRun } from './build.js';
import { WeightAverage } from './ema.js';
import { fromHost, toHost, type HostTensor } from './host-tensor.js';
import { checkBackendKernels } from './kernel-check.js';
import { createGroup, loadOptimizerState, saveOptimizerState, type OptimizerGroup } from './optimizers.js';
import { callHook } from './plugin-hook.js';
import { RANDOM_STREAM, SeededRandom } from './random.js';
import { defaultSample, sampleLabels } from './sampling.js';
import * as tf from './tf.js';
import { Trainer, type StepResult } from './trainer.js';
import { registerTrainingGradients } from './wasm/gradients.js';

export interface StepEvent extends StepResult {
  totalSteps: number;
  /** Images per second over the last step. */
  imgPerSec: number;
  /** Training wall time so far, across resumes. */
  elapsedMs: number;
  /** Passes over the first data stream so far. */
  epoch: number;
}

export interface SampleEvent {
  step: number;
  /** The PNG grid written. */
  file: string;
  images: ImageBatch;
}

export interface RunStartEvent {
  runDir: string;
  backend: BackendSelection;
  /** Steps already done (when resuming). */
  startStep: number;
  totalSteps: number;
  settings: OutputSettings;
  /** Newer checkpoints skipped on resume because they were broken. */
  skippedCheckpoints: { dir: string; reason: string }[];
}

export interface RunTrainingOptions {
  spec: ResolvedSpec;
  registry: PluginRegistry;
  /** Folder of the spec: relative dataset paths resolve against it. */
  specDir: string;
  /** Where relative run folders go. Default: process.cwd(). */
  cwd?: string;
  /** Override training.steps. */
  steps?: number;
  /** Override training.backend. */
  backend?: BackendName;
  /** Override output.dir. */
  outDir?: string;
  /** Continue a run: true finds the newest run of this spec; a string names the run folder. */
  resume?: boolean | string;
  /** Abort to stop after the current step, with a checkpoint. */
  signal?: AbortSignal;
  log?: Logger;
  onStart?(event: RunStartEvent): void;
  onStep?(event: StepEvent): void | Promise<void>;
  onSample?(event: SampleEvent): void | Promise<void>;
  onCheckpoint?(event: { step: number; dir: string }): void;
}

export interface TrainResult {
  runDir: string;
  /** Steps completed. */
  step: number;
  totalSteps: number;
  /** True when stopped by the abort signal before the last step. */
  interrupted: boolean;
  backend: BackendSelection;
  /** Losses of the last step. */
  losses: Record<string, number>;
  /** Folder of the last checkpoint written. */
  checkpoint?: string;
  /** Folder of the exported generator (model.json + weights.bin). */
  exportDir?: string;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** Steps of the run: training.steps, or epochs over the first data stream. */
export function totalStepsOf(spec: ResolvedSpec, built: Pick<BuiltRun, 'data'>): number {
  if (spec.training.steps !== undefined) return spec.training.steps;
  const first = Object.values(built.data)[0]!;
  return Math.max(1, Math.ceil(((spec.training.epochs ?? 1) * first.size) / spec.training.batchSize));
}

function withOverrides(spec: ResolvedSpec, options: RunTrainingOptions): ResolvedSpec {
  const training = { ...spec.training };
  if (options.steps !== undefined) {
    training.steps = options.steps;
    delete training.epochs;
  }
  if (options.backend !== undefined) training.backend = options.backend;
  const output = options.outDir !== undefined ? { ...spec.output, dir: options.outDir } : spec.output;
  return { ...spec, training, output };
}

export async function runTraining(options: RunTrainingOptions): Promise<TrainResult> {
  const log = options.log ?? silentLogger;
  const cwd = options.cwd ?? process.cwd();
  let spec = withOverrides(options.spec, options);

  const backend = await selectBackend(spec.training.backend, (m) => log.debug(m));
  // tfjs-backend-cpu prints a "install tfjs-node" banner on first use; the run already says which backend it took and why.
  if (backend.tfBackend === 'cpu') (tf.backend() as { firstUse?: boolean }).firstUse = false;
  registerTrainingGradients();

  const runDir = options.resume
    ? findRunToResume(spec, { runDir: typeof options.resume === 'string' ? options.resume : undefined, outDir: options.outDir, cwd })
    : createRunDir(spec, { outDir: options.outDir, cwd });
  const checkpoint = options.resume ? loadLatestCheckpoint(runDir, (m) => log.warn(m)) : undefined;
  if (checkpoint && options.steps === undefined && checkpoint.state.spec.training.steps !== undefined && spec.training.steps === undefined) {
    spec = { ...spec, training: { ...spec.training, steps: checkpoint.state.spec.training.steps } };
  }
  removeIncompleteCheckpoints(runDir);

  const built = await buildRun({ tf, spec, registry: options.registry, specDir: options.specDir, log });
  const groups: Record<string, OptimizerGroup> = {};
  let ema: WeightAverage | undefined;
  let tensorboard: ScalarWriter | undefined;
  let evaluation: TrainingEvaluation | undefined;
  try {
    const totalSteps = totalStepsOf(spec, built);
    spec = { ...spec, training: { ...spec.training, steps: totalSteps } };
    const settings = outputSettings(spec.output, totalSteps);
    for (const [name, config] of Object.entries(spec.training.optimizers)) groups[name] = createGroup(tf, name, config, built.models);
    if (spec.training.ema) {
      const { model = 'generator', decay = 0.999, startStep = 0 } = spec.training.ema;
      const target = built.models[model];
      if (!target) throw new GanforgeError('GF_SPEC_REFERENCE', `training.ema.model names "${model}", which is not a model of the spec.`, { pointer: '/training/ema/model' });
      ema = new WeightAverage(tf, target, decay, startStep);
    }
    const random = new SeededRandom(tf, spec.training.seed);
    let elapsedBefore = 0;
    let startStep = 0;
    if (checkpoint) {
      checkMatchingSpec(checkpoint.state.spec, spec, log);
      await restore(checkpoint.state, built, groups, ema);
      startStep = checkpoint.state.step;
      elapsedBefore = checkpoint.state.elapsedMs;
      log.info(`resuming ${runDir} from step ${startStep} (${checkpoint.dir})`);
    }
    writeResolvedSpec(runDir, spec);
    const metrics = new MetricsLog(runDir);
    if (checkpoint) metrics.truncateAfter(startStep);
    if (settings.tensorboard) tensorboard = await openTensorBoard(join(runDir, 'tensorboard'), log);
    options.onStart?.({ runDir, backend, startStep, totalSteps, settings, skippedCheckpoints: checkpoint?.skipped ?? [] });

    evaluation = await createTrainingEvaluation({ tf, spec, registry: options.registry, built, runDir, startStep, log });
    const trainer = new Trainer({ tf, built, groups, random, totalSteps, ema, startStep });
    if (trainer.step < totalSteps) await checkBackendKernels(tf, built, trainer);
    const firstStream = Object.values(built.streams)[0]!;
    const context = { spec, built, groups, ema, random, runDir, settings, log, options };
    let lastCheckpoint: { step: number; dir: string } | undefined = checkpoint ? { step: checkpoint.step, dir: checkpoint.dir } : undefined;
    const saveCheckpoint = async (step: number, elapsedMs: number) => {
      const state = await snapshot(context, step, elapsedMs);
      lastCheckpoint = { step, dir: writeCheckpoint(runDir, state, settings.keepCheckpoints) };
      options.onCheckpoint?.(lastCheckpoint);
    };

    let losses: Record<string, number> = {};
    let interrupted = false;
    const runStart = Date.now();
    let intervalStart = runStart;
    let intervalSteps = 0;
    while (trainer.step < totalSteps) {
      // Let timers, I/O and signal handlers (Ctrl-C) run: a step's own awaits settle as microtasks only.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const stepStart = Date.now();
      let result: StepResult;
      try {
        result = await trainer.runStep();
      } catch (error) {
        if (isGanforgeError(error) && error.code === 'GF_TRAIN_NONFINITE') {
          const kept = lastCheckpoint ? `the last good checkpoint is ${lastCheckpoint.dir} (step ${lastCheckpoint.step})` : 'no checkpoint had been written yet';
          throw new GanforgeError('GF_TRAIN_NONFINITE', `${error.message} In ${runDir}, ${kept}.`, {
            hint: error.hint,
            cause: error,
            step: trainer.step + 1,
            lastCheckpoint: lastCheckpoint?.dir,
          });
        }
        throw error;
      }
      losses = result.losses;
      const now = Date.now();
      const elapsedMs = elapsedBefore + (now - runStart);
      intervalSteps++;
      const step = result.step;
      const event: StepEvent = {
        ...result,
        totalSteps,
        imgPerSec: (spec.training.batchSize * 1000) / Math.max(1, now - stepStart),
        elapsedMs,
        epoch: firstStream.epoch,
      };
      await options.onStep?.(event);
      if (step % settings.logEvery === 0 || step === totalSteps) {
        const imgPerSec = (spec.training.batchSize * intervalSteps * 1000) / Math.max(1, now - intervalStart);
        metrics.append({ step, losses: result.losses, lr: result.lr, imgPerSec: round(imgPerSec), wallTime: round(elapsedMs / 1000), epoch: round(firstStream.epoch) });
        for (const [name, value] of Object.entries(result.losses)) tensorboard?.scalar(`loss/${name}`, value, step);
        intervalStart = now;
        intervalSteps = 0;
      }
      if (step % settings.sampleEvery === 0 || step === totalSteps) await writeSample(context, step);
      if (step % settings.checkpointEvery === 0 || step === totalSteps) await saveCheckpoint(step, elapsedMs);
      await evaluation?.afterStep(step, totalSteps, {
        draw: (n, labels) => drawSamples(context, n, labels),
        // The best step so far: its full checkpoint and its generator, in <run>/best/.
        saveBest: async (dir) => {
          writeCheckpoint(dir, await snapshot(context, step, elapsedMs), 1);
          if (settings.export) await exportGenerator(context, join(dir, 'generator'), step);
        },
      });
    }
    const elapsedMs = elapsedBefore + (Date.now() - runStart);
    if (trainer.step > (lastCheckpoint?.step ?? -1)) await saveCheckpoint(trainer.step, elapsedMs);
    tensorboard?.flush();

    let exportDir: string | undefined;
    if (!interrupted && settings.export) {
      exportDir = join(runDir, 'generator');
      await exportGenerator(context, exportDir, trainer.step);
    }
    return { runDir, step: trainer.step, totalSteps, interrupted, backend, losses, checkpoint: lastCheckpoint?.dir, exportDir };
  } finally {
    evaluation?.dispose();
    await dispose(built, groups, ema);
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;

interface RunContext {
  spec: ResolvedSpec;
  built: BuiltRun;
  groups: Record<string, OptimizerGroup>;
  ema?: WeightAverage;
  random: SeededRandom;
  runDir: string;
  settings: OutputSettings;
  log: Logger;
  options: RunTrainingOptions;
}

async function snapshot({ spec, built, groups, ema, options }: RunContext, step: number, elapsedMs: number): Promise<CheckpointState> {
  const models: Record<string, HostTensor[]> = {};
  for (const [name, model] of Object.entries(built.models)) models[name] = await Promise.all(model.weights.map((w) => toHost(w.read())));
  const optimizers: Record<string, HostTensor[]> = {};
  for (const [name, group] of Object.entries(groups)) optimizers[name] = await saveOptimizerState(group);
  let objective: CheckpointState['objective'];
  if (built.program.state) {
    const saved = callHook({ ...built.objectiveSite, hook: 'state.save' }, () => built.program.state!.save());
    const tensors: Record<string, HostTensor> = {};
    for (const [key, tensor] of Object.entries(saved.tensors)) tensors[key] = await toHost(tensor);
    objective = { tensors, json: saved.json };
  }
  const plugins = Object.fromEntries(options.registry.plugins.map(({ plugin }) => [plugin.meta.name, plugin.meta.version]));
  return {
    step,
    models,
    optimizers,
    ema: ema ? await ema.save() : undefined,
    objective,
    random: { seed: spec.training.seed },
    data: Object.fromEntries(Object.entries(built.streams).map(([name, stream]) => [name, { position: stream.position }])),
    spec,
    versions: { core: CORE_VERSION, plugins },
    elapsedMs,
    savedAt: new Date().toISOString(),
  };
}

async function restore(state: CheckpointState, built: BuiltRun, groups: Record<string, OptimizerGroup>, ema: WeightAverage | undefined): Promise<void> {
  const mismatch = (what: string): never => {
    throw new GanforgeError('GF_CHECKPOINT', `The checkpoint does not fit the spec: ${what}.`, {
      hint: 'Resume with the spec the run was started with (the run folder keeps it as spec.json).',
    });
  };
  for (const [name, model] of Object.entries(built.models)) {
    const saved = state.models[name] ?? mismatch(`it has no weights for model "${name}"`);
    if (saved.length !== model.weights.length) mismatch(`model "${name}" has ${model.weights.length} weights, the checkpoint ${saved.length}`);
    model.weights.forEach((w, i) => {
      const host = saved[i]!;
      if (host.shape.join('x') !== w.shape.join('x')) mismatch(`weight ${w.name} of "${name}" is ${w.shape.join('x')}, the checkpoint's ${host.shape.join('x')}`);
      const t = fromHost(tf, host);
      w.write(t);
      t.dispose();
    });
  }
  for (const [name, group] of Object.entries(groups)) {
    const saved = state.optimizers[name] ?? mismatch(`it has no state for optimizer group "${name}"`);
    await loadOptimizerState(tf, group, saved);
  }
  if (ema && state.ema) ema.load(state.ema);
  if (built.program.state && state.objective) {
    const tensors: Record<string, Tensor> = {};
    for (const [key, host] of Object.entries(state.objective.tensors)) tensors[key] = fromHost(tf, host);
    callHook({ ...built.objectiveSite, hook: 'state.load' }, () => built.program.state!.load({ tensors, json: state.objective!.json }));
  }
  for (const [name, stream] of Object.entries(built.streams)) stream.seek(state.data[name]?.position ?? 0);
}

/** Sections that must not change between a run and its resume (steps, output and backend may). */
function checkMatchingSpec(saved: ResolvedSpec, current: ResolvedSpec, log: Logger): void {
  for (const key of ['models', 'objective', 'data', 'losses'] as const) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(current[key])) {
      log.warn(`The spec's "${key}" differs from the one the run was started with; resuming with the current spec.`);
    }
  }
}

/** Images from fixed noise (the same every time), with the EMA weights when EMA is on. */
async function drawSamples({ built, ema, random, settings }: RunContext, n = settings.sampleCount, labels?: Int32Array): Promise<ImageBatch> {
  const model = built.models[built.sampleModel];
  const scale = Object.values(built.streams)[0]!.scale;
  const numClasses = Object.values(built.data).find((d) => d.numClasses !== undefined)?.numClasses;
  const wanted = labels ?? (numClasses !== undefined ? sampleLabels(n, numClasses) : undefined);
  const draw = () =>
    tf.tidy(() => {
      const fixed = new SeededRandom(tf, random.seed).at(RANDOM_STREAM.sample);
      if (built.program.sample) return callHook({ ...built.objectiveSite, hook: 'sample' }, () => built.program.sample!({ n, random: fixed, labels: wanted }));
      if (!model) throw new GanforgeError('GF_PLUGIN_HOOK', `The objective samples with model "${built.sampleModel}", which the spec does not define.`, { plugin: built.objectiveSite.plugin, hook: 'sample' });
      return defaultSample(tf, model, n, fixed, wanted);
    });
  const images = ema && ema.model === model ? await ema.withAveraged(draw) : draw();
  try {
    const [count, h, w, c] = images.shape;
    return { data: Float32Array.from(await images.data()), shape: [count, h, w, c], scale };
  } finally {
    images.dispose();
  }
}

async function writeSample(context: RunContext, step: number): Promise<void> {
  const images = await drawSamples(context);
  const file = join(context.runDir, 'samples', `step-${String(step).padStart(9, '0')}.png`);
  writePng(file, encodeGrid(images));
  await context.options.onSample?.({ step, file, images });
}

async function exportGenerator({ built, ema, spec, options }: RunContext, dir: string, step: number): Promise<void> {
  const model = built.models[built.sampleModel];
  if (!model) return;
  const numClasses = Object.values(built.data).find((d) => d.numClasses !== undefined)?.numClasses;
  const plugins = options.registry.plugins.map(({ plugin }) => ({ name: plugin.meta.name, version: plugin.meta.version }));
  const info = { spec: spec.name, model: built.sampleModel, step, scale: Object.values(built.streams)[0]!.scale, numClasses, plugins };
  if (ema && ema.model === model) await ema.withAveraged(() => exportModel(tf, model, dir, { ...info, ema: true }));
  else await exportModel(tf, model, dir, { ...info, ema: false });
}

async function dispose(built: BuiltRun, groups: Record<string, OptimizerGroup>, ema: WeightAverage | undefined): Promise<void> {
  built.program.dispose?.();
  for (const group of Object.values(groups)) group.optimizer.dispose();
  ema?.dispose();
  for (const model of Object.values(built.models)) model.dispose();
  await Promise.all(Object.values(built.streams).map((stream) => stream.close()));
}
