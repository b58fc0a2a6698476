/**
 * Identity helpers that exist for type inference only (like Vite's defineConfig): each infers the options
 * type an entry receives from its options schema, written inline without `as const`.
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type {
  ArchitectureDefinition,
  AugmentationDefinition,
  DatasetDefinition,
  GanforgePlugin,
  HeadDefinition,
  LossDefinition,
  MetricDefinition,
  ObjectiveDefinition,
} from './types.js';

/** Omit that distributes over unions (plain Omit would merge the loss kinds). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An entry definition whose options schema is `S`. */
type WithSchema<D, S> = DistributiveOmit<D, 'optionsSchema'> & { optionsSchema: S };
/** An entry definition that takes no options. */
type WithoutSchema<D> = DistributiveOmit<D, 'optionsSchema'> & { optionsSchema?: undefined };
type NoOptions = Record<string, never>;

export function definePlugin<const P extends GanforgePlugin>(plugin: P): P {
  return plugin;
}

export function defineArchitecture<const S extends JSONSchema, O = FromSchema<S>>(
  definition: WithSchema<ArchitectureDefinition<O>, S>,
): ArchitectureDefinition<O>;
export function defineArchitecture(definition: WithoutSchema<ArchitectureDefinition<NoOptions>>): ArchitectureDefinition<NoOptions>;
export function defineArchitecture(definition: ArchitectureDefinition): ArchitectureDefinition {
  return definition;
}

export function defineObjective<const S extends JSONSchema, O = FromSchema<S>>(
  definition: WithSchema<ObjectiveDefinition<O>, S>,
): ObjectiveDefinition<O>;
export function defineObjective(definition: WithoutSchema<ObjectiveDefinition<NoOptions>>): ObjectiveDefinition<NoOptions>;
export function defineObjective(definition: ObjectiveDefinition): ObjectiveDefinition {
  return definition;
}

export function defineLoss<const S extends JSONSchema, O = FromSchema<S>>(definition: WithSchema<LossDefinition<O>, S>): LossDefinition<O>;
export function defineLoss(definition: WithoutSchema<LossDefinition<NoOptions>>): LossDefinition<NoOptions>;
export function defineLoss(definition: LossDefinition): LossDefinition {
  return definition;
}

export function defineDataset<const S extends JSONSchema, O = FromSchema<S>>(
  definition: WithSchema<DatasetDefinition<O>, S>,
): DatasetDefinition<O>;
export function defineDataset(definition: WithoutSchema<DatasetDefinition<NoOptions>>): DatasetDefinition<NoOptions>;
export function defineDataset(definition: DatasetDefinition): DatasetDefinition {
  return definition;
}

export function defineAugmentation<const S extends JSONSchema, O = FromSchema<S>>(
  definition: WithSchema<AugmentationDefinition<O>, S>,
): AugmentationDefinition<O>;
export function defineAugmentation(definition: WithoutSchema<AugmentationDefinition<NoOptions>>): AugmentationDefinition<NoOptions>;
export function defineAugmentation(definition: AugmentationDefinition): AugmentationDefinition {
  return definition;
}

export function defineHead<const S extends JSONSchema, O = FromSchema<S>>(definition: WithSchema<HeadDefinition<O>, S>): HeadDefinition<O>;
export function defineHead(definition: WithoutSchema<HeadDefinition<NoOptions>>): HeadDefinition<NoOptions>;
export function defineHead(definition: HeadDefinition): HeadDefinition {
  return definition;
}

export function defineMetric<const S extends JSONSchema, O = FromSchema<S>>(definition: WithSchema<MetricDefinition<O>, S>): MetricDefinition<O>;
export function defineMetric(definition: WithoutSchema<MetricDefinition<NoOptions>>): MetricDefinition<NoOptions>;
export function defineMetric(definition: MetricDefinition): MetricDefinition {
  return definition;
}
