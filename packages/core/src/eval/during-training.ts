/**
 * Evaluation during training (the spec's `evaluation` section): every `every` steps and at the end, score
 * the run's noise → image artifact on the held-out split, append to <run>/evaluations.json, and when
 * `keepBest` is set, keep the best step's checkpoint and artifacts in <run>/best/. Selection uses the
 * validation split only. It joins the run as a lifecycle listener.
 */
import type { BuiltRun } from '../engine/build.js';
import type { RunListener } from '../engine/lifecycle.js';
import { drawSamples, generatorInputs, numClassesOf, sampleArtifact, sampleLabels, type DrawnImages } from '../engine/sampling.js';
import { joinPath as join } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import type { PluginDriver } from '../plugin/driver.js';
import type { Logger, TF } from '../plugin/types.js';
import { writeArtifactIndex } from '../run/export.js';
import { exportArtifacts } from '../run/listeners/artifacts.js';
import type { CheckpointListener } from '../run/listeners/checkpoints.js';
import type { ImageBatch } from '../run/png.js';
import type { ResolvedSpec } from '../spec/types.js';
import { Evaluator, type EvaluationProtocol } from './evaluator.js';
import { selectorMode, selectValue, type MetricValues } from './metrics.js';

export const EVALUATIONS_FILE = 'evaluations.json';
export const BEST_DIR = 'best';

export interface EvaluationRecord {
  step: number;
  metrics: MetricValues;
  seconds: number;
}

export interface EvaluationsFile {
  format: 'ganforge-evaluations';
  version: 1;
  protocol: EvaluationProtocol;
  history: EvaluationRecord[];
  best?: { step: number; selector: string; mode: 'min' | 'max'; value: number; dir: string };
}

export interface TrainingEvaluationHooks {
  /** Images from the run's fixed sample noise (the same every evaluation), with labels for conditional models. */
  draw(n: number, labels?: Int32Array): Promise<DrawnImages>;
  /** Save the current state (checkpoint + generator) into `dir`. */
  saveBest(dir: string): Promise<void>;
}

export interface TrainingEvaluation {
  /** Evaluates when `step` (1-based, just completed) is due. */
  afterStep(step: number, totalSteps: number, hooks: TrainingEvaluationHooks): Promise<EvaluationRecord | undefined>;
  dispose(): void;
}

export interface TrainingEvaluationOptions {
  tf: TF;
  spec: ResolvedSpec;
  driver: PluginDriver;
  built: BuiltRun;
  storage: Storage;
  runDir: string;
  /** Steps already done (resume): later records of a previous attempt are dropped. */
  startStep?: number;
  log: Logger;
}

/** Undefined when the spec evaluates nothing. */
export async function createTrainingEvaluation({ tf, spec, driver, built, storage, runDir, startStep = 0, log }: TrainingEvaluationOptions): Promise<TrainingEvaluation | undefined> {
  const evaluation = spec.evaluation;
  // Metrics that judge a head's scores (AUROC of an anomaly score) wait for the exported head: `ganforge eval`.
  const metrics = Object.fromEntries(
    Object.entries(evaluation?.metrics ?? {}).filter(([name, ref]) => driver.entry('metrics', ref.use, `/evaluation/metrics/${name}`).definition.input !== 'scores'),
  );
  if (!evaluation || Object.keys(metrics).length === 0) return undefined;
  const evaluator = await Evaluator.create({ tf, spec, driver, streams: built.streams, metrics, n: evaluation.samples, log, stream: built.program.evaluates });
  const model = sampleArtifact(built)?.modelsBuilt[0];
  const conditional = model ? safeConditional(model) : false;
  const numClasses = numClassesOf(built);
  const labels = conditional && numClasses !== undefined ? sampleLabels(evaluator.n, numClasses) : undefined;
  const file = join(runDir, EVALUATIONS_FILE);
  const keepBest = evaluation.keepBest;
  const mode = keepBest ? selectorMode(evaluator.metrics, keepBest.metric, keepBest.mode) : 'min';

  const state: EvaluationsFile = {
    format: 'ganforge-evaluations',
    version: 1,
    protocol: evaluator.protocol(spec.training.seed, evaluator.n, labels !== undefined, numClasses),
    history: [],
  };
  if (startStep > 0 && (await storage.exists(file))) {
    const previous = JSON.parse(await storage.readText(file)) as EvaluationsFile;
    state.history = previous.history.filter((r) => r.step <= startStep);
    if (previous.best && previous.best.step <= startStep) state.best = previous.best;
  }

  return {
    async afterStep(step, totalSteps, hooks) {
      const every = evaluation.every ?? totalSteps;
      if (step % every !== 0 && step !== totalSteps) return undefined;
      const started = Date.now();
      const images = await hooks.draw(evaluator.n, labels);
      // A translator's images should show their inputs' classes; a conditional generator's, the ones asked for.
      if (images.labels && !labels) state.protocol.fakeLabels = "the objective's: its samples' own classes (a translator's inputs' labels)";
      const metrics = await evaluator.evaluate({ data: images.data, shape: images.shape, labels: images.labels ?? labels });
      const record: EvaluationRecord = { step, metrics, seconds: Math.round((Date.now() - started) / 100) / 10 };
      state.history = [...state.history.filter((r) => r.step < step), record];
      log.info(`evaluation at step ${step}: ${summary(metrics)}`);
      if (keepBest) {
        const value = selectValue(metrics, keepBest.metric);
        if (value === undefined) {
          log.warn(`evaluation.keepBest.metric "${keepBest.metric}" has no value at step ${step}; the best checkpoint is unchanged.`);
        } else if (!state.best || (mode === 'min' ? value < state.best.value : value > state.best.value)) {
          const dir = join(runDir, BEST_DIR);
          await storage.mkdir(dir);
          await hooks.saveBest(dir);
          state.best = { step, selector: keepBest.metric, mode, value, dir: BEST_DIR };
          await storage.write(join(dir, 'eval.json'), `${JSON.stringify({ step, metrics, protocol: state.protocol }, null, 2)}\n`);
        }
      }
      await storage.write(file, `${JSON.stringify(state, null, 2)}\n`);
      return record;
    },
    dispose: () => evaluator.dispose(),
  };
}

function safeConditional(model: Parameters<typeof generatorInputs>[0]): boolean {
  try {
    return generatorInputs(model).conditional;
  } catch {
    return model.inputs.length > 1;
  }
}

function summary(metrics: MetricValues): string {
  return Object.entries(metrics)
    .map(([name, values]) => `${name} ${values.value !== undefined ? values.value.toPrecision(4) : Object.keys(values).length === 0 ? '(skipped)' : JSON.stringify(values)}`)
    .join(', ');
}

/** The evaluation as a run listener: after each step's checkpoint, evaluate when due, then an "evaluate" event. */
export function evaluationListener(evaluation: TrainingEvaluation, checkpoints: CheckpointListener): RunListener {
  return {
    name: 'evaluation',
    async step({ step, totalSteps, elapsedMs }, run) {
      const record = await evaluation.afterStep(step, totalSteps, {
        draw: (n, labels) => drawSamples(run, n, labels, 'evaluation'),
        // The best step so far: its full checkpoint and its artifacts, in <run>/best/.
        saveBest: async (dir) => {
          await checkpoints.save(run, dir, step, elapsedMs, 1);
          if (run.settings.export) await writeArtifactIndex(run.storage, dir, (await exportArtifacts(run, dir, step)).map((e) => e.info));
        },
      });
      if (record) await run.emit('evaluate', record);
    },
    dispose: () => evaluation.dispose(),
  };
}
