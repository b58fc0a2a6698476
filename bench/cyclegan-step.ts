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
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tf, tfWasm } from './lib/tf.ts';
import type { BackendRequest } from '../packages/core/src/engine/choose-backend.ts';
import type { GanforgePlugin, ArchitectureDefinition } from '../packages/core/src/plugin/types.ts';
import { defineDataset, definePlugin } from '../packages/core/src/plugin/define.ts';
import '../packages/core/src/node/index.ts'; // registers Node's host (files, backends) as the default
import cyclegan from '../packages/plugin-cyclegan/src/index.ts';

const PEER = fileURLToPath(new URL('./torch_cyclegan.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

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

/** In-memory random images in [0, 1] (deterministic per index): the benchmark times compute, not data. */
const random = defineDataset({
  description: 'Random images for the CycleGAN benchmark: side x side x channels, values in [0, 1].',
  optionsSchema: {
    type: 'object',
    properties: {
      side: { type: 'integer', minimum: 4, default: 28 },
      channels: { type: 'integer', minimum: 1, maximum: 4, default: 1 },
      size: { type: 'integer', minimum: 1, default: 256 },
      seed: { type: 'integer', default: 0 },
    },
    additionalProperties: false,
  },
  open({ options }) {
    const { side, channels, size, seed } = options;
    return {
      info: { size, shape: [side, side, channels] },
      range: [0, 1],
      read(indices) {
        const per = side * side * channels;
        const x = new Float32Array(indices.length * per);
        indices.forEach((index, k) => {
          let s = (index * 2654435761 + seed * 40503 + 1) >>> 0;
          for (let i = 0; i < per; i++) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            x[k * per + i] = s / 4294967296;
          }
        });
        return { x };
      },
    };
  },
});

const benchPlugin = definePlugin({
  meta: { name: 'ganforge-bench-cyclegan', version: '0.0.0', namespace: 'bench', core: '*', apiVersion: 1 },
  datasets: { random },
});

/** The cyclegan plugin with every architecture reporting the parameter count of what it builds, by model name. */
function counting(plugin: GanforgePlugin, params: Record<string, number>): GanforgePlugin {
  const architectures = Object.fromEntries(
    Object.entries(plugin.architectures ?? {}).map(([key, def]): [string, ArchitectureDefinition] => [
      key,
      {
        ...def,
        async build(ctx) {
          const model = await def.build(ctx);
          params[ctx.name] = model.countParams();
          return model;
        },
      },
    ]),
  );
  return { ...plugin, architectures };
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

interface EngineRun {
  /** Time between consecutive onStep events (ms), after the warm-up. */
  times: number[];
  backend: string;
  params: Record<string, number>;
  /** Kernel time per step by kernel (with --profile). */
  profile?: Record<string, number>;
}

/**
 * Trains the spec for warmup + steps (+ 2 profiled) steps through runTraining and times the steps. The
 * profiled steps come last, recorded with tf.profile's machinery switched on from onStep (runTraining runs a
 * tf.profile of its own before step 1, the kernel capability check, which would end an outer one).
 */
async function engineSteps(o: CycleganOptions, backend: BackendRequest, steps: number, warmup: number, profileSteps = 0): Promise<EngineRun> {
  const { validateSpec } = await import('../packages/core/src/spec/validate.ts');
  const { runTraining, silentLogger } = await import('../packages/core/src/engine/run-training.ts');
  const params: Record<string, number> = {};
  const { spec, registry, specDir } = await validateSpec(cycleganSpec(o, backend), { cwd: ROOT, plugins: [counting(cyclegan as GanforgePlugin, params), benchPlugin] });
  const outDir = mkdtempSync(join(tmpdir(), 'ganforge-bench-cyclegan-'));
  const times: number[] = [];
  type Kernel = { name: string; inputShapes: number[][]; kernelTimeMs: number | Promise<number | { error: string }> };
  const state = (tf.engine() as unknown as { state: { profiling: boolean; activeProfile: { kernels: Kernel[] } } }).state;
  let kernels: Kernel[] = [];
  let done = 0;
  let last = 0;
  try {
    const result = await runTraining({
      spec, registry, specDir, cwd: ROOT, outDir, log: silentLogger,
      steps: warmup + steps + profileSteps,
      onStep: () => {
        const now = performance.now();
        if (last && done < warmup + steps) times.push(now - last);
        last = now;
        done++;
        if (profileSteps && done === warmup + steps) {
          state.activeProfile.kernels = [];
          state.profiling = true;
        } else if (profileSteps && done === warmup + steps + profileSteps) {
          state.profiling = false;
          kernels = state.activeProfile.kernels;
          state.activeProfile.kernels = [];
        }
      },
    });
    let profile: Record<string, number> | undefined;
    if (profileSteps) {
      const acc: Record<string, number> = {};
      // Ops with a custom gradient (tf.fused.conv2d: "fusedConv2d__op") are recorded as a kernel of their
      // scope's name whose time includes the kernels they run (recorded too): listed apart, not summed.
      const wrappers: Record<string, number> = {};
      for (const k of kernels) {
        const t = await k.kernelTimeMs;
        const ms = (typeof t === 'number' ? t : 0) / profileSteps;
        const into = k.name.endsWith('__op') ? wrappers : acc;
        const key = k.name.startsWith('Conv') ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
        into[key] = (into[key] ?? 0) + ms;
      }
      const sorted = Object.entries(acc).sort((a, b) => b[1] - a[1]);
      profile = Object.fromEntries(sorted.slice(0, 15).map(([k, v]) => [k, round(v, 1)]));
      for (const [k, v] of Object.entries(wrappers)) profile[`(wrapper, included above) ${k}`] = round(v, 1);
      profile['(others)'] = round(sorted.slice(15).reduce((s, [, v]) => s + v, 0), 1);
      profile['(sum of kernel time)'] = round(sorted.reduce((s, [, v]) => s + v, 0), 1);
      profile['(kernels per step)'] = Math.round(kernels.length / profileSteps);
    }
    return { times: times.slice(Math.max(0, warmup - 1)), backend: result.backend.name, params, profile };
  } finally {
    state.profiling = false;
    rmSync(outDir, { recursive: true, force: true });
  }
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
  const run = await engineSteps(o, backend, steps, warmup, args.includes('--profile') ? 2 : 0);
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
