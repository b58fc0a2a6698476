/**
 * `output` with its step-dependent defaults filled in: a metrics line about 100 times per run, a sample
 * grid and a checkpoint about 10 times per run, the last 3 checkpoints kept.
 */
import type { OutputSpec } from '../spec/types.js';

export interface OutputSettings {
  logEvery: number;
  sampleEvery: number;
  sampleCount: number;
  checkpointEvery: number;
  keepCheckpoints: number;
  tensorboard: boolean;
  export: boolean;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function outputSettings(output: OutputSpec | undefined, totalSteps: number): OutputSettings {
  return {
    logEvery: output?.logEvery ?? clamp(Math.floor(totalSteps / 100), 1, 1000),
    sampleEvery: output?.sampleEvery ?? clamp(Math.floor(totalSteps / 10), 1, 10_000),
    sampleCount: output?.sampleCount ?? 64,
    checkpointEvery: output?.checkpointEvery ?? clamp(Math.floor(totalSteps / 10), 1, 10_000),
    keepCheckpoints: output?.keepCheckpoints ?? 3,
    tensorboard: output?.tensorboard ?? false,
    export: output?.export ?? true,
  };
}
