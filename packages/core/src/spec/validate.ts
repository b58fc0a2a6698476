/**
 * Validating a spec, in the order a reader would check it:
 *   1. the core shape (one compiled schema),
 *   2. plugins: resolve, import, register,
 *   3. every entry reference: does the entry exist, and are its options valid (each entry's own schema),
 *   4. cross-references: what the objective needs is defined; names used point at things that exist,
 * then the resolved spec is assembled (objective defaults merged in) and frozen.
 * Every problem found in a phase is reported together, each located in the file.
 */
import { GanforgeError, isGanforgeError, type Diagnostic } from '../errors.js';
import { defaultHost } from '../host/default.js';
import { dirnameOf } from '../host/paths.js';
import type { Host } from '../host/types.js';
import type { PluginRegistry } from '../plugin/registry.js';
import type { EntryKind, GanforgePlugin, ObjectiveDefinition, OptimizerDefaults } from '../plugin/types.js';
import { validateCoreShape, validateEntryOptions } from './ajv.js';
import { didYouMean, quoteList } from './did-you-mean.js';
import { diagnosticsFromAjv, escapePointerSegment } from './diagnostics.js';
import { parseSpecText, readSpecFile, type SpecSource } from './parse.js';
import type { EntryRef, LossSpec, ResolvedOptimizer, ResolvedSpec, Spec } from './types.js';

export interface ValidateOptions {
  /** Plugin objects to use besides the packages the spec names (for programs embedding ganforge). */
  plugins?: GanforgePlugin[];
  /** Where packages are looked up after the spec's folder, and relative spec paths resolve. Default: the host's cwd. */
  cwd?: string;
  /**
   * Reads the spec file and loads the plugins it names. Default: the registered default host (Node's, once
   * @ganforge/core or node/index.ts is imported); a browser app passes its own.
   */
  host?: Pick<Host, 'cwd' | 'storage' | 'plugins'>;
}

export interface ValidatedSpec {
  spec: ResolvedSpec;
  registry: PluginRegistry;
  /** Absolute path of the spec file, when it came from one. */
  file?: string;
  /** Folder relative paths in the spec resolve against. */
  specDir: string;
  source: SpecSource;
}

export async function validateSpecFile(file: string, options: ValidateOptions = {}): Promise<ValidatedSpec> {
  const host = options.host ?? defaultHost(options.cwd);
  const cwd = options.cwd ?? host.cwd;
  return locateErrors(() => readSpecFile(host.storage, file, cwd), (source) => validateSource(source, { ...options, host, cwd }));
}

/** Validate a spec given as text (with an optional file name for messages) or as a plain object. */
export async function validateSpec(input: object | { text: string; file?: string }, options: ValidateOptions = {}): Promise<ValidatedSpec> {
  const host = options.host ?? defaultHost(options.cwd);
  const cwd = options.cwd ?? host.cwd;
  const load = (): SpecSource =>
    'text' in input && typeof input.text === 'string'
      ? parseSpecText(input.text, (input as { file?: string }).file)
      : // An object has no text the caller ever saw: its problems carry JSON pointers, not line numbers.
        { ...parseSpecText(JSON.stringify(input)), locate: () => undefined };
  return locateErrors(load, (source) => validateSource(source, { ...options, host, cwd }));
}

/** Load a spec and run `work` on it; every diagnostic of a GanforgeError it throws gets its file:line:col. */
export async function locateErrors<T>(load: () => SpecSource | Promise<SpecSource>, work: (source: SpecSource) => Promise<T>): Promise<T> {
  const source = await load();
  try {
    return await work(source);
  } catch (error) {
    if (!isGanforgeError(error)) throw error;
    const diagnostics = error.diagnostics.map((d) => locate(d, source));
    const first = diagnostics[0];
    throw new GanforgeError(error.code, error.message, { ...first, diagnostics, plugin: error.plugin, hook: error.hook, cause: error.cause });
  }
}

