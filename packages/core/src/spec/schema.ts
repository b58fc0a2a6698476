/**
 * The spec language: one JSON Schema (draft-07) authored here `as const`, so that TypeScript types come
 * from the same source (spec/types.ts) and the emitted `schema/spec.schema.json` cannot drift from it
 * (a snapshot test compares the two).
 *
 * Sections hold *references* to plugin entries ({ "use": "<namespace>/<entry>", "options": {...} }).
 * The core only checks their shape; each entry validates its own options in the second phase.
 * Defaults that depend on the objective (optimizer hyper-parameters, loss choices) are deliberately not
 * schema defaults: they are merged in during resolution, so an objective's defaults can apply.
 */

/** "<namespace>/<entry>", e.g. "dcgan/generator". */
export const ENTRY_ID_PATTERN = '^[a-z0-9][a-z0-9-]*/[a-zA-Z0-9][a-zA-Z0-9._-]*$';
/** Names the spec gives to models, data streams, optimizer groups, loss roles. */
export const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';

const use = {
  type: 'string',
  pattern: ENTRY_ID_PATTERN,
  description: 'Plugin entry to use, as "<namespace>/<entry>" (the namespace is the plugin\'s meta.namespace).',
} as const;

const options = {
  type: 'object',
  description: "Options for the entry, validated against the entry's own options schema.",
  default: {},
} as const;

const entryRef = {
  type: 'object',
  properties: { use, options },
  required: ['use'],
  additionalProperties: false,
} as const;

const positiveInt = (maximum: number, description: string) =>
  ({ type: 'integer', minimum: 1, maximum, description }) as const;

export const datasetSchema = {
  type: 'object',
  description: 'A data stream: a dataset entry plus how the engine batches it.',
  properties: {
    use,
    options,
    shuffle: { type: 'boolean', default: true, description: 'Reshuffle every epoch (seeded by training.seed).' },
    validationSplit: {
      type: 'number',
      minimum: 0,
      maximum: 0.5,
      default: 0,
      description: 'Share of examples held out for evaluation and best-checkpoint selection (never the test split).',
    },
    scale: {
      enum: ['tanh', 'unit', 'none'],
      default: 'tanh',
      description: 'Pixel scaling: "tanh" maps to [-1, 1] (default, pairs with a tanh generator), "unit" to [0, 1].',
    },
  },
  required: ['use'],
  additionalProperties: false,
} as const;

export const modelSchema = {
  type: 'object',
  description: 'A network built by an architecture entry.',
  properties: {
    use,
    options,
    init: {
      type: 'string',
      minLength: 1,
      description: 'Start from trained weights instead of random ones: a finished run\'s folder (its exported model of the same name), an artifact folder, or a model.json, relative to the spec file. The architecture must match it weight for weight.',
    },
  },
  required: ['use'],
  additionalProperties: false,
} as const;

export const lossSchema = {
  type: 'object',
  description: 'A loss entry filling one of the objective\'s loss roles.',
  properties: {
    use,
    options,
    weight: { type: 'number', minimum: 0, maximum: 1e6, default: 1, description: 'Multiplier of this loss term.' },
  },
  required: ['use'],
  additionalProperties: false,
} as const;

export const augmentSchema = {
  type: 'object',
  properties: {
    use,
    options,
    at: {
      type: 'string',
      pattern: NAME_PATTERN,
      default: 'data',
      description:
        '"data": applied to batches as they are loaded. Otherwise an augmentation point the objective declares, e.g. "discriminator" for DCGAN: applied (differentiably) to every discriminator input, real and fake (DiffAugment/ADA style).',
    },
    streams: {
      type: 'array',
      items: { type: 'string', pattern: NAME_PATTERN },
      uniqueItems: true,
      description: 'Data streams this applies to (default: all).',
    },
  },
  required: ['use'],
  additionalProperties: false,
} as const;

