/**
 * A whole training run: pick the backend, build everything, open (or resume) the run folder, then loop
 * over steps emitting lifecycle events (start, step, sample, checkpoint, evaluate, end) that the run's
 * listeners act on: metrics log, TensorBoard, sample grids, checkpoints, weight average, evaluation,
 * artifact export, and the caller's callbacks. An abort signal (Ctrl-C) ends the run after the current
 * step with a checkpoint; a non-finite loss ends it with a coded error and leaves the last good checkpoint.
 * Platform-free: files, time and plugins come from the Host (the Node host by default in `api/train`).
 */
import { GanforgeError, isGanforgeError } from '../errors.js';
import { createTrainingEvaluation, evaluationListener } from '../eval/during-training.js';
import { defaultHost } from '../host/default.js';
import type { Host } from '../host/types.js';
import { PluginDriver } from '../plugin/driver.js';
import type { PluginRegistry } from '../plugin/registry.js';
import type { Logger } from '../plugin/types.js';
import { loadLatestCheckpoint, removeIncompleteCheckpoints } from '../run/checkpoint.js';
import { writeArtifactIndex } from '../run/export.js';
import { artifactListener } from '../run/listeners/artifacts.js';
import { checkpointListener } from '../run/listeners/checkpoints.js';
import { headsListener } from '../run/listeners/heads.js';
import { metricsListener } from '../run/listeners/metrics.js';
import { sampleGridListener } from '../run/listeners/sample-grids.js';
import { scalarsListener } from '../run/listeners/scalars.js';
import { outputSettings } from '../run/output-settings.js';
import { createRunDir, findRunToResume, writeResolvedSpec } from '../run/run-dir.js';
import type { BackendName, ResolvedSpec } from '../spec/types.js';
import { portableBackends, type BackendSelection } from './choose-backend.js';
import { buildRun, type BuiltRun } from './build.js';
import { WeightAverage, weightAverageListener } from './ema.js';
import { checkBackendKernels } from './kernel-check.js';
import { Lifecycle, type CheckpointEvent, type EvaluateEvent, type RunHandle, type RunListener, type RunStartEvent, type SampleEvent, type StepEvent } from './lifecycle.js';
import { createGroup, type OptimizerGroup } from './optimizers.js';
import { SeededRandom } from './random.js';
import { checkMatchingSpec, restore } from './run-state.js';
import * as tf from './tf.js';
import { Trainer } from './trainer.js';
import { registerTrainingGradients } from './wasm/gradients.js';

export type { CheckpointEvent, EvaluateEvent, RunStartEvent, SampleEvent, StepEvent } from './lifecycle.js';

