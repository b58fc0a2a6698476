/**
 * The exported generator: a tfjs LayersModel as `model.json` + `weights.bin` (the layout `tf.loadLayersModel`
 * reads over http in a browser and with file:// in tfjs-node), written by a custom tf.io handler so no
 * tfjs-node is needed, plus `ganforge.json` describing how to sample it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { PixelScale } from '../data/pipeline.js';
import type { TF } from '../plugin/types.js';
import { CORE_VERSION } from '../version.js';

export interface ExportInfo {
  format: 'ganforge-generator';
  version: 1;
  core: string;
  spec: string;
  /** Name of the model in the spec. */
  model: string;
  /** Steps trained. */
  step: number;
  /** Output pixel scale, so samples can be turned into images. */
  scale: PixelScale;
  numClasses?: number;
  /** Whether the weights are the EMA weights. */
  ema: boolean;
  /** Plugins whose custom layers the model may use: register their layers before loading. */
  plugins: { name: string; version: string }[];
}

/** Write model.json + weights.bin (+ ganforge.json) into `dir`. */
export async function exportModel(tf: TF, model: LayersModel, dir: string, info: Omit<ExportInfo, 'format' | 'version' | 'core'>): Promise<void> {
  mkdirSync(dir, { recursive: true });
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
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(weightData));
      writeFileSync(join(dir, 'model.json'), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  const full: ExportInfo = { format: 'ganforge-generator', version: 1, core: CORE_VERSION, ...info };
  writeFileSync(join(dir, 'ganforge.json'), `${JSON.stringify(full, null, 2)}\n`);
}

/** A tf.io handler reading an exported model from disk: `tf.loadLayersModel(modelFiles(dir))` without tfjs-node. */
export function modelFiles(tf: TF, dir: string): io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as io.ModelJSON;
      const weights = modelJson.weightsManifest.flatMap((group) =>
        group.paths.map((path) => {
          const buffer = readFileSync(join(dir, path));
          return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
        }),
      );
      return tf.io.getModelArtifactsForJSON(modelJson, async () => [modelJson.weightsManifest.flatMap((g) => g.weights), tf.io.CompositeArrayBuffer.join(weights)]);
    },
  };
}

export function readExportInfo(dir: string): ExportInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'ganforge.json'), 'utf8')) as ExportInfo;
  } catch {
    return undefined;
  }
}
