/**
 * @ganforge/core/portable: the part of the core that runs on any JavaScript platform (a browser page, a
 * worker, Deno) — spec validation, the plugin registry, the training engine — talking to its platform only
 * through a Host (host/types.ts). Nothing here, directly or through its imports, may use a Node built-in
 * or `process`: portable.test.ts bundles this file for the browser and fails on any.
 * The Node entry (index.ts) adds nodeHost, the CLI and the file-system conveniences.
 */
export * from './plugin/types.js';
export * from './plugin/define.js';
export { PluginRegistry, type RegisteredPlugin, type PluginOrigin, type ResolvedEntry } from './plugin/registry.js';
export { staticPluginLoader } from './plugin/static-loader.js';
export { startRegistry, registerModule } from './plugin/build-registry.js';
export { candidatePackageNames } from './plugin/names.js';
export { GanforgeError, isGanforgeError, ERROR_CODES, NOT_THE_USERS, exitCodeOf, type ErrorCode, type Diagnostic } from './errors.js';
export { specSchema } from './spec/schema.js';
export type * from './spec/types.js';
export { validateSpec, validateSpecFile, type ValidateOptions, type ValidatedSpec } from './spec/validate.js';
export { parseSpecText, readSpecFile, MAX_SPEC_BYTES, type SpecSource, type Position } from './spec/parse.js';
export { CORE_VERSION } from './version.js';
export type { Host, Storage, Clock, PluginLoader, PluginLoadOptions, BackendProvider } from './host/types.js';
export { portableBackends, chooseBackend, wasmBackend, cpuBackend, type BackendLoader, type BackendLoaders } from './engine/choose-backend.js';
export type { BackendName, BackendRequest, BackendSelection, SelectBackendOptions } from './engine/choose-backend.js';
export { runTraining, type RunTrainingOptions, type TrainResult, type StepEvent, type SampleEvent, type RunStartEvent } from './engine/run-training.js';
export type { RunListener, RunHandle, RunEvents, RunEventName, CheckpointEvent, EvaluateEvent, RunEndEvent } from './engine/lifecycle.js';
export { openArtifact, locateArtifact, type LoadedArtifact, type OpenArtifactOptions, type SampleOptions } from './run/open-artifact.js';
export type { ArtifactInfo } from './run/export.js';
export { decodeImage, type DecodedImage } from './data/decode-image.js';
export { encodeGrid, encodeImage, type ImageBatch } from './run/png.js';
