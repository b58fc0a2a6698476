/**
 * pnpm bench dcgan-step [--backend auto|wasm|cpu|tensorflow|tensorflow-gpu] [--steps 10] [--warmup 3]
 *                       [--batch 64] [--threads N] [--no-peer] [--profile] [--stock] [--engine] [--parity N]
 *
 * Times one DCGAN-MNIST training step (one D update + one G update with G re-run) with exactly the nets
 * of ../shared/bench/torch_dcgan.py, built from tfjs ops on explicit variables
 * (bench/lib/gan-steps.ts). Prints one JSON line
 * {backend, img_per_s, ms_per_step, ...}; when /usr/bin/python3 has torch, the PyTorch peer runs in the
 * same invocation (after ours, same batch) and `ratio_vs_pytorch` is added.
 * --profile adds a per-kernel table (ms per step, summed by kernel name) from tf.profile.
 * --parity N runs the first N steps on cpu and on the chosen backend from the same weights and inputs
 * and prints the largest relative difference of their losses instead of timing.
 * --engine trains specs/dcgan-mnist.json with its nets set to the peer's (the same nets, built by the dcgan plugin with tfjs-layers,
 * on MNIST) through the ganforge engine (runTraining) and times its steps instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, tfWasm } from './lib/tf.ts';
import type { BackendRequest } from '../packages/core/src/engine/choose-backend.ts';
import { selectBackend } from '../packages/core/src/node/index.ts';
import { dcganStep } from './lib/gan-steps.ts';

const PEER = fileURLToPath(new URL('../../shared/bench/torch_dcgan.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

function arg(args: string[], name: string, fallback?: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function runPeer(batch: number, steps: number, warmup: number): { img_per_s: number; ms_per_step: number; version?: string } | undefined {
  if (!existsSync(PYTHON) || !existsSync(PEER)) return undefined;
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const out = execFileSync(PYTHON, [PEER, '--batch', String(batch), '--steps', String(steps), '--warmup', String(warmup)], { encoding: 'utf8' });
  const line = out.trim().split('\n').pop()!;
  return JSON.parse(line);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Step times (ms) of the ganforge engine training specs/dcgan-mnist.json, after `warmup` steps. */
