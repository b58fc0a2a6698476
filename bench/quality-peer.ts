/**
 * `pnpm bench quality-peer [--spec specs/dcgan-mnist.json] [--steps N] [--n 1000] [--threads 1]`
 *
 * The fair comparison for the quality table: PyTorch trains the same nets with the same recipe on the same
 * training digits (bench/torch_dcgan_recipe.py), and its samples are scored here with the same plugin-eval
 * metrics, N and held-out digits as `pnpm bench quality` scores ganforge's run. A much better PyTorch score
 * means a ganforge bug (initializers, batch norm, Adam, data scaling, EMA), not a weak recipe.
 *
 * Only dcgan/dcgan specs with dcgan/generator + dcgan/discriminator at 28x28x1 (what the peer builds).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '../packages/core/src/engine/tf.js';
import { Evaluator } from '../packages/core/src/eval/evaluator.js';
import { openStreams } from '../packages/core/src/eval/evaluate-run.js';
import { nodeStorage } from '../packages/core/src/node/index.js';
import { PluginDriver } from '../packages/core/src/plugin/driver.js';
import { validateSpec } from '../packages/core/src/spec/validate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const silent = { info() {}, warn() {}, debug() {} };
const PYTHON = process.env.GANFORGE_PYTHON ?? '/usr/bin/python3';

export interface PeerQuality {
  spec: string;
  steps: number;
  n: number;
  heldOut: unknown;
  machine: string;
  loadAtStart: number;
  peer: Record<string, unknown>;
  metrics: { fid: number | undefined; kid: number | undefined; coverage: number | undefined; confident: number | undefined };
}

export async function main(argv: string[]): Promise<void> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      spec: { type: 'string', default: 'specs/dcgan-mnist.json' },
      steps: { type: 'string' },
      n: { type: 'string', default: '1000' },
      threads: { type: 'string', default: '1' },
    },
  });
  console.log(JSON.stringify(await peerQuality(args.spec!, { steps: args.steps ? Number(args.steps) : undefined, n: Number(args.n), threads: Number(args.threads) })));
}

/**
 * PyTorch trains the spec's nets with its recipe (bench/torch_dcgan_recipe.py) on the same training digits;
 * its samples are scored with the same metrics, N and held-out digits. Throws for specs the peer cannot mirror.
 */
