/**
 * Evaluation during training (the spec's `evaluation` section): every `every` steps and at the end, score
 * the generator on the held-out split, append to <run>/evaluations.json, and when `keepBest` is set, keep
 * the best step's checkpoint and generator in <run>/best/. Selection uses the validation split only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltRun } from '../engine/build.js';
import { generatorInputs, sampleLabels } from '../engine/sampling.js';
import type { PluginRegistry } from '../plugin/registry.js';
import type { Logger, TF } from '../plugin/types.js';
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
  draw(n: number, labels?: Int32Array): Promise<ImageBatch>;
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
  registry: PluginRegistry;
  built: BuiltRun;
  runDir: string;
  /** Steps already done (resume): later records of a previous attempt are dropped. */
  startStep?: number;
  log: Logger;
}

/** Undefined when the spec evaluates nothing. */
export async function createTrainingEvaluation({ tf, spec, registry, built, runDir, startStep = 0, log }: TrainingEvaluationOptions): Promise<TrainingEvaluation | undefined> {
  const evaluation = spec.evaluation;
  if (!evaluation || Object.keys(evaluation.metrics ?? {}).length === 0) return undefined;
  const evaluator = await Evaluator.create({ tf, spec, registry, streams: built.streams, n: evaluation.samples ?? 2000, log });
  const model = built.models[built.sampleModel];
  const conditional = model ? safeConditional(model) : false;
  const numClasses = Object.values(built.data).find((d) => d.numClasses !== undefined)?.numClasses;
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
  if (startStep > 0 && existsSync(file)) {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as EvaluationsFile;
    state.history = previous.history.filter((r) => r.step <= startStep);
    if (previous.best && previous.best.step <= startStep) state.best = previous.best;
  }

  return {
    async afterStep(step, totalSteps, hooks) {
      const every = evaluation.every ?? totalSteps;
      if (step % every !== 0 && step !== totalSteps) return undefined;
      const started = Date.now();
      const images = await hooks.draw(evaluator.n, labels);
      const metrics = await evaluator.evaluate({ data: images.data, shape: images.shape, labels });
      const record: EvaluationRecord = { step, metrics, seconds: Math.round((Date.now() - started) / 100) / 10 };
      state.history = [...state.history.filter((r) => r.step < step), record];
      log.info(`evaluation at step ${step}: ${summary(metrics)}`);
      if (keepBest) {
        const value = selectValue(metrics, keepBest.metric);
        if (value === undefined) {
          log.warn(`evaluation.keepBest.metric "${keepBest.metric}" has no value at step ${step}; the best checkpoint is unchanged.`);
        } else if (!state.best || (mode === 'min' ? value < state.best.value : value > state.best.value)) {
          const dir = join(runDir, BEST_DIR);
          mkdirSync(dir, { recursive: true });
          await hooks.saveBest(dir);
          state.best = { step, selector: keepBest.metric, mode, value, dir: BEST_DIR };
          writeFileSync(join(dir, 'eval.json'), `${JSON.stringify({ step, metrics, protocol: state.protocol }, null, 2)}\n`);
        }
      }
      writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
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
