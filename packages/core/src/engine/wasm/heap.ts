/**
 * Helpers for kernels that run on the tfjs wasm backend: typed views of tensors on the wasm heap,
 * calls into the backend's own (XNNPACK-backed) kernels, and freeing intermediate results.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo, NamedAttrMap, NamedTensorInfoMap } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm that kernels use. */
export interface WasmBackendLike {
  wasm: {
    HEAPU8: Uint8Array;
    wasmMemory?: { buffer: ArrayBufferLike };
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number; shape: number[]; dtype: string } };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The current heap buffer. The threaded build's memory can grow from any thread, so never cache it. */
function heapBuffer(backend: WasmBackendLike): ArrayBufferLike {
  return backend.wasm.wasmMemory ? backend.wasm.wasmMemory.buffer : backend.wasm.HEAPU8.buffer;
}

export function f32(backend: WasmBackendLike, t: TensorInfo): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(t.dataId);
  return new Float32Array(heapBuffer(backend), memoryOffset, tf.util.sizeFromShape(t.shape));
}

const stock = new Map<string, tf.KernelFunc>();
const stockConfigs = new Map<string, tf.KernelConfig>();
const setUp = new Map<string, WeakSet<object>>();
/**
 * Runs one of the wasm backend's kernels directly (no engine, no tape). `name` may be one we override:
 * `original` asks for the function that was registered before ours.
 */
export function runKernel(
  name: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
  backend: WasmBackendLike,
): TensorInfo {
  const config = stockConfigs.get(name);
  if (config?.setupFunc) {
    // A stock kernel that ours replaced before the backend started was never set up by the engine.
    let done = setUp.get(name);
    if (!done) setUp.set(name, (done = new WeakSet()));
    if (!done.has(backend)) {
      config.setupFunc(backend as unknown as tf.KernelBackend);
      done.add(backend);
    }
  }
  const fn = stock.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
  if (!fn) throw new Error(`wasm backend has no kernel ${name}`);
  return fn({ inputs, attrs, backend: backend as unknown as tf.KernelBackend }) as TensorInfo;
}

/** Remembers a stock wasm kernel that one of ours replaces, so our kernels can still call it. */
export function rememberStockKernel(config: tf.KernelConfig): void {
  if (!stock.has(config.kernelName)) {
    stock.set(config.kernelName, config.kernelFunc);
    stockConfigs.set(config.kernelName, config);
  }
}
export function stockKernelConfig(name: string): tf.KernelConfig | undefined {
  return stockConfigs.get(name);
}

export function disposeInfo(backend: WasmBackendLike, ...infos: (TensorInfo | undefined | null)[]): void {
  for (const t of infos) if (t) backend.disposeData(t.dataId);
}

export function transpose(backend: WasmBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  return runKernel('Transpose', { x }, { perm }, backend);
}

/** Crops a NHWC tensor by non-negative amounts on each side of H and W. */
export function crop4D(backend: WasmBackendLike, x: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const oh = h - top - bottom, ow = w - left - right;
  const out = backend.makeOutput([b, oh, ow, c], 'float32');
  const src = f32(backend, x), dst = f32(backend, out);
  const row = ow * c;
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < oh; i++) {
      const s = ((n * h + i + top) * w + left) * c;
      dst.set(src.subarray(s, s + row), (n * oh + i) * row);
    }
  }
  return out;
}
