/**
 * pnpm bench cyclegan-step [--backend auto|wasm|cpu|tensorflow|tensorflow-gpu] [--size 28] [--channels-a 1]
 *                          [--channels-b 1] [--width 32] [--blocks 6] [--dwidth 32] [--dlayers 3] [--batch 8]
 *                          [--steps 10] [--warmup 3] [--threads N] [--peer-threads N] [--no-peer] [--profile]
 *
 * Times one full CycleGAN training step through the ganforge engine (runTraining with the cyclegan plugin:
 * the generators phase, adversarial LSGAN on both directions + cycle L1 ×10 + identity L1 ×5, then the
 * discriminators phase on real vs pooled fakes) on in-memory random images of two domains, and prints one
 * JSON line {backend, img_per_s, ms_per_step_median, params, ...}. img_per_s counts the images of one
 * domain per step (= batch), from the median step time (time between the engine's onStep events, after
 * `warmup` steps). Then, when /usr/bin/python3 has torch, the PyTorch peer bench/torch_cyclegan.py runs the
 * same nets and step with the same options in the same invocation (same thread count as ours unless
 * --peer-threads) and `pytorch_img_per_s`, `pytorch_params` and `ratio_vs_pytorch` are added.
 * Defaults: the demo's sizes, those of specs/cyclegan-digits.json (28x28x1 ↔ 28x28x1; generators width 16
 * with 3 residual blocks, PatchGANs width 16 with 2 stride-2 layers, batch 4, when this was written); without
 * that file 28x28x1 ↔ 28x28x1, width 32, 6 blocks, D width 32 with 3 layers, batch 8.
 * --profile trains 2 more steps after the timed ones under tf.profile's recorder and adds a per-kernel
 * table: kernel time per step (ms) by kernel name (convolutions by input shapes too), top 15, and the sum.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tfWasm } from './lib/tf.ts';
import { arg, engineSteps, median, round } from './lib/engine-steps.ts';
import type { BackendRequest } from '../packages/core/src/engine/choose-backend.ts';
import type { GanforgePlugin } from '../packages/core/src/plugin/types.ts';
import cyclegan from '../packages/plugin-cyclegan/src/index.ts';

const PEER = fileURLToPath(new URL('./torch_cyclegan.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CycleganOptions {
  size: number;
  channelsA: number;
  channelsB: number;
  width: number;
  blocks: number;
  dwidth: number;
  dlayers: number;
  batch: number;
}

/** The spec: the peer's nets and step (norm "instance", pool 50, Adam 2e-4/0.5/0.999 are the objective's defaults). */
export function cycleganSpec(o: CycleganOptions, backend: BackendRequest): Record<string, unknown> {
  const gen = (from: string, to: string) => ({ use: 'cyclegan/resnet-generator', options: { width: o.width, blocks: o.blocks, norm: 'instance', from, to } });
  const dis = (stream: string) => ({ use: 'cyclegan/patchgan', options: { width: o.dwidth, layers: o.dlayers, norm: 'instance', leakySlope: 0.2, stream } });
  return {
    name: 'cyclegan-bench',
    data: {
      a: { use: 'bench/random', options: { side: o.size, channels: o.channelsA, seed: 1 } },
      b: { use: 'bench/random', options: { side: o.size, channels: o.channelsB, seed: 2 } },
    },
    models: { gAB: gen('a', 'b'), gBA: gen('b', 'a'), dA: dis('a'), dB: dis('b') },
    objective: { use: 'cyclegan/cyclegan', options: { poolSize: 50 } },
    losses: {
      adversarial: { use: 'cyclegan/lsgan' },
      cycle: { use: 'core/l1', weight: 10 },
      // The identity terms need as many channels on both sides (the peer skips them likewise).
      identity: { use: 'core/l1', weight: o.channelsA === o.channelsB ? 5 : 0 },
    },
    training: {
      batchSize: o.batch,
      steps: 1,
      seed: 0,
      backend,
      optimizers: { generators: { lr: 2e-4, beta1: 0.5, beta2: 0.999 }, discriminators: { lr: 2e-4, beta1: 0.5, beta2: 0.999 } },
    },
    output: { logEvery: 1_000_000, sampleEvery: 1_000_000, checkpointEvery: 1_000_000, export: false },
  };
}

export interface PeerResult {
  img_per_s: number;
  ms_per_step: number;
  ms_per_step_median: number;
  threads: number;
  version?: string;
  params: Record<string, number>;
}

