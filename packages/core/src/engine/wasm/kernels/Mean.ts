/** Mean for the wasm backend: reductions over a block of axes before the last in one pass, see reduce_util.ts. */
import { Mean } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MeanAttrs, MeanInputs, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../heap.js';
import { reduceLeading } from './reduce_util.js';

export function mean(args: { inputs: MeanInputs; backend: WasmBackendLike; attrs: MeanAttrs }): TensorInfo {
  return reduceLeading('Mean', args.inputs.x as TensorInfo, args.attrs, args.backend);
}

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: mean as unknown as KernelFunc,
};
