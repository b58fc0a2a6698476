/**
 * Load what a trained run offers (Node): `loadArtifact(runDir, name)` opens one artifact of the run (a
 * generator, a translator, a scorer), `loadGenerator(runDir)` its noise → image artifact:
 *   const g = await loadGenerator('runs/mnist-20250131-142501');
 *   const images = g.sample(16);   // Tensor4D in the training scale; dispose it
 * Paths may also name an artifact folder or a model.json. Run folders written before artifacts existed
 * (a `generator/` folder in the "ganforge-generator" v1 format) load the same way.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import * as tf from '../engine/tf.js';
import type { Storage } from '../host/types.js';
import { nodeHost, selectBackend } from '../node/index.js';
import type { GanforgePlugin } from '../plugin/types.js';
import { locateArtifact, openArtifact, type LoadedArtifact, type SampleOptions } from '../run/open-artifact.js';
import type { ArtifactInfo } from '../run/export.js';
import type { ImageBatch } from '../run/png.js';
import type { BackendName } from '../spec/types.js';

export type { LoadedArtifact, SampleOptions };

export interface LoadArtifactOptions {
  /** Plugins whose custom layers the models use (registered before loading). */
  plugins?: GanforgePlugin[];
  /** Backend to run on; default "auto". */
  backend?: BackendName;
  /** Where relative paths resolve; default process.cwd(). */
  cwd?: string;
}

export type LoadGeneratorOptions = LoadArtifactOptions;

export interface LoadedGenerator {
  model: LayersModel;
  /** What the run recorded about the artifact (scale, classes, step), when present. */
  info?: ArtifactInfo;
  /** Whether the model takes class labels. */
  conditional: boolean;
  /** Draw n images as a tensor in the training scale (dispose it). */
  sample: LoadedArtifact['sample'];
  /** Draw n images into JavaScript memory, ready for PNG encoding. */
  images(n: number, options?: SampleOptions): Promise<ImageBatch>;
  dispose(): void;
}

function storageFor(cwd?: string): Storage {
  return nodeHost({ cwd }).storage;
}

/** The folder of a run's artifact (default: its noise → image one), an artifact folder, or a model.json's folder. */
export async function locateModel(path: string, name?: string, cwd?: string): Promise<string> {
  return (await locateArtifact(storageFor(cwd), path, name)).dir;
}

export async function loadArtifact(path: string, name?: string, options: LoadArtifactOptions = {}): Promise<LoadedArtifact> {
  await selectBackend(options.backend ?? 'auto');
  return openArtifact(tf, storageFor(options.cwd), path, name, { plugins: options.plugins });
}

/** The run's noise → image artifact (its generator). */
export async function loadGenerator(path: string, options: LoadGeneratorOptions = {}): Promise<LoadedGenerator> {
  const artifact = await loadArtifact(path, undefined, options);
  if (artifact.input !== 'noise' && artifact.input !== 'noise+label') {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', `${artifact.dir} holds artifact "${artifact.name}", which takes ${artifact.input}: it is not a generator.`, {
      hint: `Use loadArtifact(path, "${artifact.name}") and apply it to inputs.`,
    });
  }
  return {
    model: artifact.models[0]!,
    info: artifact.info,
    conditional: artifact.conditional,
    sample: artifact.sample,
    images: artifact.images,
    dispose: artifact.dispose,
  };
}
