/**
 * Tensors copied to JavaScript memory: what checkpoints store and restore. Reading values out of the
 * backend is async (the GPU backends download), and the copies outlive any tf.tidy.
 */
import type { DataType, Tensor } from '@tensorflow/tfjs-core';
import type { TF } from '../plugin/types.js';

export type HostDType = 'float32' | 'int32' | 'bool';

export interface HostTensor {
  shape: number[];
  dtype: HostDType;
  data: Float32Array | Int32Array | Uint8Array;
}

export async function toHost(tensor: Tensor): Promise<HostTensor> {
  const dtype = tensor.dtype as DataType;
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') throw new Error(`cannot checkpoint a ${dtype} tensor`);
  const values = await tensor.data();
  const data = dtype === 'float32' ? Float32Array.from(values as Float32Array) : dtype === 'int32' ? Int32Array.from(values as Int32Array) : Uint8Array.from(values as Uint8Array);
  return { shape: [...tensor.shape], dtype, data };
}

export function fromHost(tf: TF, host: HostTensor): Tensor {
  return tf.tensor(host.data, host.shape, host.dtype);
}
