/**
 * Trains the MNIST feature classifier once, offline, and writes weights/mnist-features.{bin,json}.
 *   pnpm train:mnist-features [--epochs 10] [--backend wasm|cpu]
 * Fixed seed: initialisers, shuffle order and augmentation are all seeded, so a rerun on the same backend
 * gives the same weights. Trains on the "train" split of @ganforge/plugin-mnist (first 90 % of each digit)
 * and reports accuracy on its "validation" split (last 10 %), which training never sees.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nodeHost, xorshift32, type DataSource, type LayersModel, type Scalar, type Tensor, type Variable } from '@ganforge/core';
// The engine's tf and backend selection (which also registers its wasm training kernels), as plugin tests use them.
import { entryOptions, silentLog, tf, useBackend } from '@ganforge/core/testing';
import mnist from '@ganforge/plugin-mnist';
import { buildClassifier, CLASSIFIER_VERSION, MANIFEST_FILE, NUM_CLASSES, WEIGHTS_FILE, type ClassifierManifest } from '../src/classifier.js';

const SEED = 20241;
const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'wasm' },
    'batch-size': { type: 'string', default: '64' },
  },
});
const epochs = Number(args.epochs);
const batchSize = Number(args['batch-size']);

function open(split: 'train' | 'validation'): { x: Uint8Array; y: Int32Array; n: number } {
  const digits = mnist.datasets!.digits!;
  // Options as a spec would give them: validated, with the schema's defaults (all ten digits).
  const options = entryOptions<Parameters<typeof digits.open>[0]['options']>(digits, { split, validationFraction: 0.1 });
  const source = digits.open({ tf, options, specDir: '.', storage: nodeHost().storage, log: silentLog }) as DataSource;
  const n = source.info.size;
  const raw = source.read([...Array(n).keys()]) as { x: Uint8Array; label: Int32Array };
  return { x: raw.x, y: raw.label, n };
}

/** Copies image `i` into `out` at `row`, shifted by (dy, dx) pixels with zero fill, scaled to [0, 1]. */
function shifted(x: Uint8Array, i: number, dy: number, dx: number, out: Float32Array, row: number): void {
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      const sr = r - dy;
      const sc = c - dx;
      out[row * 784 + r * 28 + c] = sr >= 0 && sr < 28 && sc >= 0 && sc < 28 ? x[i * 784 + sr * 28 + sc]! / 255 : 0;
    }
  }
}

async function accuracy(model: LayersModel, data: { x: Uint8Array; y: Int32Array; n: number }): Promise<number> {
  let correct = 0;
  for (let start = 0; start < data.n; start += 500) {
    const size = Math.min(500, data.n - start);
    const pixels = new Float32Array(size * 784);
    for (let k = 0; k < size; k++) shifted(data.x, start + k, 0, 0, pixels, k);
    const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor4d(pixels, [size, 28, 28, 1])) as Tensor, 1));
    const labels = await predicted.data();
    predicted.dispose();
    for (let k = 0; k < size; k++) if (labels[k] === data.y[start + k]) correct++;
  }
  return correct / data.n;
}

async function main(): Promise<void> {
  await useBackend(args.backend as 'wasm' | 'cpu');
  const train = open('train');
  const heldOut = open('validation');
  console.log(`backend ${tf.getBackend()}: ${train.n} training digits, ${heldOut.n} held-out digits, ${epochs} epochs`);

  const model = buildClassifier(tf, SEED);
  const optimizer = tf.train.adam(1e-3);
  // The seeded source of shuffles and shifts: the committed weights were trained with exactly this sequence.
  const random = xorshift32(SEED);
  const started = Date.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Step decay in the last epochs settles the weights.
    optimizer.learningRate = epoch >= epochs - 2 ? 1e-4 : 1e-3;
    const order = Array.from({ length: train.n }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start + batchSize <= train.n; start += batchSize) {
      const pixels = new Float32Array(batchSize * 784);
      const labels = new Int32Array(batchSize);
      for (let k = 0; k < batchSize; k++) {
        const i = order[start + k]!;
        // Shifts of up to 2 px: cheap augmentation, so features depend less on exact position.
        shifted(train.x, i, Math.floor(random() * 5) - 2, Math.floor(random() * 5) - 2, pixels, k);
        labels[k] = train.y[i]!;
      }
      const loss = tf.tidy(() => {
        const xs = tf.tensor4d(pixels, [batchSize, 28, 28, 1]);
        const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as Tensor) as Scalar, true, model.trainableWeights.map((w) => (w as unknown as { val: Variable }).val));
      });
      lossSum += (await loss!.data())[0]!;
      loss!.dispose();
      batches++;
    }
    const acc = await accuracy(model, heldOut);
    console.log(`epoch ${epoch + 1}/${epochs}: loss ${(lossSum / batches).toFixed(4)}, held-out accuracy ${(acc * 100).toFixed(2)} %, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }

  const heldOutAccuracy = await accuracy(model, heldOut);
  const trainAccuracy = await accuracy(model, train);
  const parts = await Promise.all(model.weights.map((w) => w.read().data() as Promise<Float32Array>));
  const total = parts.reduce((a, p) => a + p.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    flat.set(p, offset);
    offset += p.length;
  }
  const bytes = Buffer.from(flat.buffer);
  writeFileSync(WEIGHTS_FILE, bytes);
  const manifest: ClassifierManifest = {
    version: CLASSIFIER_VERSION,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    weights: model.weights.map((w) => ({ name: w.name, shape: w.shape as number[] })),
    training: {
      script: 'packages/plugin-eval/scripts/train-mnist-features.ts',
      data: '@ganforge/plugin-mnist "mnist/digits", split "train", validationFraction 0.1 (first 90 % of each digit)',
      images: train.n,
      seed: SEED,
      epochs,
      batchSize,
      optimizer: 'adam lr 1e-3, 1e-4 in the last 2 epochs',
      augmentation: 'random shifts of up to 2 px',
      backend: tf.getBackend(),
      trainAccuracy: Math.round(trainAccuracy * 10000) / 10000,
      seconds: Math.round((Date.now() - started) / 1000),
    },
    heldOut: {
      accuracy: Math.round(heldOutAccuracy * 10000) / 10000,
      images: heldOut.n,
      split: '@ganforge/plugin-mnist "mnist/digits", split "validation", validationFraction 0.1 (last 10 % of each digit), never trained on',
    },
  };
  writeFileSync(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`held-out accuracy ${(heldOutAccuracy * 100).toFixed(2)} % on ${heldOut.n} digits; wrote ${bytes.length} bytes of weights`);
  if (heldOutAccuracy < 0.98) {
    console.error('held-out accuracy is below the 98 % the evaluation needs');
    process.exitCode = 1;
  }
}

await main();