function locate(diagnostic: Diagnostic, source: SpecSource): Diagnostic {
  if (diagnostic.pointer === undefined || diagnostic.line !== undefined) return { file: source.file, ...diagnostic };
  const target = diagnostic.code === 'GF_SPEC_UNKNOWN_KEY' ? 'key' : 'value';
  return { ...diagnostic, file: source.file, ...source.locate(diagnostic.pointer, target) };
}

function fail(diagnostics: Diagnostic[]): never {
  const first = diagnostics[0]!;
  const summary = diagnostics.length === 1 ? first.message : `${diagnostics.length} problems in the spec; the first: ${first.message}`;
  throw new GanforgeError(first.code, summary, { ...first, diagnostics });
}

async function validateSource(source: SpecSource, options: Required<Pick<ValidateOptions, 'cwd' | 'host'>> & ValidateOptions): Promise<ValidatedSpec> {
  // Ajv applies defaults in place: work on a copy so the caller's object stays as written.
  const value = structuredClone(source.value);

  // 1. core shape
  const shapeProblems = diagnosticsFromAjv(validateCoreShape(value));
  if (shapeProblems.length > 0) fail(shapeProblems);
  const spec = value as unknown as Spec;

  // 2. plugins (each failure is one located error)
  const specDir = source.file ? dirnameOf(source.file) : options.cwd;
  const registry = await options.host.plugins.load(spec.plugins, { specDir, cwd: options.cwd, specFile: source.file, extra: options.plugins });

  // 3. entries and their options
  const problems: Diagnostic[] = [];
  const check = (kind: EntryKind, ref: EntryRef, pointer: string) => checkEntry(registry, kind, ref, pointer, problems);
  for (const [name, ref] of Object.entries(spec.data)) check('datasets', ref, `/data/${escapePointerSegment(name)}`);
  for (const [name, ref] of Object.entries(spec.models)) check('architectures', ref, `/models/${escapePointerSegment(name)}`);
  const objective = check('objectives', spec.objective, '/objective') as ObjectiveDefinition | undefined;
  for (const [role, ref] of Object.entries(spec.losses)) check('losses', ref, `/losses/${escapePointerSegment(role)}`);
  spec.augment.forEach((ref, index) => check('augmentations', ref, `/augment/${index}`));
  for (const [name, ref] of Object.entries(spec.heads)) check('heads', ref, `/heads/${escapePointerSegment(name)}`);
  for (const [name, ref] of Object.entries(spec.evaluation?.metrics ?? {})) check('metrics', ref as EntryRef, `/evaluation/metrics/${escapePointerSegment(name)}`);
  if (problems.length > 0) fail(problems);

  // 4. cross-references
  const resolved = resolveAgainstObjective(spec, objective!, registry, problems);
  checkNames(spec, problems);
  if (problems.length > 0) fail(problems);

  return { spec: deepFreeze(resolved), registry, file: source.file, specDir, source };
}

/** Look an entry up and validate its options; returns the definition, or records problems. */
function checkEntry(registry: PluginRegistry, kind: EntryKind, ref: EntryRef, pointer: string, problems: Diagnostic[]): unknown {
  let found;
  try {
    found = registry.resolve(kind, ref.use, `${pointer}/use`);
  } catch (error) {
    if (!isGanforgeError(error)) throw error;
    problems.push(...error.diagnostics);
    return undefined;
  }
  const errors = validateEntryOptions(found.entry, ref.options, { plugin: found.plugin.meta.name, id: ref.use, pointer });
  problems.push(
    ...diagnosticsFromAjv(errors, `${pointer}/options`).map((d) => ({
      ...d,
      hint: d.hint ?? `See the options of ${ref.use} with \`ganforge plugins <spec>\`.`,
    })),
  );
  return found.entry;
}

const CORE_OPTIMIZER_DEFAULTS: Required<OptimizerDefaults> = {
  type: 'adam',
  lr: 2e-4,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  momentum: 0,
  rho: 0.9,
  centered: false,
  weightDecay: 0,
};

