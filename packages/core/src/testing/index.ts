/**
 * `@ganforge/core/testing`: what a plugin's own unit tests need to call its entries the way the engine
 * does, without a spec or a run folder (as ESLint's RuleTester does for rules):
 * - the host's one tf namespace (plugins never import tfjs), on a backend chosen by the engine's own code,
 *   with the gradients the engine registers before training;
 * - entry options validated and defaulted by the core's Ajv, exactly as a spec's options would be;
 * - architectures built with the context the engine passes (name, data shapes, seed, logger);
 * - specs validated and resolved as `ganforge validate` does, with plugins passed as objects;
 * - the core's own entries (namespace "core"), e.g. a loss to hand to an objective under test;
 * - a layer's output and gradients as arrays, to compare backends (`forwardAndGradients`, `relativeError`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import { selectBackend } from '../node/index.js';
import * as tfNamespace from '../engine/tf.js';
import { runTraining, silentLogger, type RunTrainingOptions, type StepEvent, type TrainResult } from '../engine/run-training.js';
import type { ArchitectureContext, DataInfo, GanforgePlugin, TF } from '../plugin/types.js';
import { diagnosticsFromAjv } from '../spec/diagnostics.js';
import { validateEntryOptions } from '../spec/ajv.js';

import { validateSpec } from '../spec/validate.js';
export { validateSpec, type ValidateOptions, type ValidatedSpec } from '../spec/validate.js';
export { corePlugin } from '../builtin/plugin.js';
export { forwardAndGradients, relativeError } from './gradients.js';

/** The tf namespace the engine hands to every plugin hook. */
export const tf = tfNamespace as unknown as TF;

/** A logger that drops everything (the engine's own). */
export const silentLog = silentLogger;

/**
 * Activates a backend through the engine's selection (default "cpu": deterministic and always there) and
 * registers the engine's training gradients (second-order LeakyReLU for gradient penalties and others).
 */
export async function useBackend(name: 'cpu' | 'wasm' = 'cpu'): Promise<void> {
  await selectBackend(name);
}

/**
 * An entry's options as the engine would receive them: validated against the entry's options schema and
 * completed with its defaults. Invalid options throw the GanforgeError a spec with them would get.
 */
export function entryOptions<O = Record<string, unknown>>(entry: { optionsSchema?: unknown }, options: Record<string, unknown> = {}, id = 'entry under test'): O {
  const copy = structuredClone(options);
  const errors = validateEntryOptions(entry, copy, { plugin: id, id, pointer: '/options' });
  if (errors.length > 0) {
    const diagnostics = diagnosticsFromAjv(errors, '/options');
    throw new GanforgeError(diagnostics[0]!.code, `Invalid options for ${id}: ${diagnostics.map((d) => d.message).join('; ')}`, { diagnostics });
  }
  return copy as O;
}

export interface BuildModelOptions {
  /** Options as a spec would give them; defaults are filled in. */
  options?: Record<string, unknown>;
  /** Shape of each data stream; most architectures read "real". */
  data: Record<string, DataInfo>;
  /** The model's name in a spec (layer names derive from it). Default "model". */
  name?: string;
  /** Initializer seed. Default 1. */
  seed?: number;
}

type ArchitectureEntry = { optionsSchema?: unknown; build(ctx: ArchitectureContext<any>): LayersModel | Promise<LayersModel> };

/** Builds an architecture entry as the engine does for a model of a spec; for entries whose build is synchronous. */
export function buildModel(entry: ArchitectureEntry, options: BuildModelOptions): LayersModel {
  const model = entry.build(context(entry, options));
  if (model instanceof Promise) {
    model.catch(() => {}); // reported below; not an unhandled rejection
    throw new TypeError('This architecture builds asynchronously: use `await buildModelAsync(...)`.');
  }
  return model;
}

/** Builds an architecture entry as the engine does (which awaits the build). */
export async function buildModelAsync(entry: ArchitectureEntry, options: BuildModelOptions): Promise<LayersModel> {
  return entry.build(context(entry, options));
}

function context(entry: ArchitectureEntry, { options = {}, data, name = 'model', seed = 1 }: BuildModelOptions): ArchitectureContext<unknown> {
  return { tf, options: entryOptions(entry, options), name, data, seed, log: silentLog };
}

export interface TrainedSpec {
  result: TrainResult;
  /** Every step's event, in order. */
  steps: StepEvent[];
  /** The folder the run's relative paths resolved against. */
  dir: string;
}

/**
 * Validate `spec` with plugin objects and train it the way the engine does, in `dir` (default: a fresh
 * temp folder, removed afterwards unless `keep`), recording every step: how plugin tests train tiny specs.
 */
export async function trainSpec(
  spec: Record<string, unknown>,
  opts: { plugins: GanforgePlugin[]; dir?: string; keep?: boolean; onStep?: (event: StepEvent) => void } & Pick<RunTrainingOptions, 'resume' | 'steps' | 'outDir'>,
): Promise<TrainedSpec> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'gf-plugin-test-'));
  try {
    const { spec: resolved, registry, specDir } = await validateSpec(spec, { plugins: opts.plugins, cwd: dir });
    const steps: StepEvent[] = [];
    const result = await runTraining({
      spec: resolved,
      registry,
      specDir,
      cwd: dir,
      resume: opts.resume,
      steps: opts.steps,
      outDir: opts.outDir,
      onStep: (event) => {
        steps.push(event);
        opts.onStep?.(event);
      },
    });
    return { result, steps, dir };
  } finally {
    if (!opts.keep && !opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}
