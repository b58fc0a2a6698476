/**
 * One image file (PNG or JPEG) as a model input: decoded, converted to the model's channels and, when the
 * model has a fixed input size, resized to it (center crop, antialiased), then scaled like the training data.
 * Shared by the commands that feed users' files to artifacts (translate, score).
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { scalePixels, type PixelScale } from '../data/pipeline.js';
import { decodeImage } from '../data/decode-image.js';
import { centerSquare, resampleInto } from '../data/resize.js';
import { GanforgeError } from '../errors.js';
import * as tf from '../engine/tf.js';
import type { Storage } from '../host/types.js';

/** [height, width, channels]; null sizes take the image's own size. */
export type InputShape = [number | null, number | null, number];

export async function readImageInput(storage: Storage, file: string, [h, w, c]: InputShape, scale: PixelScale): Promise<Tensor4D> {
  let image;
  try {
    image = decodeImage(await storage.read(file));
  } catch (cause) {
    throw new GanforgeError('GF_DATA', `${file} cannot be read as an image: ${(cause as Error).message}.`, { file, cause, hint: 'Give PNG or JPEG files.' });
  }
  const height = h ?? image.height;
  const width = w ?? image.width;
  const fixed = h !== null && w !== null;
  const region = fixed && image.width !== image.height && height === width ? centerSquare(image.width, image.height) : { x: 0, y: 0, width: image.width, height: image.height };
  const bytes = new Uint8Array(height * width * c);
  resampleInto(image.rgba, image.width, image.height, region, width, height, c as 1 | 3, bytes, 0);
  return tf.tensor4d(scalePixels(bytes, [0, 255], scale), [1, height, width, c]);
}