/** Check the spec provides what the objective declares, and merge the objective's defaults in. */
function resolveAgainstObjective(spec: Spec, objective: ObjectiveDefinition, registry: PluginRegistry, problems: Diagnostic[]): ResolvedSpec {
  const id = spec.objective.use;
  const modelNames = Object.keys(spec.models);
  for (const [name, need] of Object.entries(objective.models)) {
    if (!need.optional && !Object.hasOwn(spec.models, name)) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `The objective ${id} needs a model named "${name}" (${need.description}), but "models" has none.${didYouMean(name, modelNames)}`,
        pointer: '/models',
        hint: `Add "models": { "${name}": { "use": "<namespace>/<architecture>" } }.`,
      });
    }
  }
  const streams = Object.keys(spec.data);
  for (const [name, need] of Object.entries(objective.data)) {
    if (!Object.hasOwn(spec.data, name)) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `The objective ${id} needs a data stream named "${name}" (${need.description}), but "data" has none.${didYouMean(name, streams)}`,
        pointer: '/data',
      });
    }
  }

  // losses: every role the spec sets must exist and be of the role's kind; unset roles take the default
  const roles = objective.losses ?? {};
  const losses: Record<string, LossSpec> = {};
  for (const [role, ref] of Object.entries(spec.losses)) {
    const pointer = `/losses/${escapePointerSegment(role)}`;
    const declared = roles[role];
    if (!declared) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `The objective ${id} has no loss role "${role}".${didYouMean(role, Object.keys(roles))}`,
        pointer,
        hint: Object.keys(roles).length > 0 ? `Its loss roles: ${quoteList(Object.keys(roles))}.` : `${id} takes no losses.`,
      });
      continue;
    }
    const entry = registry.resolve('losses', ref.use);
    if (entry.entry.kind !== declared.kind) {
      problems.push({
        code: 'GF_ENTRY_KIND',
        message: `Loss role "${role}" needs ${declared.kind === 'adversarial' ? 'an adversarial' : 'a pairwise'} loss, but ${ref.use} is ${entry.entry.kind}.`,
        pointer: `${pointer}/use`,
      });
    }
    losses[role] = ref;
  }
  for (const [role, declared] of Object.entries(roles)) {
    if (losses[role] || spec.losses[role]) continue;
    const ref = { use: declared.default.use, options: structuredClone(declared.default.options ?? {}), weight: declared.default.weight ?? 1 };
    checkEntry(registry, 'losses', ref, `/objective/use`, problems);
    losses[role] = ref;
  }

  // optimizers: core defaults < objective defaults < spec
  const groups = objective.optimizers;
  const optimizers: Record<string, ResolvedOptimizer> = {};
  for (const name of Object.keys(spec.training.optimizers ?? {})) {
    if (!Object.hasOwn(groups, name)) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `The objective ${id} has no optimizer group "${name}".${didYouMean(name, Object.keys(groups))}`,
        pointer: `/training/optimizers/${escapePointerSegment(name)}`,
        hint: `Its optimizer groups: ${quoteList(Object.keys(groups))}.`,
      });
    }
  }
  for (const [name, group] of Object.entries(groups)) {
    const pointer = `/training/optimizers/${escapePointerSegment(name)}`;
    const written = spec.training.optimizers?.[name] ?? {};
    const merged = { ...CORE_OPTIMIZER_DEFAULTS, ...group.defaults, ...written };
    const models = written.models ?? group.models;
    for (const model of models) {
      // A model the objective requires and the spec lacks was reported above; say it once.
      const reported = objective.models[model] !== undefined;
      if (!Object.hasOwn(spec.models, model) && !reported) {
        problems.push({
          code: 'GF_SPEC_REFERENCE',
          message: `Optimizer group "${name}" updates model "${model}", which "models" does not define.${didYouMean(model, modelNames)}`,
          pointer: written.models ? `${pointer}/models` : '/models',
        });
      }
    }
    optimizers[name] = {
      ...merged,
      schedule: { type: 'constant', warmupSteps: 0, decayStart: 0, minFactor: 0, ...written.schedule },
      models: models.filter((model) => Object.hasOwn(spec.models, model)),
    };
  }

  // EMA: the model the spec names, else the one the objective declares.
  let ema = spec.training.ema;
  if (ema) {
    const model = ema.model ?? objective.ema;
    if (model === undefined) {
      problems.push({
        code: 'GF_SPEC_MISSING_KEY',
        message: `training.ema needs "model": the objective ${id} declares no model to average.`,
        pointer: '/training/ema',
        hint: `Name one of ${quoteList(modelNames)}.`,
      });
    } else if (!Object.hasOwn(spec.models, model)) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `training.ema.model "${model}" is not a model of this spec.${didYouMean(model, modelNames)}`,
        pointer: ema.model === undefined ? '/training/ema' : '/training/ema/model',
      });
    }
    ema = { ...ema, model };
  }

  // Augmentations apply to batches as drawn ("data") or at a point the objective declares.
  const points = ['data', ...Object.keys(objective.augmentPoints ?? {})];
  spec.augment.forEach((augment, index) => {
    const at = augment.at ?? 'data';
    if (!points.includes(at)) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `augment[${index}] is placed at "${at}", which is not an augmentation point of ${id}.${didYouMean(at, points)}`,
        pointer: `/augment/${index}/at`,
        hint: `Points: ${quoteList(points)}.`,
      });
    }
  });

  return {
    ...spec,
    losses,
    training: {
      ...spec.training,
      ...(ema ? { ema } : {}),
      seed: spec.training.seed ?? 0,
      backend: spec.training.backend ?? 'auto',
      prefetch: spec.training.prefetch ?? 2,
      optimizers,
    },
  };
}