export async function peerQuality(specPath: string, o: { steps?: number; n?: number; threads?: number } = {}): Promise<PeerQuality> {
  const args = { spec: specPath, steps: o.steps === undefined ? undefined : String(o.steps), n: String(o.n ?? 1000), threads: String(o.threads ?? 1) };
  const file = resolve(root, args.spec!);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  delete json.$schema;
  const [streamName, data] = Object.entries(json.data as Record<string, { validationSplit?: number }>)[0]!;
  // The held-out split bench quality uses when a spec sets none.
  json.data = { ...json.data, [streamName]: { ...data, validationSplit: data.validationSplit || 0.1 } };
  const metrics = { fid: { use: 'eval/fid', options: {} }, kid: { use: 'eval/kid', options: {} }, coverage: { use: 'eval/coverage', options: {} } };
  if (!json.plugins.includes('eval')) json.plugins.push('eval');
  const n = Number(args.n);
  const { spec, registry, specDir } = await validateSpec({ ...json, evaluation: { samples: n, metrics } }, { cwd: root });
  if (spec.objective.use !== 'dcgan/dcgan' || spec.models.generator?.use !== 'dcgan/generator' || spec.models.discriminator?.use !== 'dcgan/discriminator') {
    throw new Error(`quality-peer mirrors dcgan/dcgan with dcgan/generator + dcgan/discriminator only; ${args.spec} is something else.`);
  }
  const g = spec.models.generator!.options as { width: number; latentDim: number; activation: string; batchNorm: boolean; conditional: string };
  const d = spec.models.discriminator!.options as { width: number; batchNorm: boolean; activation: string };
  if (g.activation !== 'relu' || !g.batchNorm || g.conditional !== 'none' || !d.batchNorm || d.activation !== 'leakyRelu' || d.width !== g.width) {
    throw new Error('quality-peer builds ReLU+BN G and LeakyReLU+BN D of one width, unconditional: the spec differs.');
  }
  // What the peer builds besides the plain DCGAN: self-conditioning by pixel clusters (generator codes =
  // projection D classes = objective clusters). Anything else it does not build (refinement, q, multi-output D,
  // regularizers...) is refused rather than compared with a plain PyTorch DCGAN.
  const extra = spec.models.generator!.options as { codes?: number; refine?: number };
  const dExtra = spec.models.discriminator!.options as { conditional?: string; classes?: number; outputs?: number; spectralNorm?: boolean; minibatchStddev?: number };
  const objectiveOptions = (spec.objective.options ?? {}) as Record<string, number>;
  const codes = extra.codes ?? 0;
  const selfConditioned = codes > 0 && dExtra.conditional === 'projection' && dExtra.classes === codes && objectiveOptions.clusters === codes;
  const unmirrored = [
    ...(codes && !selfConditioned ? ['generator codes without pixel-cluster self-conditioning'] : []), ...(extra.refine ? ['generator refine'] : []),
    ...(dExtra.conditional && dExtra.conditional !== 'none' && !selfConditioned ? ['conditional discriminator'] : []), ...((dExtra.outputs ?? 1) !== 1 ? ['discriminator outputs'] : []),
    ...(dExtra.spectralNorm ? ['spectral norm'] : []), ...(dExtra.minibatchStddev ? ['minibatch stddev'] : []),
    ...Object.keys(spec.models).filter((m) => m !== 'generator' && m !== 'discriminator').map((m) => `model "${m}"`),
    ...(spec.losses.adversarial?.use !== 'core/non-saturating' || (spec.losses.adversarial?.weight ?? 1) !== 1 || ((spec.losses.adversarial?.options ?? {}) as { labelSmoothing?: number }).labelSmoothing
      ? [`adversarial loss ${spec.losses.adversarial?.use} (the peer: non-saturating BCE)`] : []),
    ...((spec.losses.featureMatching?.weight ?? 0) !== 0 ? ['feature matching'] : []),
    ...['clusters', 'r1', 'r2', 'consistency'].filter((k) => (objectiveOptions[k] ?? 0) !== 0 && !(k === 'clusters' && selfConditioned)).map((k) => `objective option ${k}`),
  ];
  if (unmirrored.length > 0) {
    throw new Error(`quality-peer mirrors the plain DCGAN recipe; ${args.spec} also has ${unmirrored.join(', ')}.`);
  }
  const opt = spec.training.optimizers as Record<string, { type: string; lr: number; beta1: number; beta2: number; epsilon: number }>;
  const gOpt = opt.generator!, dOpt = opt.discriminator!;
  const adam = (o: typeof gOpt) => JSON.stringify([o.type, o.lr, o.beta1, o.beta2, o.epsilon]);
  if (gOpt.type !== 'adam' || adam(gOpt) !== adam(dOpt)) {
    throw new Error(`quality-peer uses one Adam setting for both nets: the spec has ${JSON.stringify(opt)}.`);
  }
  const steps = args.steps ? Number(args.steps) : spec.training.steps!;
  const ema = spec.training.ema as { decay: number; startStep: number } | undefined;

  const driver = new PluginDriver(registry);
  const streams = await openStreams(spec, driver, specDir, nodeStorage(root), silent);
  const evaluator = await Evaluator.create({ tf, spec, driver, streams, n, log: silent });
  const dir = mkdtempSync(join(tmpdir(), 'gf-quality-peer-'));
  try {
    // The training digits, scaled as ganforge trains on them: one pass over the training split.
    const stream = streams[evaluator.reference.stream]!;
    const [, h, w, c] = evaluator.reference.shape;
    const size = stream.info.size;
    const train = new Float32Array(size * h * w * c);
    for (let filled = 0; filled < size; ) {
      const batch = stream.take();
      const count = Math.min(batch.shape[0], size - filled);
      train.set(batch.x.subarray(0, count * h * w * c), filled * h * w * c);
      filled += count;
    }
    writeFileSync(join(dir, 'train.f32'), Buffer.from(train.buffer));
    const load = loadavg()[0]!;
    const peerArgs = [
      fileURLToPath(new URL('./torch_dcgan_recipe.py', import.meta.url)),
      '--data', join(dir, 'train.f32'), '--out', join(dir, 'samples.f32'), '--samples', String(evaluator.n),
      '--steps', String(steps), '--batch', String(spec.training.batchSize), '--width', String(g.width), '--latent', String(g.latentDim),
      '--lr', String(gOpt.lr), '--beta1', String(gOpt.beta1), '--beta2', String(gOpt.beta2), '--adam-eps', String(gOpt.epsilon),
      '--ema-decay', String(ema?.decay ?? 0), '--ema-start', String(ema ? ema.startStep : steps + 1),
      '--threads', args.threads!, '--seed', String(spec.training.seed), '--codes', String(selfConditioned ? codes : 0),
    ];
    const peer = JSON.parse(execFileSync(PYTHON, peerArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!) as Record<string, unknown>;
    const samples = new Float32Array(readFileSync(join(dir, 'samples.f32')).buffer.slice(0));
    const values = await evaluator.evaluate({ data: samples, shape: [evaluator.n, h, w, c] });
    const result: PeerQuality = {
      spec: spec.name,
      steps,
      n: evaluator.n,
      heldOut: evaluator.reference.split,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
      loadAtStart: Math.round(load * 10) / 10,
      peer,
      metrics: { fid: values.fid!.value, kid: values.kid!.value, coverage: values.coverage!.value, confident: values.coverage!.confident },
    };
    return result;
  } finally {
    evaluator.dispose();
    await Promise.all(Object.values(streams).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}