export interface RunTrainingOptions {
  spec: ResolvedSpec;
  registry: PluginRegistry;
  /** Folder of the spec: relative dataset paths resolve against it. */
  specDir: string;
  /**
   * Files, clock, backends, and the working folder relative run folders go in. Default: the registered
   * default host for `cwd` (Node's, once @ganforge/core's Node entry is loaded); a browser passes its own.
   */
  host?: Host;
  /** Working folder for the default host. */
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
  /** More lifecycle listeners (after the run's own, so they see each step's files written). */
  listeners?: RunListener[];
  onStart?(event: RunStartEvent): void;
  onStep?(event: StepEvent): void | Promise<void>;
  onSample?(event: SampleEvent): void | Promise<void>;
  onCheckpoint?(event: CheckpointEvent): void;
  onEvaluate?(event: EvaluateEvent): void | Promise<void>;
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
  /** The artifacts exported, by name: folder, input and output kinds. */
  artifacts: { name: string; dir: string; input: string; output: string }[];
  /** Folder of the exported noise → image artifact (model.json + weights.bin), when there is one. */
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

/** The embedding app's callbacks, as a listener. */
function callbackListener(options: RunTrainingOptions): RunListener {
  return {
    name: 'callbacks',
    start: (event) => options.onStart?.(event),
    step: (event) => options.onStep?.(event),
    sample: (event) => options.onSample?.(event),
    checkpoint: (event) => options.onCheckpoint?.(event),
    evaluate: (event) => options.onEvaluate?.(event),
  };
}

export async function runTraining(options: RunTrainingOptions): Promise<TrainResult> {
  const host = options.host ?? defaultHost(options.cwd);
  const { storage, clock } = host;
  const log = options.log ?? silentLogger;
  let spec = withOverrides(options.spec, options);
  const driver = new PluginDriver(options.registry);

  const backend = await (host.backends ?? portableBackends).select(spec.training.backend, (m) => log.debug(m));
  // tfjs-backend-cpu prints a "install tfjs-node" banner on first use; the run already says which backend it took and why.
  if (backend.tfBackend === 'cpu') (tf.backend() as { firstUse?: boolean }).firstUse = false;
  registerTrainingGradients();

  const runDir = options.resume
    ? await findRunToResume(storage, spec, { runDir: typeof options.resume === 'string' ? options.resume : undefined, outDir: options.outDir })
    : await createRunDir(storage, spec, { outDir: options.outDir });
  const checkpoint = options.resume ? await loadLatestCheckpoint(storage, runDir, (m) => log.warn(m)) : undefined;
  if (checkpoint && options.steps === undefined && checkpoint.state.spec.training.steps !== undefined && spec.training.steps === undefined) {
    spec = { ...spec, training: { ...spec.training, steps: checkpoint.state.spec.training.steps } };
  }
  await removeIncompleteCheckpoints(storage, runDir);

  const built = await buildRun({ tf, spec, driver, specDir: options.specDir, storage, log });
  const groups: Record<string, OptimizerGroup> = {};
  const lifecycle = new Lifecycle();
  let ema: WeightAverage | undefined;
  try {
    const totalSteps = totalStepsOf(spec, built);
    spec = { ...spec, training: { ...spec.training, steps: totalSteps } };
    const settings = outputSettings(spec.output, totalSteps);
    for (const [name, config] of Object.entries(spec.training.optimizers)) groups[name] = createGroup(tf, name, config, built.models);
    if (spec.training.ema) {
      const { model, decay = 0.999, startStep = 0 } = spec.training.ema;
      const target = model !== undefined ? built.models[model] : undefined;
      if (!target) throw new GanforgeError('GF_SPEC_REFERENCE', `training.ema.model names "${model}", which is not a model of the spec.`, { pointer: '/training/ema/model' });
      ema = new WeightAverage(tf, target, decay, startStep);
    }
    const trainer = new Trainer({ tf, built, groups, random: new SeededRandom(tf, spec.training.seed), totalSteps, startStep: checkpoint?.state.step ?? 0 });
    const run: RunHandle = {
      tf,
      spec,
      built,
      groups,
      trainer,
      storage,
      runDir,
      settings,
      log,
      ema,
      plugins: options.registry.plugins.map(({ plugin }) => ({ name: plugin.meta.name, version: plugin.meta.version })),
      emit: (event, payload) => lifecycle.emit(event, payload, run),
    };
    let elapsedBefore = 0;
    if (checkpoint) {
      checkMatchingSpec(checkpoint.state.spec, spec, log);
      await restore(run, checkpoint.state);
      elapsedBefore = checkpoint.state.elapsedMs;
      log.info(`resuming ${runDir} from step ${trainer.step} (${checkpoint.dir})`);
    }
    await writeResolvedSpec(storage, runDir, spec, options.specDir);

    const evaluation = await createTrainingEvaluation({ tf, spec, driver, built, storage, runDir, startStep: trainer.step, log });
    const checkpoints = checkpointListener(checkpoint ? { step: checkpoint.step, dir: checkpoint.dir } : undefined);
    const artifacts = artifactListener();
    const heads = headsListener(driver);
    // Order matters: the average first (samples of a step use it), the caller's callbacks before any file of the
    // step is written (as before listeners existed), then metrics, grids, the checkpoint, evaluation; export at the end.
    lifecycle.add(
      ema && weightAverageListener(ema),
      callbackListener(options),
      metricsListener(),
      scalarsListener(host),
      sampleGridListener(),
      checkpoints,
      evaluation && evaluationListener(evaluation, checkpoints),
      artifacts,
      heads,
      ...(options.listeners ?? []),
    );
    await run.emit('start', { runDir, backend, startStep: trainer.step, totalSteps, settings, skippedCheckpoints: checkpoint?.skipped ?? [], elapsedMs: elapsedBefore });

    if (trainer.step < totalSteps) await checkBackendKernels(tf, built, trainer);
    const firstStream = Object.values(built.streams)[0]!;
    let losses: Record<string, number> = {};
    let interrupted = false;
    const runStart = clock.now();
    while (trainer.step < totalSteps) {
      // Let timers, I/O and signal handlers (Ctrl-C) run: a step's own awaits settle as microtasks only.
      await clock.yield();
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const stepStart = clock.now();
      let result;
      try {
        result = await trainer.runStep();
      } catch (error) {
        if (isGanforgeError(error) && error.code === 'GF_TRAIN_NONFINITE') {
          const last = checkpoints.last;
          const kept = last ? `the last good checkpoint is ${last.dir} (step ${last.step})` : 'no checkpoint had been written yet';
          throw new GanforgeError('GF_TRAIN_NONFINITE', `${error.message} In ${runDir}, ${kept}.`, {
            hint: error.hint,
            cause: error,
            step: trainer.step + 1,
            lastCheckpoint: last?.dir,
          });
        }
        throw error;
      }
      losses = result.losses;
      const now = clock.now();
      await run.emit('step', {
        ...result,
        totalSteps,
        imgPerSec: (spec.training.batchSize * 1000) / Math.max(1, now - stepStart),
        elapsedMs: elapsedBefore + (now - runStart),
        epoch: firstStream.epoch,
      });
    }
    await run.emit('end', { step: trainer.step, totalSteps, interrupted, elapsedMs: elapsedBefore + (clock.now() - runStart) });

    const all = [...artifacts.exported, ...heads.exported];
    if (all.length > 0) await writeArtifactIndex(storage, runDir, all.map((a) => a.info));
    const exported = all.map(({ info, dir }) => ({ name: info.artifact, dir, input: info.input, output: info.output }));
    const exportDir = exported.find((a) => (a.input === 'noise' || a.input === 'noise+label') && a.output === 'image')?.dir;
    return { runDir, step: trainer.step, totalSteps, interrupted, backend, losses, checkpoint: checkpoints.last?.dir, artifacts: exported, exportDir };
  } finally {
    await dispose(built, groups, ema, lifecycle);
  }
}

async function dispose(built: BuiltRun, groups: Record<string, OptimizerGroup>, ema: WeightAverage | undefined, lifecycle: Lifecycle): Promise<void> {
  await lifecycle.dispose();
  built.program.dispose?.();
  for (const group of Object.values(groups)) group.optimizer.dispose();
  ema?.dispose();
  for (const model of Object.values(built.models)) model.dispose();
  await Promise.all(Object.values(built.streams).map((stream) => stream.close()));
}