export function runPeer(o: CycleganOptions, steps: number, warmup: number, threads: number): PeerResult | undefined {
  if (!existsSync(PYTHON) || !existsSync(PEER)) return undefined;
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const out = execFileSync(
    PYTHON,
    [
      PEER, '--size', String(o.size), '--channels-a', String(o.channelsA), '--channels-b', String(o.channelsB),
      '--width', String(o.width), '--blocks', String(o.blocks), '--dwidth', String(o.dwidth), '--dlayers', String(o.dlayers),
      '--batch', String(o.batch), '--steps', String(steps), '--warmup', String(warmup), '--threads', String(threads),
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}

/**
 * The demo's sizes: the nets and batch of specs/cyclegan-digits.json (28x28x1 MNIST ↔ typeset digits) when it
 * is there, else 28x28x1 ↔ 28x28x1, width 32, 6 blocks, D width 32 with 3 layers, batch 8.
 */
export function demoDefaults(): CycleganOptions {
  const fallback: CycleganOptions = { size: 28, channelsA: 1, channelsB: 1, width: 32, blocks: 6, dwidth: 32, dlayers: 3, batch: 8 };
  const file = join(ROOT, 'specs/cyclegan-digits.json');
  if (!existsSync(file)) return fallback;
  try {
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    const g = spec.models.gAB.options ?? {};
    const dd = spec.models.dA.options ?? {};
    return {
      ...fallback,
      width: g.width ?? 64, blocks: g.blocks ?? 9, dwidth: dd.width ?? 64, dlayers: dd.layers ?? 3,
      batch: spec.training.batchSize ?? fallback.batch,
    };
  } catch {
    return fallback;
  }
}

export async function main(args: string[]): Promise<void> {
  const backend = arg(args, 'backend', 'wasm') as BackendRequest;
  const steps = Number(arg(args, 'steps', '10'));
  const warmup = Math.max(1, Number(arg(args, 'warmup', '3')));
  const threads = arg(args, 'threads', '');
  if (threads) process.env.GANFORGE_WASM_THREADS = threads;
  const d = demoDefaults();
  const o: CycleganOptions = {
    size: Number(arg(args, 'size', String(d.size))),
    channelsA: Number(arg(args, 'channels-a', String(d.channelsA))),
    channelsB: Number(arg(args, 'channels-b', String(d.channelsB))),
    width: Number(arg(args, 'width', String(d.width))),
    blocks: Number(arg(args, 'blocks', String(d.blocks))),
    dwidth: Number(arg(args, 'dwidth', String(d.dwidth))),
    dlayers: Number(arg(args, 'dlayers', String(d.dlayers))),
    batch: Number(arg(args, 'batch', String(d.batch))),
  };
  const load = round(loadavg()[0]!);
  const run = await engineSteps(cycleganSpec(o, backend), cyclegan as GanforgePlugin, steps, warmup, args.includes('--profile') ? 2 : 0);
  const ms = median(run.times);
  const ourThreads = run.backend === 'wasm' ? tfWasm.getThreadsCount() : undefined;
  const params = { ...run.params, total: Object.values(run.params).reduce((a, b) => a + b, 0) };
  const result: Record<string, unknown> = {
    bench: 'cyclegan-step', backend: run.backend, path: 'engine',
    ...o,
    img_per_s: round((o.batch * 1000) / ms),
    ms_per_step_median: round(ms),
    ms_per_step: round(run.times.reduce((a, b) => a + b, 0) / run.times.length),
    steps: run.times.length,
    threads: ourThreads,
    load_avg_1m: load,
    params,
  };
  if (!args.includes('--no-peer')) {
    const peerThreads = Number(arg(args, 'peer-threads', String(ourThreads ?? 2)));
    result.load_avg_1m_peer = round(loadavg()[0]!);
    const peer = runPeer(o, steps, warmup, peerThreads);
    if (peer) {
      result.pytorch = { version: peer.version, threads: peer.threads, img_per_s: peer.img_per_s, ms_per_step_median: peer.ms_per_step_median, ms_per_step: peer.ms_per_step };
      result.pytorch_img_per_s = peer.img_per_s;
      result.pytorch_params = peer.params;
      result.params_match = ['gAB', 'gBA', 'dA', 'dB', 'total'].every((k) => (params as Record<string, number>)[k] === peer.params[k]);
      result.ratio_vs_pytorch = round((result.img_per_s as number) / peer.img_per_s, 3);
    }
  }
  if (run.profile) result.profile_ms_per_step = run.profile;
  console.log(JSON.stringify(result));
}
