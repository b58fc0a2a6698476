/**
 * Turn a resolved spec into live objects: custom layers registered, datasets opened as data streams,
 * models built by their architecture entries, loss roles and augmentations built, the objective set up,
 * and its artifacts bound to their models. Every call into plugin code goes through the plugin driver.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import { DataStream } from '../data/pipeline.js';
import { contractError, PluginDriver, type HookSite } from '../plugin/driver.js';
import type { AdaptiveHooks, ArtifactDeclaration, Augment, DataInfo, Logger, ObjectiveProgram, ResolvedLoss, TF } from '../plugin/types.js';
import { isAbsolute } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import { initFromTrained } from '../run/init-weights.js';
import type { ResolvedSpec } from '../spec/types.js';
import { mixSeed, RANDOM_STREAM } from './random.js';

export interface BuiltAugment {
  fn: Augment;
  /** The entry id, e.g. "augment/ada" (names its logged values and saved state). */
  use: string;
  /** `fn` again when it adapts during training (has observe / values / state hooks). */
  adaptive?: AdaptiveHooks;
  /** "data", or an augmentation point the objective declares. */
  at: string;
  /** Streams it applies to; undefined means all. */
  streams?: string[];
  site: HookSite;
}

/** An artifact the objective declares, with its models. */
export interface BuiltArtifact extends ArtifactDeclaration {
  name: string;
  modelsBuilt: LayersModel[];
}

export interface BuiltRun {
  streams: Record<string, DataStream>;
  data: Record<string, DataInfo>;
  models: Record<string, LayersModel>;
  losses: Record<string, ResolvedLoss>;
  augments: BuiltAugment[];
  program: ObjectiveProgram;
  /** Where the objective comes from, for messages about its phases. */
  objectiveSite: Omit<HookSite, 'hook'>;
  /** What the trained run offers, by name, in the objective's order. */
  artifacts: Record<string, BuiltArtifact>;
  /** Augmentation points the objective declares, in its order (step.augment's default is the first). */
  augmentPoints: string[];
}

export interface BuildOptions {
  tf: TF;
  spec: ResolvedSpec;
  driver: PluginDriver;
  specDir: string;
  storage: Storage;
  log: Logger;
}

/** Seed of a model's initializers: distinct per model, fixed by training.seed and the model's position in the spec. */
export function modelSeed(seed: number, index: number): number {
  return mixSeed(seed, RANDOM_STREAM.init, index) % 2_147_483_647;
}

