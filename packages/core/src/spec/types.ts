/**
 * Spec types derived from the schema. Composed per section, so no single FromSchema instantiation gets deep
 * (json-schema-to-ts slows down sharply on large nested schemas).
 */
import type { FromSchema } from 'json-schema-to-ts';
import type {
  augmentSchema,
  datasetSchema,
  evaluationSchema,
  headSchema,
  lossSchema,
  modelSchema,
  optimizerSchema,
  outputSchema,
  scheduleSchema,
  trainingSchema,
} from './schema.js';

/** A reference to a plugin entry: `{ "use": "<namespace>/<entry>", "options": {...} }`. */
export interface EntryRef {
  use: string;
  options: Record<string, unknown>;
}

export type DatasetSpec = FromSchema<typeof datasetSchema> & EntryRef;
export type ModelSpec = FromSchema<typeof modelSchema> & EntryRef;
export type LossSpec = FromSchema<typeof lossSchema> & EntryRef;
export type AugmentSpec = FromSchema<typeof augmentSchema> & EntryRef;
export type HeadSpec = FromSchema<typeof headSchema> & EntryRef;
export type ScheduleSpec = FromSchema<typeof scheduleSchema>;
export type OptimizerSpec = FromSchema<typeof optimizerSchema>;
export type TrainingSpec = FromSchema<typeof trainingSchema>;
export type EvaluationSpec = FromSchema<typeof evaluationSchema>;
export type OutputSpec = FromSchema<typeof outputSchema>;
export type BackendName = NonNullable<TrainingSpec['backend']>;

/** A spec as written (after schema defaults are applied). */
export interface Spec {
  $schema?: string;
  name: string;
  description?: string;
  plugins: string[];
  data: Record<string, DatasetSpec>;
  models: Record<string, ModelSpec>;
  objective: EntryRef;
  losses: Record<string, LossSpec>;
  augment: AugmentSpec[];
  heads: Record<string, HeadSpec>;
  training: TrainingSpec;
  evaluation?: EvaluationSpec;
  output: OutputSpec;
}

/** An optimizer group with every default filled in (core < objective < spec). */
export interface ResolvedOptimizer {
  type: 'adam' | 'rmsprop' | 'sgd';
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  momentum: number;
  rho: number;
  centered: boolean;
  weightDecay: number;
  clipNorm?: number;
  clipValue?: number;
  schedule: Required<ScheduleSpec>;
  models: string[];
}

/**
 * What the engine runs: the spec after both validation phases, with every entry's options defaulted,
 * every loss role filled and every optimizer group complete. Plain data, frozen, and written to the run folder.
 */
export interface ResolvedSpec extends Omit<Spec, 'training' | 'losses'> {
  losses: Record<string, LossSpec>;
  training: Omit<TrainingSpec, 'optimizers'> & {
    seed: number;
    backend: BackendName;
    prefetch: number;
    optimizers: Record<string, ResolvedOptimizer>;
  };
}
