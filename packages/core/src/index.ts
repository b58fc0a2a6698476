/**
 * @ganforge/core public API. Plugin authors need only the define* helpers and the types; embedders use
 * validate/train/sample.
 */
export * from './plugin/types.js';
export * from './plugin/define.js';
export { PluginRegistry, type RegisteredPlugin, type PluginOrigin, type ResolvedEntry } from './plugin/registry.js';
export { GanforgeError, isGanforgeError, ERROR_CODES, NOT_THE_USERS, exitCodeOf, type ErrorCode, type Diagnostic } from './errors.js';
export { validateSpec, validateSpecFile, type ValidateOptions, type ValidatedSpec } from './spec/validate.js';
export { specSchema } from './spec/schema.js';
export type * from './spec/types.js';
export { CORE_VERSION } from './version.js';
export { train, type TrainOptions } from './api/train.js';
export { loadArtifact, loadGenerator, type LoadedArtifact, type LoadArtifactOptions, type LoadedGenerator, type LoadGeneratorOptions, type SampleOptions } from './api/load-artifact.js';
export { loadTranslator, type LoadedTranslator } from './api/load-translator.js';
export { loadHead, type LoadedHead } from './api/load-head.js';
export { loadUpscaler, type LoadedUpscaler, type LoadUpscalerOptions, type UpscaleOptions } from './api/load-upscaler.js';
export { applyTiled, receptiveRadius, type TileOptions } from './api/tiles.js';
export { runTraining, type RunTrainingOptions, type TrainResult, type StepEvent, type SampleEvent, type RunStartEvent } from './engine/run-training.js';
export type { RunListener, RunHandle, RunEvents, RunEventName, CheckpointEvent, EvaluateEvent, RunEndEvent } from './engine/lifecycle.js';
export type { ArtifactInfo, HeadThreshold } from './run/export.js';
export type { ImageBatch } from './run/png.js';
export { nodeHost, type NodeHostOptions } from './node/index.js';
export type { Host, Storage, Clock, PluginLoader, PluginLoadOptions, BackendProvider } from './host/types.js';
export { openImageSet, type OpenImageSetOptions, type ImageSetOptions, type ImageFile } from './data/image-set.js';
export { xorshift32 } from './engine/xorshift.js';
