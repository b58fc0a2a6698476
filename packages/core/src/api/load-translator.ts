/**
 * Image → image artifacts (a translator, an upscaler) for users (Node):
 *   const t = await loadTranslator('runs/cyclegan-digits-…', 'AB');   // an artifact name or alias
 *   const out = t.translate(images);             // Tensor4D in the training scale → Tensor4D (dispose it)
 *   const png = await t.translateFile('in.png');   // PNG bytes of the translated image
 * Files are decoded (PNG or JPEG), converted to the model's channels and, when the model has a fixed input
 * size, resized to it (center crop, antialiased), then scaled like the training data.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { GanforgeError } from '../errors.js';
import * as tf from '../engine/tf.js';
import { toImageBatch } from '../engine/sampling.js';
import { nodeStorage } from '../node/index.js';
import { readArtifactIndex } from '../run/export.js';
import { encodeImage } from '../run/png.js';
import { readImageInput } from './read-image.js';
import { loadArtifact, type LoadArtifactOptions, type LoadedArtifact } from './load-artifact.js';

export interface LoadedTranslator {
  artifact: LoadedArtifact;
  /** The model's input [height, width, channels]; null sizes take any image size. */
  inputShape: [number | null, number | null, number];
  /** Translate a batch in the training scale (dispose the result). */
  translate(images: Tensor4D): Tensor4D;
  /** Translate one image file (PNG or JPEG) to PNG bytes. */
  translateFile(path: string): Promise<Uint8Array>;
  dispose(): void;
}

export async function loadTranslator(path: string, name?: string, options: LoadArtifactOptions = {}): Promise<LoadedTranslator> {
  const artifact = await loadArtifact(path, name ?? (await firstImageToImage(path, options.cwd)), options);
  if (artifact.input !== 'image' || artifact.output !== 'image') {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', `Artifact "${artifact.name}" takes ${artifact.input} and gives ${artifact.output}; it does not translate images.`, {
      hint: 'Pick an image → image artifact (the run folder lists them in artifacts.json).',
    });
  }
  const [, h, w, c] = artifact.models[0]!.inputs[0]!.shape as [null, number | null, number | null, number];
  if (c !== 1 && c !== 3) {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', `Artifact "${artifact.name}" takes images with ${c} channels; files can give 1 (grayscale) or 3 (RGB).`);
  }
  const storage = nodeStorage(options.cwd ?? process.cwd());
  const translate = (images: Tensor4D) => artifact.apply(images) as Tensor4D;
  return {
    artifact,
    inputShape: [h, w, c],
    translate,
    async translateFile(file) {
      const input = await readImageInput(storage, file, [h, w, c], artifact.info.scale);
      try {
        const out = await toImageBatch(translate(input), artifact.info.scale);
        return encodeImage(out, 0);
      } finally {
        input.dispose();
      }
    },
    dispose: () => artifact.dispose(),
  };
}

/** The run's first image → image artifact, for callers that name none. */
export async function firstImageToImage(path: string, cwd?: string): Promise<string | undefined> {
  const storage = nodeStorage(cwd ?? process.cwd());
  const index = await readArtifactIndex(storage, storage.resolve(path));
  return index?.artifacts.find((a) => a.input === 'image' && a.output === 'image')?.name;
}