export const headSchema = {
  type: 'object',
  description: 'An inference head: a plugin entry that turns the trained models into one score per image, exported as <run>/<name>/.',
  properties: {
    use,
    options,
    threshold: {
      type: 'object',
      description: 'The decision threshold saved with the head (`ganforge score` flags images above it): a quantile of its scores on held-out images, which are taken as normal.',
      properties: {
        quantile: { type: 'number', minimum: 0.5, maximum: 1, default: 0.95, description: 'Share of held-out images scored at or below the threshold (0.95: about 5 % false alarms on normal images).' },
        stream: { type: 'string', pattern: NAME_PATTERN, description: 'Data stream whose held-out images set it (default: the first stream with a validationSplit).' },
      },
      additionalProperties: false,
      default: {},
    },
  },
  required: ['use'],
  additionalProperties: false,
} as const;

export const scheduleSchema = {
  type: 'object',
  description: 'Learning-rate schedule: a multiplier of lr over training.',
  properties: {
    type: { enum: ['constant', 'linear', 'cosine'], default: 'constant' },
    warmupSteps: { type: 'integer', minimum: 0, maximum: 1e9, default: 0, description: 'Linear warm-up from 0 to lr.' },
    decayStart: {
      type: 'integer',
      minimum: 0,
      maximum: 1e9,
      default: 0,
      description: 'Step at which linear/cosine decay begins (CycleGAN decays over the second half).',
    },
    minFactor: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Final lr as a fraction of lr.' },
  },
  additionalProperties: false,
} as const;

export const optimizerSchema = {
  type: 'object',
  description: 'Optimizer of one group of models. Unset fields take the objective\'s defaults (e.g. Adam 2e-4, beta1 0.5 for DCGAN).',
  properties: {
    type: { enum: ['adam', 'rmsprop', 'sgd'] },
    lr: { type: 'number', exclusiveMinimum: 0, maximum: 10, description: 'Learning rate.' },
    beta1: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Adam beta1.' },
    beta2: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Adam beta2.' },
    epsilon: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'SGD / RMSprop momentum.' },
    rho: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'RMSprop decay.' },
    centered: { type: 'boolean', description: 'Centered RMSprop.' },
    weightDecay: { type: 'number', minimum: 0, maximum: 1, description: 'Decoupled weight decay (AdamW-style) per step.' },
    clipNorm: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, description: 'Clip the global gradient norm of the group.' },
    clipValue: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, description: 'Clip every gradient element to [-v, v].' },
    schedule: scheduleSchema,
    models: {
      type: 'array',
      items: { type: 'string', pattern: NAME_PATTERN },
      minItems: 1,
      uniqueItems: true,
      description: 'Models whose variables this optimizer updates (default: as the objective declares).',
    },
  },
  additionalProperties: false,
} as const;

export const trainingSchema = {
  type: 'object',
  properties: {
    batchSize: positiveInt(65_536, 'Examples per batch.'),
    steps: positiveInt(1e9, 'Training steps (one step runs every phase of the objective once).'),
    epochs: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, description: 'Alternative to steps: passes over the training data.' },
    seed: { type: 'integer', minimum: 0, maximum: 2_147_483_647, default: 0, description: 'Seeds weights, noise and data order.' },
    backend: {
      enum: ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'],
      default: 'auto',
      description: '"auto" tries tensorflow-gpu, tensorflow (tfjs-node), then in a browser webgpu and webgl, then wasm, then cpu.',
    },
    optimizers: {
      type: 'object',
      description: 'Optimizer per group the objective declares (e.g. "generator", "discriminator").',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: optimizerSchema,
      default: {},
    },
    ema: {
      type: 'object',
      description: 'Exponential moving average of a model\'s weights, used for samples and export.',
      properties: {
        model: { type: 'string', pattern: NAME_PATTERN, description: 'Default: the model the objective declares (its generator).' },
        decay: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.999 },
        startStep: { type: 'integer', minimum: 0, maximum: 1e9, default: 0 },
      },
      additionalProperties: false,
    },
    prefetch: { type: 'integer', minimum: 0, maximum: 64, default: 2, description: 'Batches prepared ahead of the step.' },
  },
  required: ['batchSize'],
  additionalProperties: false,
} as const;

