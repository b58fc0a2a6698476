/** Tests only: tiny SRResNet / SRGAN specs (width 4, one residual block, scale 2) on 16 px test images, trained in a temp folder. */
import { trainSpec, type TrainedSpec } from '@ganforge/core/testing';
import srgan from '../index.js';
import { testPlugin } from './test-plugin.js';

/** The core's own entries (core/mse, core/non-saturating) are always there. */
export const plugins = [srgan, testPlugin];

export interface TinyOptions {
  objective?: 'srresnet' | 'srgan';
  side?: number;
  scale?: number;
  steps?: number;
  batchSize?: number;
  backend?: 'cpu' | 'wasm';
  lr?: number;
  output?: Record<string, unknown>;
}

/** A tiny spec: generator width 4 with one residual block, discriminator width 4 with two stride-2 groups. */
export function tinySpec(o: TinyOptions = {}): Record<string, any> {
  const objective = o.objective ?? 'srresnet';
  const lr = o.lr ?? 1e-3;
  const models: Record<string, unknown> = { generator: { use: 'srgan/srresnet', options: { width: 4, blocks: 1, scale: o.scale ?? 2 } } };
  const optimizers: Record<string, unknown> = { generator: { lr } };
  if (objective === 'srgan') {
    models.discriminator = { use: 'srgan/discriminator', options: { width: 4, depth: 2, dense: 16 } };
    optimizers.discriminator = { lr };
  }
  return {
    name: `${objective}-tiny`,
    data: { hr: { use: 'srgan-test/images', options: { side: o.side ?? 16, channels: 3, size: 24 } } },
    models,
    objective: { use: `srgan/${objective}` },
    training: { batchSize: o.batchSize ?? 4, steps: o.steps ?? 4, seed: 5, backend: o.backend ?? 'cpu', optimizers },
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
