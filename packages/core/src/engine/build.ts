/**
 * Turn a resolved spec into live objects: custom layers registered, datasets opened as data streams,
 * models built by their architecture entries, loss roles and augmentations built, and the objective set up.
 * Every call into plugin code names the plugin, entry and hook when it throws.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import { DataStream } from '../data/pipeline.js';
import type { PluginRegistry } from '../plugin/registry.js';
import type { Augment, DataInfo, EntryKind, Logger, ObjectiveProgram, ResolvedLoss, TF } from '../plugin/types.js';
import type { ResolvedSpec } from '../spec/types.js';
import { callHook, type HookSite } from './plugin-hook.js';
import { mixSeed, RANDOM_STREAM } from './random.js';

export interface BuiltAugment {
  fn: Augment;
  at: 'data' | 'discriminator';
  /** Streams it applies to; undefined means all. */
  streams?: string[];
  site: HookSite;
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
  /** Name of the model that samples and is exported. */
  sampleModel: string;
}

export interface BuildOptions {
  tf: TF;
  spec: ResolvedSpec;
  registry: PluginRegistry;
  specDir: string;
  log: Logger;
}

/** Plugins' custom layers must be known to tf's serialization map before models are built or loaded. */
export function registerPluginLayers(tf: TF, registry: PluginRegistry): void {
  for (const { plugin } of registry.plugins) {
    if (!plugin.layers) continue;
    const classes = callHook({ plugin: plugin.meta.name, entry: `${plugin.meta.namespace} (layers)`, hook: 'layers' }, () => plugin.layers!(tf));
    for (const cls of classes) tf.serialization.registerClass(cls as unknown as Parameters<typeof tf.serialization.registerClass>[0]);
  }
}

/** Seed of a model's initializers: distinct per model, fixed by training.seed and the model's position in the spec. */
export function modelSeed(seed: number, index: number): number {
  return mixSeed(seed, RANDOM_STREAM.init, index) % 2_147_483_647;
}

export async function buildRun({ tf, spec, registry, specDir, log }: BuildOptions): Promise<BuiltRun> {
  registerPluginLayers(tf, registry);
  const site = <K extends EntryKind>(kind: K, use: string, pointer: string) => {
    const resolved = registry.resolve(kind, use, pointer);
    return { resolved, site: { plugin: resolved.plugin.meta.name, entry: use } };
  };

  const streams: Record<string, DataStream> = {};
  const data: Record<string, DataInfo> = {};
  try {
    for (const [name, stream] of Object.entries(spec.data)) {
      const { resolved, site: where } = site('datasets', stream.use, `/data/${name}`);
      const source = await callHook({ ...where, hook: 'open' }, () =>
        resolved.entry.open({ tf, options: stream.options, specDir, log }),
      );
      streams[name] = new DataStream({
        name,
        source,
        batchSize: spec.training.batchSize,
        seed: spec.training.seed,
        shuffle: stream.shuffle ?? true,
        scale: stream.scale ?? 'tanh',
        validationSplit: stream.validationSplit ?? 0,
        prefetch: spec.training.prefetch,
        site: { ...where, hook: 'read' },
      });
      data[name] = streams[name].info;
    }

    const models: Record<string, LayersModel> = {};
    for (const [index, [name, model]] of Object.entries(spec.models).entries()) {
      const { resolved, site: where } = site('architectures', model.use, `/models/${name}`);
      models[name] = await callHook({ ...where, hook: 'build' }, () =>
        resolved.entry.build({ tf, options: model.options, name, data, seed: modelSeed(spec.training.seed, index), log }),
      );
      if (!models[name] || typeof (models[name] as { predict?: unknown }).predict !== 'function') {
        throw new GanforgeError('GF_PLUGIN_HOOK', `[plugin ${where.plugin}] ${model.use} (hook "build") did not return a tf LayersModel for model "${name}".`, {
          plugin: where.plugin,
          hook: 'build',
          pointer: `/models/${name}`,
        });
      }
    }

    const losses: Record<string, ResolvedLoss> = {};
    for (const [role, loss] of Object.entries(spec.losses)) {
      const { resolved, site: where } = site('losses', loss.use, `/losses/${role}`);
      const definition = resolved.entry;
      const fn = callHook({ ...where, hook: 'build' }, () => definition.build({ tf, options: loss.options }));
      losses[role] = { kind: definition.kind, use: loss.use, weight: loss.weight ?? 1, fn } as ResolvedLoss;
    }

    const augments: BuiltAugment[] = spec.augment.map((augment, i) => {
      const { resolved, site: where } = site('augmentations', augment.use, `/augment/${i}`);
      const fn = callHook({ ...where, hook: 'build' }, () => resolved.entry.build({ tf, options: augment.options }));
      return { fn, at: augment.at ?? 'data', streams: augment.streams, site: { ...where, hook: 'augment' } };
    });

    const { resolved: objective, site: objectiveSite } = site('objectives', spec.objective.use, '/objective');
    for (const [name, needs] of Object.entries(objective.entry.data)) {
      if (needs.labels === 'required' && data[name] && data[name].numClasses === undefined) {
        throw new GanforgeError('GF_DATA', `Objective ${spec.objective.use} needs class labels in data stream "${name}", but ${spec.data[name]!.use} provides none.`, {
          pointer: `/data/${name}`,
          hint: 'Use a labelled dataset (for an image folder: one sub-folder per class), or an unconditional objective.',
        });
      }
    }
    const program = await callHook({ ...objectiveSite, hook: 'setup' }, () =>
      objective.entry.setup({ tf, options: spec.objective.options, models, losses, data, log }),
    );
    checkProgram(program, spec, objectiveSite);
    const sampleModel = program.sampleModel ?? 'generator';
    return { streams, data, models, losses, augments, program, objectiveSite, sampleModel };
  } catch (error) {
    await Promise.all(Object.values(streams).map((s) => s.close()));
    throw error;
  }
}

/** The objective's program must only use optimizer groups the spec resolved. */
function checkProgram(program: ObjectiveProgram, spec: ResolvedSpec, site: Omit<HookSite, 'hook'>): void {
  const problem = (message: string): never => {
    throw new GanforgeError('GF_PLUGIN_HOOK', `[plugin ${site.plugin}] ${site.entry} (hook "setup") ${message}`, {
      plugin: site.plugin,
      hook: 'setup',
      pointer: '/objective',
    });
  };
  if (!program || !Array.isArray(program.phases) || program.phases.length === 0) problem('returned no phases.');
  for (const phase of program.phases) {
    if (!Object.hasOwn(spec.training.optimizers, phase.optimizer)) {
      problem(`returned phase "${phase.name}" for optimizer group "${phase.optimizer}", which the spec does not define (groups: ${Object.keys(spec.training.optimizers).join(', ')}).`);
    }
    if (phase.repeat !== undefined && (!Number.isInteger(phase.repeat) || phase.repeat < 1)) problem(`returned phase "${phase.name}" with repeat ${phase.repeat}; it must be a positive integer.`);
  }
}