export const evaluationSchema = {
  type: 'object',
  properties: {
    every: positiveInt(1e9, 'Evaluate every K steps (and at the end).'),
    samples: { type: 'integer', minimum: 10, maximum: 1_000_000, default: 2000, description: 'Generated and real images per evaluation.' },
    metrics: {
      type: 'object',
      description: 'Metrics by name, e.g. { "fid": { "use": "eval/fid" } }.',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: entryRef,
      default: {},
    },
    keepBest: {
      type: 'object',
      description: 'Keep the checkpoint that scores best on the validation split.',
      properties: {
        metric: { type: 'string', description: 'A metric name, or "name.key" for one of its values.' },
        mode: { enum: ['min', 'max'], description: 'Default: the metric\'s own direction.' },
      },
      required: ['metric'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const outputSchema = {
  type: 'object',
  properties: {
    dir: {
      type: 'string',
      minLength: 1,
      description: 'Run folder, relative to the working directory. Tokens: {name}, {timestamp}. Default runs/{name}-{timestamp}.',
    },
    logEvery: positiveInt(1e9, 'Log a metrics line every N steps.'),
    sampleEvery: positiveInt(1e9, 'Write a sample grid every N steps.'),
    sampleCount: positiveInt(1024, 'Images in a sample grid.'),
    checkpointEvery: positiveInt(1e9, 'Write a checkpoint every N steps.'),
    keepCheckpoints: positiveInt(1000, 'How many recent checkpoints to keep.'),
    tensorboard: { type: 'boolean', default: false, description: 'Write TensorBoard scalars (needs @tensorflow/tfjs-node).' },
    export: { type: 'boolean', default: true, description: 'Export the final generator as a tfjs LayersModel.' },
  },
  additionalProperties: false,
} as const;

export const specSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'ganforge spec',
  description: 'A GAN training run: data, models, objective, losses and training settings, each naming plugin entries.',
  type: 'object',
  properties: {
    $schema: { type: 'string', description: 'Path or URL of this schema, for editor completion.' },
    name: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9._-]*$',
      maxLength: 100,
      description: 'Run name (lower case, digits, ".", "_", "-"); names the run folder.',
    },
    description: { type: 'string', maxLength: 10_000 },
    plugins: {
      type: 'array',
      description:
        'Plugin packages, resolved from the spec\'s folder: "dcgan" means @ganforge/plugin-dcgan or ganforge-plugin-dcgan, "@acme/x" means @acme/ganforge-plugin-x; "./path" loads a local file.',
      items: { type: 'string', minLength: 1, maxLength: 500 },
      uniqueItems: true,
      maxItems: 100,
      default: [],
    },
    data: {
      type: 'object',
      description: 'Data streams by name (e.g. "real"; CycleGAN uses "a" and "b"), each a dataset entry.',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: datasetSchema,
      minProperties: 1,
    },
    models: {
      type: 'object',
      description: 'Networks by name (e.g. "generator", "discriminator"), each built by an architecture entry.',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: modelSchema,
      minProperties: 1,
    },
    objective: {
      ...entryRef,
      description: 'The GAN variant / training recipe: which phases run each step, on which models, with which losses.',
    },
    losses: {
      type: 'object',
      description: 'Loss entries for the objective\'s loss roles (e.g. "adversarial", "cycle"); unset roles take the objective\'s default.',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: lossSchema,
      default: {},
    },
    augment: {
      type: 'array',
      description: 'Augmentations, applied in order.',
      items: augmentSchema,
      default: [],
    },
    heads: {
      type: 'object',
      description: 'Inference heads by name, e.g. an anomaly score built on the trained models.',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: headSchema,
      default: {},
    },
    training: trainingSchema,
    evaluation: evaluationSchema,
    output: { ...outputSchema, default: {} },
  },
  required: ['name', 'data', 'models', 'objective', 'training'],
  additionalProperties: false,
} as const;