async function engineSteps(backend: BackendRequest, batch: number, steps: number, warmup: number): Promise<{ times: number[]; backend: string }> {
  const { validateSpec } = await import('../packages/core/src/spec/validate.ts');
  const { runTraining, silentLogger } = await import('../packages/core/src/engine/run-training.ts');
  const json = JSON.parse(readFileSync(join(ROOT, 'specs/dcgan-mnist.json'), 'utf8'));
  // The peer's nets and plain DCGAN step, whatever the example spec's recipe is: G width 64 with BN and
  // LeakyReLU, D width 64 without BN; no self-conditioning and no weight average (the peer has neither).
  json.models.generator.options = { latentDim: 100, width: 64, kernelSize: 4, activation: 'leakyRelu', batchNorm: true };
  json.models.discriminator.options = { width: 64, kernelSize: 4, activation: 'leakyRelu', batchNorm: false };
  json.objective = { use: 'dcgan/dcgan' };
  delete json.training.ema;
  json.training.batchSize = batch;
  const { spec, registry, specDir } = await validateSpec(json, { cwd: ROOT });
  const outDir = mkdtempSync(join(tmpdir(), 'ganforge-bench-'));
  const times: number[] = [];
  let last = 0;
  try {
    const result = await runTraining({
      spec, registry, specDir, cwd: ROOT, outDir, log: silentLogger,
      steps: warmup + steps,
      backend: backend === 'auto' ? undefined : backend,
      onStep: () => {
        const now = performance.now();
        if (last) times.push(now - last);
        last = now;
      },
    });
    return { times: times.slice(Math.max(0, warmup - 1)), backend: result.backend.name };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function addPeer(result: Record<string, unknown>, args: string[], batch: number, steps: number, warmup: number): void {
  if (args.includes('--no-peer')) return;
  const peer = runPeer(batch, steps, warmup);
  if (!peer) return;
  result.pytorch_img_per_s = peer.img_per_s;
  result.ratio_vs_pytorch = Math.round(((result.img_per_s as number) / peer.img_per_s) * 1000) / 1000;
}

export async function main(args: string[]): Promise<void> {
  const requested = (arg(args, 'backend', 'auto') as BackendRequest);
  const steps = Number(arg(args, 'steps', '10'));
  const warmup = Number(arg(args, 'warmup', '3'));
  const batch = Number(arg(args, 'batch', '64'));
  const threads = arg(args, 'threads');
  if (args.includes('--engine')) {
    const { times, backend } = await engineSteps(requested, batch, steps, warmup);
    const ms = times.reduce((a, b) => a + b, 0) / times.length;
    const result: Record<string, unknown> = {
      backend, path: 'engine', img_per_s: Math.round((batch * 1000 / ms) * 100) / 100, ms_per_step: Math.round(ms * 100) / 100,
      ms_per_step_median: Math.round(median(times) * 100) / 100, batch, steps: times.length,
      threads: backend === 'wasm' ? tfWasm.getThreadsCount() : undefined, load_avg_1m: Math.round(loadavg()[0]! * 100) / 100,
    };
    addPeer(result, args, batch, steps, warmup);
    console.log(JSON.stringify(result));
    return;
  }
  const parity = arg(args, 'parity');
  if (parity) {
    const n = Number(parity);
    const losses: Record<string, number[][]> = {};
    for (const be of ['cpu', requested] as const) {
      const s = await selectBackend(be, () => {}, threads ? { wasmThreads: Number(threads) } : {});
      const st = dcganStep({ batch });
      losses[s.name] = Array.from({ length: n }, (_, i) => st.step(i));
      st.dispose();
    }
    const [a, b] = Object.values(losses) as [number[][], number[][]];
    let maxRel = 0;
    a.forEach((row, i) => row.forEach((v, j) => { maxRel = Math.max(maxRel, Math.abs(v - b[i]![j]!) / Math.max(Math.abs(v), 1e-3)); }));
    console.log(JSON.stringify({ parity: Object.keys(losses), steps: n, batch, max_rel_loss_diff: maxRel, last: { cpu: a[n - 1], other: b[n - 1] } }));
    return;
  }
  const sel = await selectBackend(requested, (m) => process.stderr.write(m + '\n'), threads ? { wasmThreads: Number(threads) } : {});
  if (args.includes('--stock') && sel.name === 'wasm') {
    // "Before": the stock wasm kernels everywhere, plus the one kernel without which nothing trains
    // (Conv2DBackpropFilter). Use with --threads 1 for the shipped single-threaded backend.
    const { restoreStockKernel } = await import('../packages/core/src/engine/wasm/register.ts');
    for (const k of ['Conv2DBackpropInput', 'Identity', 'BatchMatMul', 'Sum', 'Mean', 'LeakyRelu']) restoreStockKernel(k);
    tf.unregisterKernel('GanforgeLeakyReluGrad', 'wasm');
  }
  const step = dcganStep({ batch });
  for (let i = 0; i < warmup; i++) step.step(i);
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    step.step(warmup + i);
    times.push(performance.now() - t);
  }
  const total = performance.now() - t0;
  let profile: Record<string, number> | undefined;
  if (args.includes('--profile')) {
    const reps = 2;
    const acc: Record<string, number> = {};
    for (let r = 0; r < reps; r++) {
      const info = await tf.profile(() => { step.step(1000 + r); });
      for (const k of info.kernels) {
        const key = k.name.startsWith('Conv') ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
        acc[key] = (acc[key] ?? 0) + (k.kernelTimeMs as number) / reps;
      }
    }
    profile = Object.fromEntries(Object.entries(acc).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }
  step.dispose();
  const ms = total / steps;
  const result: Record<string, unknown> = {
    backend: sel.name,
    path: 'ops',
    img_per_s: Math.round((batch * 1000 / ms) * 100) / 100,
    ms_per_step: Math.round(ms * 100) / 100,
    ms_per_step_median: Math.round(median(times) * 100) / 100,
    batch,
    steps,
    threads: sel.name === 'wasm' ? tfWasm.getThreadsCount() : undefined,
    load_avg_1m: Math.round(loadavg()[0]! * 100) / 100,
  };
  addPeer(result, args, batch, steps, warmup);
  if (profile) result.profile_ms_per_step = profile;
  console.log(JSON.stringify(result));
}