/** Settings that must agree with each other or name things the spec defines. */
function checkNames(spec: Spec, problems: Diagnostic[]): void {
  const { training } = spec;
  if (training.steps !== undefined && training.epochs !== undefined) {
    problems.push({
      code: 'GF_SPEC_CONFLICT',
      message: 'training sets both "steps" and "epochs"; set one.',
      pointer: '/training/epochs',
      hint: 'steps counts optimizer steps; epochs counts passes over the data.',
    });
  } else if (training.steps === undefined && training.epochs === undefined) {
    problems.push({
      code: 'GF_SPEC_MISSING_KEY',
      message: 'training needs "steps" (e.g. 2000) or "epochs" (e.g. 5).',
      pointer: '/training',
    });
  }
  const streams = Object.keys(spec.data);
  spec.augment.forEach((augment, index) => {
    (augment.streams ?? []).forEach((stream, i) => {
      if (!Object.hasOwn(spec.data, stream)) {
        problems.push({
          code: 'GF_SPEC_REFERENCE',
          message: `augment[${index}] applies to data stream "${stream}", which "data" does not define.${didYouMean(stream, streams)}`,
          pointer: `/augment/${index}/streams/${i}`,
        });
      }
    });
  });
  for (const [name, head] of Object.entries(spec.heads)) {
    const stream = head.threshold?.stream;
    if (stream !== undefined && !Object.hasOwn(spec.data, stream)) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `heads.${name}.threshold.stream "${stream}" names no data stream.${didYouMean(stream, streams)}`,
        pointer: `/heads/${escapePointerSegment(name)}/threshold/stream`,
      });
    }
  }
  const keepBest = spec.evaluation?.keepBest;
  if (keepBest) {
    const metricName = keepBest.metric.split('.')[0] ?? '';
    const metrics = Object.keys(spec.evaluation?.metrics ?? {});
    if (!metrics.includes(metricName)) {
      problems.push({
        code: 'GF_SPEC_REFERENCE',
        message: `evaluation.keepBest.metric "${keepBest.metric}" names no metric of evaluation.metrics.${didYouMean(metricName, metrics)}`,
        pointer: '/evaluation/keepBest/metric',
      });
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
