/**
 * pnpm bench kernels [--threads N] [--reps 5] [--backend wasm|cpu] [--stock]
 *
 * Times the training kernels of the DCGAN benchmark step one by one (median of --reps calls, ms),
 * on the shapes that step uses. --stock: the wasm backend's own kernels where ganforge replaces them.
 * Prints one JSON line {backend, threads, stock, kernels: {name: ms}}.
 */
import { loadavg } from 'node:os';
import type { NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { tf, tfWasm } from './lib/tf.ts';
import { selectBackend } from '../packages/core/src/node/index.ts';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
}

type Case = [string, string, () => Record<string, Tensor>, Record<string, unknown>];
const B = 64;
const r = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);
const CASES: Case[] = [
  ['Conv2D D2 [64,14,14,64]*[4,4,64,128] s2', 'Conv2D', () => ({ x: r([B, 14, 14, 64], 1), filter: r([4, 4, 64, 128], 2) }), { strides: 2, pad: 'same', dataFormat: 'NHWC', dilations: 1 }],
  ['Conv2DBackpropInput G1 [64,7,7,128]->[64,14,14,64]', 'Conv2DBackpropInput', () => ({ dy: r([B, 7, 7, 128], 1), filter: r([4, 4, 64, 128], 2) }), { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [B, 14, 14, 64] }],
  ['Conv2DBackpropInput G2 [64,14,14,64]->[64,28,28,1]', 'Conv2DBackpropInput', () => ({ dy: r([B, 14, 14, 64], 1), filter: r([4, 4, 1, 64], 2) }), { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [B, 28, 28, 1] }],
  ['Conv2DBackpropFilter D2/G1 x[64,14,14,64] dy[64,7,7,128]', 'Conv2DBackpropFilter', () => ({ x: r([B, 14, 14, 64], 1), dy: r([B, 7, 7, 128], 2) }), { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 64, 128] }],
  ['Conv2DBackpropFilter D1/G2 x[64,28,28,1] dy[64,14,14,64]', 'Conv2DBackpropFilter', () => ({ x: r([B, 28, 28, 1], 1), dy: r([B, 14, 14, 64], 2) }), { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 1, 64] }],
  ['Identity [64,14,14,64]', 'Identity', () => ({ x: r([B, 14, 14, 64], 1) }), {}],
  ['BatchMatMul G dense [64,100]x[100,6272]', 'BatchMatMul', () => ({ a: r([1, B, 100], 1), b: r([1, 100, 6272], 2) }), { transposeA: false, transposeB: false }],
  ['BatchMatMul G dense dW [100,64]^T x[64,6272]', 'BatchMatMul', () => ({ a: r([1, B, 100], 1), b: r([1, B, 6272], 2) }), { transposeA: true, transposeB: false }],
  ['BatchMatMul G dense dX [64,6272]x[100,6272]^T', 'BatchMatMul', () => ({ a: r([1, B, 6272], 1), b: r([1, 100, 6272], 2) }), { transposeA: false, transposeB: true }],
  ['Multiply [64,14,14,64]x[64,14,14,64]', 'Multiply', () => ({ a: r([B, 14, 14, 64], 1), b: r([B, 14, 14, 64], 2) }), {}],
  ['Sum [64,14,14,64] axes 0,1,2', 'Sum', () => ({ x: r([B, 14, 14, 64], 1) }), { axis: [0, 1, 2], keepDims: false }],
  ['LeakyRelu [64,14,14,64]', 'LeakyRelu', () => ({ x: r([B, 14, 14, 64], 1) }), { alpha: 0.2 }],
  ['Mean [64,14,14,64] axes 0,1,2', 'Mean', () => ({ x: r([B, 14, 14, 64], 1) }), { axis: [0, 1, 2], keepDims: false }],
];

export async function main(args: string[]): Promise<void> {
  const backend = arg(args, 'backend', 'wasm');
  const threads = Number(arg(args, 'threads', '2'));
  const reps = Number(arg(args, 'reps', '5'));
  const stock = args.includes('--stock');
  await selectBackend(backend as 'wasm', () => {}, { wasmThreads: threads });
  if (stock && backend === 'wasm') {
    const { restoreStockKernel } = await import('../packages/core/src/engine/wasm/register.ts');
    for (const k of ['Conv2DBackpropInput', 'Identity', 'BatchMatMul', 'Sum', 'Mean']) restoreStockKernel(k);
  }
  const only = arg(args, 'only', '');
  const out: Record<string, number | string> = {};
  for (const [label, kernel, inputs, attrs] of CASES) {
    if (only && !label.includes(only)) continue;
    if (!tf.getKernel(kernel, tf.getBackend())) { out[label] = 'missing'; continue; }
    const ins = inputs();
    const times: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      const t = performance.now();
      const y = tf.engine().runKernel(kernel, ins as NamedTensorMap, attrs as NamedAttrMap) as Tensor;
      y.dataSync();
      if (i > 0) times.push(performance.now() - t);
      y.dispose();
    }
    tf.dispose(Object.values(ins));
    times.sort((a, b) => a - b);
    out[label] = Math.round(times[Math.floor(times.length / 2)]! * 100) / 100;
  }
  console.log(JSON.stringify({ load_avg_1m: Math.round(loadavg()[0]! * 100) / 100, backend, threads: backend === 'wasm' ? tfWasm.getThreadsCount() : undefined, stock, kernels: out }));
}
