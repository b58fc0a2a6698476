/**
 * Exported artifacts: what a trained run offers, one folder per artifact the objective declares,
 * `<run>/<artifact>/`, listed in `<run>/artifacts.json`. A one-model artifact (a generator, a translator)
 * keeps its tfjs LayersModel as `model.json` + `weights.bin` right in its folder (the layout
 * `tf.loadLayersModel` reads over http in a browser); a chain of models keeps one subfolder per model.
 * `ganforge.json` says how to use it: input and output kinds, pixel scale, classes, plugins.
 * Run folders written before artifacts existed hold `generator/` with format "ganforge-generator" v1:
 * `readArtifactInfo` reads those as the noise → image artifact "generator".
 */
import type { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { PixelScale } from '../data/pipeline.js';
import { joinPath as join } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import type { ArtifactInput, ArtifactOutput, TF } from '../plugin/types.js';
import { CORE_VERSION } from '../version.js';

export const ARTIFACT_FORMAT = 'ganforge-artifact';
export const ARTIFACT_VERSION = 2;
export const ARTIFACT_INDEX = 'artifacts.json';

export interface ArtifactInfo {
  format: typeof ARTIFACT_FORMAT;
  version: typeof ARTIFACT_VERSION;
  core: string;
  spec: string;
  /** The artifact's name, as the objective declares it (also its folder's name). */
  artifact: string;
  description?: string;
  /** Other names commands accept for it (`--direction AB`). */
  aliases?: string[];
  /** Image input: the data streams it reads from and imitates (see ArtifactDeclaration). */
  from?: string;
  to?: string;
  /** Image input: the paired images of this stream (set only when the stream had pairs in training). */
  pairOf?: string;
  /** "noise" became "noise+label" when the model takes class labels. */
  input: ArtifactInput;
  output: ArtifactOutput;
  /** Spec names of its models, chained, and the folder of each relative to the artifact's folder. */
  models: { name: string; path: string }[];
  /** Steps trained. */
  step: number;
  /** Pixel scale of images in and out, so tensors can be turned into images and back. */
  scale: PixelScale;
  numClasses?: number;
  /** Whether the weights are the EMA weights. */
  ema: boolean;
  /** Plugins whose custom layers the models may use: register their layers before loading. */
  plugins: { name: string; version: string }[];
  /** For a head (output "score"): the head entry that turns the models into `score(images)`. */
  head?: { use: string; options: Record<string, unknown> };
  /** For a head: the images it scores, [height, width, channels] (its models need not start with an image input). */
  imageShape?: [number, number, number];
  /** For a head: its decision threshold, set on held-out images at the end of training. */
  threshold?: HeadThreshold;
}

/** A head's decision threshold: the `quantile` of its scores on `images` held-out images of `stream`. */
export interface HeadThreshold {
  value: number;
  quantile: number;
  stream: string;
  images: number;
}

/** Format of `generator/ganforge.json` before artifacts (core 0.1). */
interface GeneratorInfoV1 {
  format: 'ganforge-generator';
  version: 1;
  core: string;
  spec: string;
  model: string;
  step: number;
  scale: PixelScale;
  numClasses?: number;
  ema: boolean;
  plugins: { name: string; version: string }[];
}

export interface ArtifactIndex {
  format: 'ganforge-artifacts';
  version: 1;
  artifacts: { name: string; aliases?: string[]; input: ArtifactInput; output: ArtifactOutput; dir: string }[];
}

/** Write model.json + weights.bin of one model into `dir`. */
export async function exportModel(tf: TF, storage: Storage, model: LayersModel, dir: string): Promise<void> {
  await storage.mkdir(dir);
  let files: { weights: Uint8Array; json: string } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts: io.ModelArtifacts) => {
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: `ganforge ${CORE_VERSION}`,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { weights: new Uint8Array(weightData), json: `${JSON.stringify(modelJson)}\n` };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  await storage.write(join(dir, 'weights.bin'), files!.weights);
  await storage.write(join(dir, 'model.json'), files!.json);
}

/** Write an artifact's models and its ganforge.json into `dir`. */
export async function exportArtifact(
  tf: TF,
  storage: Storage,
  dir: string,
  models: LayersModel[],
  info: Omit<ArtifactInfo, 'format' | 'version' | 'core' | 'models'> & { modelNames: string[] },
): Promise<ArtifactInfo> {
  const { modelNames, ...rest } = info;
  const paths = models.length === 1 && !info.head ? ['.'] : modelNames.map((name, i) => `${i}-${name}`);
  for (const [i, model] of models.entries()) await exportModel(tf, storage, model, join(dir, paths[i]!));
  const full: ArtifactInfo = {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    core: CORE_VERSION,
    ...rest,
    models: modelNames.map((name, i) => ({ name, path: paths[i]! })),
  };
  await storage.write(join(dir, 'ganforge.json'), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

export async function writeArtifactIndex(storage: Storage, runDir: string, artifacts: ArtifactInfo[]): Promise<void> {
  const index: ArtifactIndex = {
    format: 'ganforge-artifacts',
    version: 1,
    artifacts: artifacts.map((a) => ({ name: a.artifact, ...(a.aliases?.length ? { aliases: a.aliases } : {}), input: a.input, output: a.output, dir: a.artifact })),
  };
  await storage.write(join(runDir, ARTIFACT_INDEX), `${JSON.stringify(index, null, 2)}\n`);
}

export async function readArtifactIndex(storage: Storage, runDir: string): Promise<ArtifactIndex | undefined> {
  try {
    const index = JSON.parse(await storage.readText(join(runDir, ARTIFACT_INDEX))) as ArtifactIndex;
    return index?.format === 'ganforge-artifacts' && Array.isArray(index.artifacts) ? index : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An artifact folder's ganforge.json, with a v1 generator folder read as the artifact "generator"
 * (its input kind, noise or noise+label, is decided by the loaded model). Undefined when absent or unreadable.
 */
export async function readArtifactInfo(storage: Storage, dir: string): Promise<ArtifactInfo | GeneratorInfoV1 | undefined> {
  try {
    const info = JSON.parse(await storage.readText(join(dir, 'ganforge.json'))) as ArtifactInfo | GeneratorInfoV1;
    return info?.format === ARTIFACT_FORMAT || info?.format === 'ganforge-generator' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** v1 generator info as an artifact description. */
export function upgradeInfo(info: ArtifactInfo | GeneratorInfoV1 | undefined, fallbackName: string): ArtifactInfo | undefined {
  if (!info) return undefined;
  if (info.format === ARTIFACT_FORMAT) return info;
  return {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    core: info.core,
    spec: info.spec,
    artifact: fallbackName,
    input: 'noise',
    output: 'image',
    models: [{ name: info.model, path: '.' }],
    step: info.step,
    scale: info.scale,
    numClasses: info.numClasses,
    ema: info.ema,
    plugins: info.plugins,
  };
}

/** A tf.io handler reading an exported model through Storage: `tf.loadLayersModel(modelFiles(tf, storage, dir))`. */
export function modelFiles(tf: TF, storage: Storage, dir: string): io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(await storage.readText(join(dir, 'model.json'))) as io.ModelJSON;
      const weights: ArrayBuffer[] = [];
      for (const group of modelJson.weightsManifest) {
        for (const path of group.paths) {
          const bytes = await storage.read(join(dir, path));
          weights.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async () => [modelJson.weightsManifest.flatMap((g) => g.weights), tf.io.CompositeArrayBuffer.join(weights)]);
    },
  };
}
