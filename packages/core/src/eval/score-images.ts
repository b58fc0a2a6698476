/** A head's scores of many images held in one array, computed in chunks so memory stays bounded. */
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import type { TF } from '../plugin/types.js';

const CHUNK = 256;

export async function scoreImages(tf: TF, x: Float32Array, shape: [number, number, number, number], score: (images: Tensor4D) => Tensor1D): Promise<Float32Array> {
  const [n, ...pixel] = shape;
  const size = pixel[0] * pixel[1] * pixel[2];
  const scores = new Float32Array(n);
  for (let start = 0; start < n; start += CHUNK) {
    const count = Math.min(CHUNK, n - start);
    const images = tf.tensor4d(x.subarray(start * size, (start + count) * size), [count, ...pixel]);
    const s = tf.tidy(() => score(images));
    scores.set(await s.data(), start);
    tf.dispose([images, s]);
  }
  return scores;
}
