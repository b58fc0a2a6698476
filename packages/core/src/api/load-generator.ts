/**
 * Load an exported generator (a run folder, its `generator/` folder, or a model.json) and draw images:
 *   const g = await loadGenerator('runs/mnist-20250131-142501');
 *   const images = g.sample(16);   // Tensor4D in the training scale; dispose it
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import type { GanforgePlugin } from '../plugin/types.js';
import { RANDOM_STREAM, SeededRandom } from '../engine/random.js';
import { defaultSample, generatorInputs, sampleLabels } from '../engine/sampling.js';
import * as tf from '../engine/tf.js';
import { selectBackend } from '../engine/backend.js';
import { modelFiles, readExportInfo, type ExportInfo } from '../run/export.js';
import type { ImageBatch } from '../run/png.js';
import type { BackendName } from '../spec/types.js';

export interface LoadGeneratorOptions {
  /** Plugins whose custom layers the model uses (registered before loading). */
  plugins?: GanforgePlugin[];
  /** Backend to run on; default "auto". */
  backend?: BackendName;
}

export interface SampleOptions {
  /** Seed of the noise (default 0): the same seed gives the same images. */
  seed?: number;
  /** Class per image for conditional generators (default: 0, 1, 2, … cycling). */
  labels?: Int32Array | number[];
}

export interface LoadedGenerator {
  model: LayersModel;
  /** What the run recorded about the model (scale, classes, step), when present. */
  info?: ExportInfo;
  /** Whether the model takes class labels. */
  conditional: boolean;
  /** Draw n images as a tensor in the training scale (dispose it). */
  sample(n: number, options?: SampleOptions): Tensor4D;
  /** Draw n images into JavaScript memory, ready for PNG encoding. */
  images(n: number, options?: SampleOptions): Promise<ImageBatch>;
  dispose(): void;
}

/** The folder holding model.json: the path itself, its `generator/` subfolder, or the folder of a model.json path. */
export function locateModel(path: string): string {
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isFile() && basename(full) === 'model.json') return dirname(full);
  for (const dir of [full, join(full, 'generator')]) if (existsSync(join(dir, 'model.json'))) return dir;
  throw new GanforgeError('GF_RUN_DIR', `No exported model found at ${full}.`, {
    hint: 'Pass a run folder (it holds generator/model.json once training finished), a model folder, or a model.json file.',
  });
}

export async function loadGenerator(path: string, options: LoadGeneratorOptions = {}): Promise<LoadedGenerator> {
  const dir = locateModel(path);
  await selectBackend(options.backend ?? 'auto');
  for (const plugin of options.plugins ?? []) {
    for (const cls of plugin.layers?.(tf) ?? []) tf.serialization.registerClass(cls as unknown as Parameters<typeof tf.serialization.registerClass>[0]);
  }
  const info = readExportInfo(dir);
  let model: LayersModel;
  try {
    model = await tf.loadLayersModel(modelFiles(tf, dir));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknownLayer = /Unknown layer: (\S+)/.exec(message);
    throw new GanforgeError('GF_RUN_DIR', `The model in ${dir} cannot be loaded: ${message}`, {
      cause: error,
      hint: unknownLayer
        ? `It uses the custom layer ${unknownLayer[1]}: pass the plugin that defines it (${info?.plugins.map((p) => p.name).join(', ') ?? 'see ganforge.json'}) in { plugins }.`
        : 'model.json or weights.bin may be incomplete; export again from the run\'s last checkpoint.',
    });
  }
  const { conditional } = generatorInputs(model);
  const labelsFor = (n: number, requested?: Int32Array | number[]) =>
    conditional ? sampleLabels(n, info?.numClasses ?? 1, requested) : undefined;
  const sample = (n: number, { seed = 0, labels }: SampleOptions = {}) =>
    defaultSample(tf, model, n, new SeededRandom(tf, seed).at(RANDOM_STREAM.sample), labelsFor(n, labels));
  return {
    model,
    info,
    conditional,
    sample,
    async images(n, sampleOptions) {
      const images = sample(n, sampleOptions);
      try {
        const [count, h, w, c] = images.shape;
        return { data: Float32Array.from(await images.data()), shape: [count, h, w, c], scale: info?.scale ?? 'tanh' };
      } finally {
        images.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
