/**
 * What the step benchmarks share (cyclegan-step, srgan-step): a spec trained through the unchanged engine
 * (runTraining) on in-memory random images, timed between its onStep events, with the parameter count of
 * every model and, on request, a per-kernel profile of two more steps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from './tf.ts';
import type { ArchitectureDefinition, GanforgePlugin } from '../../packages/core/src/plugin/types.ts';
import { defineDataset, definePlugin } from '../../packages/core/src/plugin/define.ts';
import '../../packages/core/src/node/index.ts'; // registers Node's host (files, backends) as the default

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** In-memory random images in [0, 1] (deterministic per index): the benchmarks time compute, not data. */
const random = defineDataset({
  description: 'Random images for the step benchmarks: side x side x channels, values in [0, 1].',
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

/** The "bench/random" dataset for step benchmark specs. */
export const benchPlugin = definePlugin({
  meta: { name: 'ganforge-bench', version: '0.0.0', namespace: 'bench', core: '*', apiVersion: 1 },
  datasets: { random },
});

/** A plugin with every architecture reporting the parameter count of what it builds, by model name. */
export function counting(plugin: GanforgePlugin, params: Record<string, number>): GanforgePlugin {
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

export interface EngineRun {
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
export async function engineSteps(json: Record<string, unknown>, plugin: GanforgePlugin, steps: number, warmup: number, profileSteps = 0): Promise<EngineRun> {
  const { validateSpec } = await import('../../packages/core/src/spec/validate.ts');
  const { runTraining, silentLogger } = await import('../../packages/core/src/engine/run-training.ts');
  const params: Record<string, number> = {};
  const { spec, registry, specDir } = await validateSpec(json, { cwd: ROOT, plugins: [counting(plugin, params), benchPlugin] });
  const outDir = mkdtempSync(join(tmpdir(), 'ganforge-bench-steps-'));
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

