/** Tests only: a tiny CycleGAN spec (width 4, one residual block) on 8 or 16 px test images, trained in a temp folder. */
import { trainSpec, type TrainedSpec } from '@ganforge/core/testing';
import cyclegan from '../index.js';
import { testPlugin } from './test-plugin.js';

/** The core's own entries (core/l1) are always there. */
export const plugins = [cyclegan, testPlugin];

export interface TinyOptions {
  side?: number;
  channelsA?: number;
  channelsB?: number;
  steps?: number;
  batchSize?: number;
  backend?: 'cpu' | 'wasm';
  poolSize?: number;
  identity?: number;
  lr?: number;
  norm?: 'instance' | 'batch' | 'none';
  output?: Record<string, unknown>;
}

/** A tiny CycleGAN spec: generators width 4 with one residual block, PatchGANs width 4 with one stride-2 layer. */
export function tinySpec(o: TinyOptions = {}): Record<string, any> {
  const side = o.side ?? 8;
  const gen = (from: string, to: string) => ({ use: 'cyclegan/resnet-generator', options: { width: 4, blocks: 1, from, to, ...(o.norm ? { norm: o.norm } : {}) } });
  const dis = (stream: string) => ({ use: 'cyclegan/patchgan', options: { width: 4, layers: side >= 16 ? 2 : 1, stream, ...(o.norm ? { norm: o.norm } : {}) } });
  const lr = o.lr ?? 2e-3;
  return {
    name: 'cyclegan-tiny',
    data: {
      a: { use: 'cyclegan-test/images', options: { kind: 'stripes', side, channels: o.channelsA ?? 3, size: 24 } },
      b: { use: 'cyclegan-test/images', options: { kind: 'blobs', side, channels: o.channelsB ?? 3, size: 24 } },
    },
    models: { gAB: gen('a', 'b'), gBA: gen('b', 'a'), dA: dis('a'), dB: dis('b') },
    objective: { use: 'cyclegan/cyclegan', options: { poolSize: o.poolSize ?? 50 } },
    ...(o.identity !== undefined ? { losses: { identity: { use: 'core/l1', weight: o.identity } } } : {}),
    training: {
      batchSize: o.batchSize ?? 4,
      steps: o.steps ?? 4,
      seed: 3,
      backend: o.backend ?? 'cpu',
      optimizers: { generators: { lr }, discriminators: { lr } },
    },
    output: { logEvery: 1000, sampleEvery: 100000, checkpointEvery: 100000, export: false, ...o.output },
  };
}

export type TinyRun = TrainedSpec;

/** Trains `spec` with this plugin and the test datasets (see trainSpec in @ganforge/core/testing). */
export function trainTiny(
  spec: Record<string, unknown>,
  opts: Omit<Parameters<typeof trainSpec>[1], 'plugins'> = {},
): Promise<TinyRun> {
  return trainSpec(spec, { ...opts, plugins });
}
