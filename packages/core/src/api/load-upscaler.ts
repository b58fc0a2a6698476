/**
 * Upscalers for users (Node): a run's image → image artifact whose output is larger than its input (a
 * super-resolution generator), run tile by tile so any image size fits in memory:
 *   const up = await loadUpscaler('runs/srresnet-x4-…');
 *   const png = await up.upscaleFile('photo.jpg');     // PNG bytes, scale × larger
 *   const sr = up.upscale(lowRes);                     // Tensor4D in the training scale → Tensor4D (dispose it)
 * The tiles carry context as wide as the model's measured receptive field, so the result equals an untiled
 * pass (tiles.ts). Files are decoded (PNG or JPEG) and converted to the model's channels, never resized.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { decodeImage } from '../data/decode-image.js';
import { scalePixels } from '../data/pipeline.js';
import { resampleInto } from '../data/resize.js';
import { GanforgeError } from '../errors.js';
import { toImageBatch } from '../engine/sampling.js';
import * as tf from '../engine/tf.js';
import { nodeStorage } from '../node/index.js';
import { encodeImage } from '../run/png.js';
import { loadArtifact, type LoadArtifactOptions, type LoadedArtifact } from './load-artifact.js';
import { firstImageToImage } from './load-translator.js';
import { applyTiled, receptiveRadius } from './tiles.js';

export interface LoadUpscalerOptions extends LoadArtifactOptions {
  /** Input pixels per tile side (default 128): lower it when memory is short. */
  tile?: number;
}

export interface UpscaleOptions {
  /** Input pixels per tile side; default the loader's. Infinity: one pass. */
  tile?: number;
  /**
   * Geometric self-ensemble ("EDSR+", Lim et al. 2017; Timofte et al. 2016): upscale the 8 flips and quarter
   * turns of the input, undo each on the output and average. 8x the time; usually a little more fidelity.
   */
  selfEnsemble?: boolean;
}

export interface LoadedUpscaler {
  artifact: LoadedArtifact;
  /** Output size ÷ input size, measured. */
  scale: number;
  /** Channels the model takes and gives (files are converted to it). */
  channels: 1 | 3;
  /** Input pixels of context each tile carries: the model's receptive radius, measured. */
  pad: number;
  /** Upscale a batch in the training scale, tile by tile (dispose the result). */
  upscale(images: Tensor4D, options?: UpscaleOptions): Tensor4D;
  /** Upscale one image file (PNG or JPEG) to PNG bytes. */
  upscaleFile(path: string, options?: UpscaleOptions): Promise<Uint8Array>;
  dispose(): void;
}

export async function loadUpscaler(path: string, name?: string, options: LoadUpscalerOptions = {}): Promise<LoadedUpscaler> {
  const artifact = await loadArtifact(path, name ?? (await firstImageToImage(path, options.cwd)), options);
  const fail = (message: string, hint: string): never => {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', message, { hint });
  };
  if (artifact.input !== 'image' || artifact.output !== 'image') {
    fail(`Artifact "${artifact.name}" takes ${artifact.input} and gives ${artifact.output}; it does not upscale images.`, 'Pick an image → image artifact (the run folder lists them in artifacts.json).');
  }
  const [, h, w, c] = artifact.models[0]!.inputs[0]!.shape as [null, number | null, number | null, number];
  if (h !== null || w !== null) fail(`Artifact "${artifact.name}" takes images of a fixed size (${w}x${h}); an upscaler must take any size.`, 'Use `ganforge translate` for fixed-size image → image models.');
  if (c !== 1 && c !== 3) fail(`Artifact "${artifact.name}" takes images with ${c} channels; files can give 1 (grayscale) or 3 (RGB).`, 'Train on grayscale or RGB images.');
  const channels = c as 1 | 3;
  const run = (x: Tensor4D) => artifact.apply(x) as Tensor4D;
  const probe = tf.tidy(() => run(tf.zeros([1, 8, 8, channels])).shape);
  const scale = probe[1]! / 8;
  if (!Number.isInteger(scale) || scale < 1 || probe[2]! / 8 !== scale) {
    fail(`Artifact "${artifact.name}" turns 8x8 images into ${probe[2]}x${probe[1]}: not a whole-number upscale.`, 'Pick an upscaling artifact.');
  }
  const pad = receptiveRadius(tf, run, channels, scale) + 2;
  const defaultTile = options.tile ?? 128;
  const storage = nodeStorage(options.cwd ?? process.cwd());
  const once = (images: Tensor4D, o: UpscaleOptions) => applyTiled(tf, run, images, { scale, pad, tile: o.tile ?? defaultTile });
  const upscale = (images: Tensor4D, o: UpscaleOptions = {}) => (o.selfEnsemble ? selfEnsemble(images, (x) => once(x, o)) : once(images, o));
  return {
    artifact,
    scale,
    channels,
    pad,
    upscale,
    async upscaleFile(file, o) {
      let image;
      try {
        image = decodeImage(await storage.read(file));
      } catch (cause) {
        throw new GanforgeError('GF_DATA', `${file} cannot be read as an image: ${(cause as Error).message}.`, { file, cause, hint: 'Give PNG or JPEG files.' });
      }
      const bytes = new Uint8Array(image.height * image.width * channels);
      resampleInto(image.rgba, image.width, image.height, { x: 0, y: 0, width: image.width, height: image.height }, image.width, image.height, channels, bytes, 0);
      const input = tf.tensor4d(scalePixels(bytes, [0, 255], artifact.info.scale), [1, image.height, image.width, channels]);
      try {
        return encodeImage(await toImageBatch(upscale(input, o), artifact.info.scale), 0);
      } finally {
        input.dispose();
      }
    },
    dispose: () => artifact.dispose(),
  };
}

/** The 8 symmetries of the square: quarter turns (k) of the image, mirrored or not, and their inverses. */
function turn(x: Tensor4D, k: number): Tensor4D {
  let out = x;
  for (let i = 0; i < ((k % 4) + 4) % 4; i++) out = tf.reverse(tf.transpose(out, [0, 2, 1, 3]), 2) as Tensor4D;
  return out;
}

/** Mean of f over the 8 transformed copies of x, each output transformed back. */
export function selfEnsemble(x: Tensor4D, f: (x: Tensor4D) => Tensor4D): Tensor4D {
  let sum: Tensor4D | undefined;
  for (const mirror of [false, true]) {
    for (let k = 0; k < 4; k++) {
      const out = tf.tidy(() => {
        const input = turn(mirror ? (tf.reverse(x, 2) as Tensor4D) : x, k);
        const y = turn(f(input), -k);
        return mirror ? (tf.reverse(y, 2) as Tensor4D) : y;
      });
      const next = sum ? (tf.add(sum, out) as Tensor4D) : out;
      if (sum) tf.dispose([sum, out]);
      sum = next;
    }
  }
  const mean = tf.div(sum!, 8) as Tensor4D;
  sum!.dispose();
  return mean;
}