export async function buildRun({ tf, spec, driver, specDir, storage, log }: BuildOptions): Promise<BuiltRun> {
  driver.registerLayers(tf);

  const streams: Record<string, DataStream> = {};
  const data: Record<string, DataInfo> = {};
  try {
    for (const [name, stream] of Object.entries(spec.data)) {
      const dataset = driver.entry('datasets', stream.use, `/data/${name}`);
      const source = await dataset.call('open', (entry) => entry.open({ tf, options: stream.options, specDir, storage, log }));
      streams[name] = new DataStream({
        name,
        source,
        batchSize: spec.training.batchSize,
        seed: spec.training.seed,
        shuffle: stream.shuffle ?? true,
        scale: stream.scale ?? 'tanh',
        validationSplit: stream.validationSplit ?? 0,
        prefetch: spec.training.prefetch,
        site: { ...dataset.site, hook: 'read' },
      });
      data[name] = streams[name].info;
    }

    const models: Record<string, LayersModel> = {};
    for (const [index, [name, model]] of Object.entries(spec.models).entries()) {
      const architecture = driver.entry('architectures', model.use, `/models/${name}`);
      models[name] = await architecture.call('build', (entry) =>
        entry.build({ tf, options: model.options, name, data, seed: modelSeed(spec.training.seed, index), log }),
      );
      if (!models[name] || typeof (models[name] as { predict?: unknown }).predict !== 'function') {
        throw contractError({ ...architecture.site, hook: 'build' }, `did not return a tf LayersModel for model "${name}".`, `/models/${name}`);
      }
      if (model.init !== undefined) {
        const path = isAbsolute(model.init) ? model.init : storage.resolve(specDir, model.init);
        await initFromTrained(tf, storage, models[name], name, path, model.init);
        log.info(`Model "${name}" starts from the trained weights in ${model.init}.`);
      }
    }

    const losses: Record<string, ResolvedLoss> = {};
    for (const [role, loss] of Object.entries(spec.losses)) {
      const entry = driver.entry('losses', loss.use, `/losses/${role}`);
      const fn = entry.call('build', (definition) => definition.build({ tf, options: loss.options }));
      losses[role] = { kind: entry.definition.kind, use: loss.use, weight: loss.weight ?? 1, fn } as ResolvedLoss;
    }

    const augments: BuiltAugment[] = spec.augment.map((augment, i) => {
      const entry = driver.entry('augmentations', augment.use, `/augment/${i}`);
      const fn = entry.call('build', (definition) => definition.build({ tf, options: augment.options }));
      if (typeof fn !== 'function') throw contractError({ ...entry.site, hook: 'build' }, 'did not return an augment function (images, random) => images.', `/augment/${i}`);
      const adaptive = fn.observe || fn.values || fn.state ? fn : undefined;
      // A "data" augmentation changes a batch's images but not their pairs, which would no longer match.
      const paired = (augment.at ?? 'data') === 'data' ? Object.keys(streams).filter((s) => streams[s]!.info.pair && (!augment.streams || augment.streams.includes(s))) : [];
      if (paired.length > 0) {
        throw new GanforgeError('GF_SPEC_CONFLICT', `Augmentation ${augment.use} would change the images of stream "${paired[0]}" as they are drawn, but not their paired images, which would then no longer match them.`, {
          pointer: `/augment/${i}`,
          hint: `Leave "${paired[0]}" out of its "streams", or apply it at one of the objective's augmentation points ("at").`,
        });
      }
      return { fn, use: augment.use, adaptive, at: augment.at ?? 'data', streams: augment.streams, site: { ...entry.site, hook: 'augment' } };
    });

    const objective = driver.entry('objectives', spec.objective.use, '/objective');
    const objectiveSite = objective.site;
    for (const [name, needs] of Object.entries(objective.definition.data)) {
      if (needs.labels === 'required' && data[name] && data[name].numClasses === undefined) {
        throw new GanforgeError('GF_DATA', `Objective ${spec.objective.use} needs class labels in data stream "${name}", but ${spec.data[name]!.use} provides none.`, {
          pointer: `/data/${name}`,
          hint: 'Use a labelled dataset (for an image folder: one sub-folder per class), or an unconditional objective.',
        });
      }
    }
    const program = await objective.call('setup', (entry) => entry.setup({ tf, options: spec.objective.options, models, losses, data, log }));
    checkProgram(program, spec, objectiveSite);
    const artifacts = bindArtifacts(objective.definition.artifacts ?? {}, models, objectiveSite);
    const augmentPoints = Object.keys(objective.definition.augmentPoints ?? {});
    return { streams, data, models, losses, augments, program, objectiveSite, artifacts, augmentPoints };
  } catch (error) {
    await Promise.all(Object.values(streams).map((s) => s.close()));
    throw error;
  }
}

/** Each declared artifact's models, which the spec must define (a model the objective marks optional may be absent: the artifact is then left out). */
function bindArtifacts(declared: Record<string, ArtifactDeclaration>, models: Record<string, LayersModel>, site: Omit<HookSite, 'hook'>): Record<string, BuiltArtifact> {
  const artifacts: Record<string, BuiltArtifact> = {};
  for (const [name, declaration] of Object.entries(declared)) {
    if (!Array.isArray(declaration.models) || declaration.models.length === 0) {
      throw contractError({ ...site, hook: `artifacts.${name}` }, `declares artifact "${name}" with no models.`, '/objective');
    }
    if (declaration.models.some((model) => !models[model])) continue;
    artifacts[name] = { ...declaration, name, modelsBuilt: declaration.models.map((model) => models[model]!) };
  }
  return artifacts;
}

/** The objective's program must only use optimizer groups the spec resolved. */
function checkProgram(program: ObjectiveProgram, spec: ResolvedSpec, site: Omit<HookSite, 'hook'>): void {
  const problem = (message: string): never => {
    throw contractError({ ...site, hook: 'setup' }, message, '/objective');
  };
  if (!program || !Array.isArray(program.phases) || program.phases.length === 0) problem('returned no phases.');
  for (const phase of program.phases) {
    if (!Object.hasOwn(spec.training.optimizers, phase.optimizer)) {
      problem(`returned phase "${phase.name}" for optimizer group "${phase.optimizer}", which the spec does not define (groups: ${Object.keys(spec.training.optimizers).join(', ')}).`);
    }
    if (phase.repeat !== undefined && (!Number.isInteger(phase.repeat) || phase.repeat < 1)) problem(`returned phase "${phase.name}" with repeat ${phase.repeat}; it must be a positive integer.`);
  }
}
