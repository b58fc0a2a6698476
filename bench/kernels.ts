/**
 * pnpm bench kernels [--threads N] [--reps 5] [--backend wasm|cpu] [--stock] [--only TEXT] [--extra] [--input-path phases|gemm]
 *
 * Times the training kernels of the DCGAN benchmark step one by one (median of --reps calls, ms),
 * on the shapes that step uses. --stock: the wasm backend's own kernels where ganforge replaces them.
 * --extra adds the filter gradients of the CycleGAN (demo: batch 4, larger: batch 8) and SRGAN (batch 16) steps;
 * (batch 1 and 2 too) and the input gradients (stride 1, and stride 2: downsampling dx and transposed-conv
 * forwards), and instance norm's reductions over H, W; --input-path forces one Conv2DBackpropInput path
 * (default: the kernel's per-shape choice).
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

const fg = (label: string, x: number[], k: number, co: number, s: number, dy: number[], pad: unknown = 'same'): Case =>
  [`Conv2DBackpropFilter ${label} x[${x}] dy[${dy}] k${k} s${s}`, 'Conv2DBackpropFilter', () => ({ x: r(x, 1), dy: r(dy, 2) }), { strides: s, pad, dataFormat: 'NHWC', filterShape: [k, k, x[3]!, co] }];
const EXTRA: Case[] = [
  fg('cyc4 residual', [4, 9, 9, 64], 3, 64, 1, [4, 7, 7, 64], 'valid'),
  fg('cyc4 down2', [4, 14, 14, 32], 3, 64, 2, [4, 7, 7, 64]),
  fg('cyc4 down1', [4, 28, 28, 16], 3, 32, 2, [4, 14, 14, 32]),
  fg('cyc4 in7x7', [4, 34, 34, 1], 7, 16, 1, [4, 28, 28, 16], 'valid'),
  fg('cyc4 out7x7', [4, 34, 34, 16], 7, 1, 1, [4, 28, 28, 1], 'valid'),
  fg('cyc4 up1 (convT dW)', [4, 14, 14, 32], 3, 64, 2, [4, 7, 7, 64]),
  fg('cyc4 D s1', [4, 9, 9, 32], 4, 64, 1, [4, 6, 6, 64], 'valid'),
  fg('cyc8 residual', [8, 9, 9, 128], 3, 128, 1, [8, 7, 7, 128], 'valid'),
  fg('cyc8 down1', [8, 30, 30, 32], 3, 64, 2, [8, 14, 14, 64], 'valid'),
  fg('cyc8 in7x7', [8, 34, 34, 1], 7, 32, 1, [8, 28, 28, 32], 'valid'),
  fg('srgan residual', [16, 16, 16, 32], 3, 32, 1, [16, 16, 16, 32]),
  fg('srgan up', [16, 32, 32, 32], 3, 128, 1, [16, 32, 32, 128]),
  fg('srgan head 9x9', [16, 16, 16, 3], 9, 32, 1, [16, 16, 16, 32]),
  fg('srgan D1', [16, 64, 64, 3], 3, 32, 1, [16, 64, 64, 32]),
  fg('srgan D2 s2', [16, 64, 64, 32], 3, 32, 2, [16, 32, 32, 32]),
  fg('srgan D3', [16, 32, 32, 32], 3, 64, 1, [16, 32, 32, 64]),
  fg('cyc1 residual', [1, 9, 9, 64], 3, 64, 1, [1, 7, 7, 64], 'valid'),
  fg('cyc2 residual', [2, 9, 9, 64], 3, 64, 1, [2, 7, 7, 64], 'valid'),
  fg('cyc1 256px residual', [1, 66, 66, 256], 3, 256, 1, [1, 64, 64, 256], 'valid'),
  fg('cyc1 256px in7x7', [1, 262, 262, 3], 7, 64, 1, [1, 256, 256, 64], 'valid'),
  fg('cyc1 256px down2', [1, 128, 128, 128], 3, 256, 2, [1, 64, 64, 256]),
];
const ig = (label: string, x: number[], k: number, co: number, s: number, dy: number[], pad: unknown = 'same'): Case =>
  [`Conv2DBackpropInput ${label} dy[${dy}] -> x[${x}] k${k} s${s}`, 'Conv2DBackpropInput', () => ({ dy: r(dy, 1), filter: r([k, k, x[3]!, co], 2) }), { strides: s, pad, dataFormat: 'NHWC', inputShape: x }];
EXTRA.push(
  ig('cyc4 residual', [4, 9, 9, 64], 3, 64, 1, [4, 7, 7, 64], 'valid'),
  ig('cyc4 in7x7', [4, 34, 34, 1], 7, 16, 1, [4, 28, 28, 16], 'valid'),
  ig('cyc4 out7x7', [4, 34, 34, 16], 7, 1, 1, [4, 28, 28, 1], 'valid'),
  ig('cyc4 D s1', [4, 9, 9, 32], 4, 64, 1, [4, 6, 6, 64], 'valid'),
  ig('cyc8 residual', [8, 9, 9, 128], 3, 128, 1, [8, 7, 7, 128], 'valid'),
  ig('cyc8 D s1 2x2', [8, 5, 5, 128], 4, 256, 1, [8, 2, 2, 256], 'valid'),
  ig('srgan residual', [16, 16, 16, 32], 3, 32, 1, [16, 16, 16, 32]),
  ig('srgan up', [16, 32, 32, 32], 3, 128, 1, [16, 32, 32, 128]),
  ig('srgan D3', [16, 32, 32, 32], 3, 64, 1, [16, 32, 32, 64]),
  ig('cyc4 down2 / up1 convT', [4, 14, 14, 32], 3, 64, 2, [4, 7, 7, 64]),
  ig('cyc4 down1 / up2 convT', [4, 28, 28, 16], 3, 32, 2, [4, 14, 14, 32]),
  ig('cyc4 D2 s2', [4, 14, 14, 16], 4, 32, 2, [4, 7, 7, 32]),
  ig('cyc8 down2 / up1 convT', [8, 14, 14, 64], 3, 128, 2, [8, 7, 7, 128]),
  ig('srgan D2 s2', [16, 64, 64, 32], 3, 32, 2, [16, 32, 32, 32]),
  ig('cyc1 256px residual', [1, 66, 66, 256], 3, 256, 1, [1, 64, 64, 256], 'valid'),
);
const red = (op: 'Sum' | 'Mean', x: number[]): Case => [`${op} [${x}] axes 1,2 (instance norm)`, op, () => ({ x: r(x, 1) }), { axis: [1, 2], keepDims: true }];
EXTRA.push(red('Mean', [4, 28, 28, 16]), red('Mean', [4, 7, 7, 64]), red('Sum', [4, 14, 14, 32]), red('Mean', [8, 14, 14, 64]), red('Mean', [16, 32, 32, 32]));

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
  const inputPath = arg(args, 'input-path', '');
  if (inputPath) {
    const { forceConv2DBackpropInputPath } = await import('../packages/core/src/engine/wasm/kernels/Conv2DBackpropInput.ts');
    forceConv2DBackpropInputPath(inputPath as 'phases' | 'gemm');
  }
  const only = arg(args, 'only', '');
  const out: Record<string, number | string> = {};
  for (const [label, kernel, inputs, attrs] of args.includes('--extra') ? [...CASES, ...EXTRA] : CASES) {
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
  console.log(JSON.stringify({ load_avg_1m: Math.round(loadavg()[0]! * 100) / 100, backend, threads: backend === 'wasm' ? tfWasm.getThreadsCount() : undefined, stock, input_path: inputPath || undefined, kernels: out }));
}
