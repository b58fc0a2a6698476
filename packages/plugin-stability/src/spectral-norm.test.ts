/**
 * Spectral normalization layers: the normalized kernel's largest singular value is 1 (checked against a
 * float64 power iteration run to convergence), u advances only in training calls and is a saved,
 * non-trainable weight that survives export and reload, and cpu and wasm agree on values and gradients.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LayersModel, SymbolicTensor, Tensor, Variable } from '@ganforge/core';
import { tf, useBackend } from '@ganforge/core/testing';
import { spectralNormLayers, type SpectralLayer } from './spectral-norm.js';

afterAll(() => useBackend('cpu'));

/** Largest singular value of a [rows, cols] matrix, float64, by power iteration on WᵀW to convergence. */
function trueSigma(values: ArrayLike<number>, rows: number, cols: number): number {
  let v = Float64Array.from({ length: cols }, (_, i) => 1 + ((i * 7) % 5));
  let sigma = 0;
  for (let it = 0; it < 2000; it++) {
    const wv = new Float64Array(rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) wv[r] = wv[r]! + values[r * cols + c]! * v[c]!;
    const wtwv = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) wtwv[c] = wtwv[c]! + values[r * cols + c]! * wv[r]!;
    const norm = Math.hypot(...wtwv);
    sigma = Math.sqrt(norm);
    v = wtwv.map((x) => x / norm);
  }
  return sigma;
}

function model(kind: 'conv' | 'dense', seed = 1): { model: LayersModel; layer: SpectralLayer } {
  const { SpectralConv2D, SpectralDense } = spectralNormLayers(tf);
  if (kind === 'conv') {
    const input = tf.input({ shape: [6, 6, 3] });
    const layer = new SpectralConv2D({ filters: 5, kernelSize: 3, strides: 2, kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed }), seed, name: 'sn_conv' });
    return { model: tf.model({ inputs: input, outputs: layer.apply(input) as SymbolicTensor }), layer };
  }
  const input = tf.input({ shape: [7] });
  const layer = new SpectralDense({ units: 4, kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed }), seed, name: 'sn_dense' });
  return { model: tf.model({ inputs: input, outputs: layer.apply(input) as SymbolicTensor }), layer };
}

const kernelMatrix = (layer: SpectralLayer) => {
  const k = layer.rawKernel();
  const cols = k.shape[k.shape.length - 1]!;
  return { values: k.dataSync(), rows: k.size / cols, cols };
};

describe('SpectralConv2D / SpectralDense', () => {
  it.each(['conv', 'dense'] as const)('%s: after a few training calls σ matches the true largest singular value and W/σ has σ = 1', async (kind) => {
    await useBackend('cpu');
    const { model: m, layer } = model(kind);
    const x = tf.randomNormal(kind === 'conv' ? [2, 6, 6, 3] : [2, 7], 0, 1, 'float32', 3);
    const { values, rows, cols } = kernelMatrix(layer);
    const exact = trueSigma(values, rows, cols);
    expect(exact).toBeGreaterThan(1.5); // a random N(0, 1) kernel: far from 1, so the checks below can fail
    for (let i = 0; i < 15; i++) tf.dispose(m.apply(x, { training: true }) as Tensor);
    expect(layer.sigma()).toBeCloseTo(exact, 3);
    // The kernel the layer uses: output = conv(x, W/σ). Recover it through a linear probe and check σ(W/σ) = 1.
    const normalized = Float64Array.from(values, (w) => w / layer.sigma());
    expect(trueSigma(normalized, rows, cols)).toBeCloseTo(1, 3);
    // The output really is computed with W/σ: it equals the unnormalized product divided by σ.
    const y = (m.apply(x, { training: false }) as Tensor).dataSync();
    const raw = tf.tidy(() => (kind === 'conv' ? tf.conv2d(x as never, layer.rawKernel() as never, 2, 'same') : tf.matMul(x as never, layer.rawKernel() as never)).dataSync());
    y.forEach((v, i) => expect(v).toBeCloseTo(raw[i]! / layer.sigma(), 4));
    tf.dispose(x);
  });

  it('advances u in training calls only; u is a saved, non-trainable weight that survives export and reload', async () => {
    await useBackend('cpu');
    const { model: m } = model('conv', 4);
    const u = () => m.weights.find((w) => w.name.includes('sn_u'))!.read().dataSync().slice();
    expect(m.trainableWeights.map((w) => w.name.split('/').pop()!.replace(/_\d+$/, ''))).toEqual(['kernel', 'bias']);
    expect(m.weights.some((w) => w.name.includes('sn_u') && !w.trainable)).toBe(true);
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 5);
    const start = u();
    tf.dispose(m.apply(x, { training: false }) as Tensor);
    expect(u()).toEqual(start);
    tf.dispose(m.apply(x, { training: true }) as Tensor);
    const moved = u();
    expect(moved).not.toEqual(start);
    // Export and reload (the registered class): same u, same outputs.
    const { SpectralConv2D, SpectralDense } = spectralNormLayers(tf);
    tf.serialization.registerClass(SpectralConv2D as never);
    tf.serialization.registerClass(SpectralDense as never);
    type Artifacts = Parameters<typeof tf.io.fromMemory>[0];
    let saved: Artifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (artifacts: Artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(reloaded.weights.find((w: { name: string }) => w.name.includes('sn_u'))!.read().dataSync()).toEqual(moved);
    const [a, b] = [m.predict(x) as Tensor, reloaded.predict(x) as Tensor];
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
  });

  it('agrees on cpu and wasm (values and kernel gradients), and the gradient flows through σ', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const { model: m, layer } = model('conv', 6);
      const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
      for (let i = 0; i < 3; i++) tf.dispose(m.apply(x, { training: true }) as Tensor);
      const kernel = m.trainableWeights[0]!.read() as Variable;
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(x, { training: false }) as Tensor)) as never, [kernel]);
      const out = { value: value.dataSync()[0]!, grad: Array.from(grads[kernel.name]!.dataSync()) as number[], sigma: layer.sigma(), raw: Array.from(layer.rawKernel().dataSync()) };
      tf.dispose([x, value, ...Object.values(grads)]);
      return out;
    };
    const [cpu, wasm] = [await run('cpu'), await run('wasm')];
    expect(wasm.value).toBeCloseTo(cpu.value, 3);
    wasm.grad.forEach((g, i) => expect(Math.abs(g - cpu.grad[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(cpu.grad[i]!))));
    // Through σ: for L = Σ (x∗W/σ)², scaling W leaves L unchanged, so the gradient is orthogonal to W.
    const dot = cpu.grad.reduce((s, g, i) => s + g * cpu.raw[i]!, 0);
    const norm = Math.hypot(...cpu.grad) * Math.hypot(...cpu.raw);
    expect(Math.abs(dot) / norm).toBeLessThan(2e-2);
  });
});
