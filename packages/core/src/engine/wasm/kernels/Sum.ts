/** Sum for the wasm backend: reductions over a block of axes before the last in one pass, see reduce_util.ts. */
import { Sum } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, SumInputs, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../heap.js';
import { reduceLeading } from './reduce_util.js';

export function sum(args: { inputs: SumInputs; backend: WasmBackendLike; attrs: SumAttrs }): TensorInfo {
  return reduceLeading('Sum', args.inputs.x as TensorInfo, args.attrs, args.backend);
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
