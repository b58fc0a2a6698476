/**
 * pnpm bench srgan-step [--backend auto|wasm|cpu|tensorflow|tensorflow-gpu] [--size 96] [--channels 3]
 *                       [--scale 4] [--width 32] [--blocks 6] [--bn 0|1] [--skip none|bilinear] [--dwidth 32] [--ddepth 3] [--dense 256]
 *                       [--batch 16] [--steps 10] [--warmup 3] [--threads N] [--peer-threads N] [--no-peer] [--profile]
 *
 * Times one full SRGAN training step through the ganforge engine (runTraining with the srgan plugin: the
 * discriminator phase on HR vs G(bicubic-downscaled HR), then the generator phase, MSE + 1e-3 adversarial)
 * on in-memory random images, and prints one JSON line {backend, img_per_s, ms_per_step_median, params, ...};
 * img_per_s counts high-res images per step (= batch) from the median step time. Then, when /usr/bin/python3
 * has torch, the PyTorch peer bench/torch_srgan.py runs the same nets and step in the same invocation (same
 * thread count as ours unless --peer-threads) and `pytorch_img_per_s` and `ratio_vs_pytorch` are added.
 * Defaults: the nets, crop and batch of specs/srgan-x4.json (when written: 96x96 RGB crops, x4, G width 32 with
 * 6 blocks, no BN, bilinear skip; D width 32, depth 3, dense 256; batch 16). --profile adds the 15 kernels that
 * take most time per step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { tfWasm } from './lib/tf.ts';
import { arg, engineSteps, median, round } from './lib/engine-steps.ts';
import type { BackendRequest } from '../packages/core/src/engine/choose-backend.ts';
import type { GanforgePlugin } from '../packages/core/src/plugin/types.ts';
import srgan from '../packages/plugin-srgan/src/index.ts';

const PEER = fileURLToPath(new URL('./torch_srgan.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

type SrganOptions = { size: number; channels: number; scale: number; width: number; blocks: number; bn: number; skip: string; dwidth: number; ddepth: number; dense: number; batch: number };
const FALLBACK: SrganOptions = { size: 96, channels: 3, scale: 4, width: 32, blocks: 6, bn: 1, skip: 'none', dwidth: 32, ddepth: 3, dense: 256, batch: 16 };

/** The nets and batch of specs/srgan-x4.json when it is there (the defaults above otherwise). */
function demoDefaults(): SrganOptions {
  try {
    const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../specs/srgan-x4.json', import.meta.url)), 'utf8'));
    const g = spec.models.generator.options ?? {};
    const d = spec.models.discriminator.options ?? {};
    const crop = spec.data.hr.options?.crop ?? FALLBACK.size;
    return {
      ...FALLBACK, size: crop, scale: g.scale ?? 4, width: g.width ?? 64, blocks: g.blocks ?? 16, bn: g.batchNorm === false ? 0 : 1, skip: g.skip ?? 'none',
      dwidth: d.width ?? 64, ddepth: d.depth ?? 4, dense: d.dense ?? 1024, batch: spec.training.batchSize ?? FALLBACK.batch,
    };
  } catch {
    return FALLBACK;
  }
}

/** The peer's nets and step (Adam 1e-4 (0.9, 0.999), MSE content, non-saturating adversarial ×1e-3: the objective's defaults). */
export function srganSpec(o: SrganOptions, backend: BackendRequest): Record<string, unknown> {
  return {
    name: 'srgan-bench',
    data: { hr: { use: 'bench/random', options: { side: o.size, channels: o.channels, seed: 1 } } },
    models: {
      generator: { use: 'srgan/srresnet', options: { width: o.width, blocks: o.blocks, scale: o.scale, batchNorm: o.bn !== 0, skip: o.skip } },
      discriminator: { use: 'srgan/discriminator', options: { width: o.dwidth, depth: o.ddepth, dense: o.dense } },
    },
    objective: { use: 'srgan/srgan' },
    training: { batchSize: o.batch, steps: 1, seed: 0, backend },
    output: { logEvery: 1_000_000, sampleEvery: 1_000_000, checkpointEvery: 1_000_000, export: false },
  };
}

function runPeer(o: SrganOptions, steps: number, warmup: number, threads: number): Record<string, any> | undefined {
  if (!existsSync(PYTHON)) return undefined;
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const flags = Object.entries(o).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const out = execFileSync(PYTHON, [PEER, ...flags, '--steps', String(steps), '--warmup', String(warmup), '--threads', String(threads)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export async function main(args: string[]): Promise<void> {
  const backend = arg(args, 'backend', 'wasm') as BackendRequest;
  const steps = Number(arg(args, 'steps', '10'));
  const warmup = Math.max(1, Number(arg(args, 'warmup', '3')));
  const threads = arg(args, 'threads', '');
  if (threads) process.env.GANFORGE_WASM_THREADS = threads;
  const o = Object.fromEntries(Object.entries(demoDefaults()).map(([k, v]) => [k, typeof v === 'number' ? Number(arg(args, k, String(v))) : arg(args, k, v)])) as SrganOptions;
  const load = round(loadavg()[0]!);
  const run = await engineSteps(srganSpec(o, backend), srgan as GanforgePlugin, steps, warmup, args.includes('--profile') ? 2 : 0);
  const ms = median(run.times);
  const ourThreads = run.backend === 'wasm' ? tfWasm.getThreadsCount() : undefined;
  const params = { ...run.params, total: Object.values(run.params).reduce((a, b) => a + b, 0) };
  const result: Record<string, unknown> = {
    bench: 'srgan-step', backend: run.backend, path: 'engine', ...o,
    img_per_s: round((o.batch * 1000) / ms),
    ms_per_step_median: round(ms),
    steps: run.times.length,
    threads: ourThreads,
    load_avg_1m: load,
    params,
  };
  if (!args.includes('--no-peer')) {
    result.load_avg_1m_peer = round(loadavg()[0]!);
    const peer = runPeer(o, steps, warmup, Number(arg(args, 'peer-threads', String(ourThreads ?? 2))));
    if (peer) {
      result.pytorch = { version: peer.version, threads: peer.threads, img_per_s: peer.img_per_s, ms_per_step_median: peer.ms_per_step_median };
      result.pytorch_img_per_s = peer.img_per_s;
      result.params_match = ['generator', 'discriminator'].every((k) => params[k as keyof typeof params] === peer.params[k]);
      result.pytorch_params = peer.params;
      result.ratio_vs_pytorch = round((result.img_per_s as number) / peer.img_per_s, 3);
    }
  }
  if (run.profile) result.profile_ms_per_step = run.profile;
  console.log(JSON.stringify(result));
}
