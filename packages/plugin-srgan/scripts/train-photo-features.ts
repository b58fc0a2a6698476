/**
 * Trains the photo feature net of "srgan/perceptual" once, offline, and writes weights/photo-features.{bin,json}.
 *   pnpm train:photo-features [--steps 1500] [--backend wasm|cpu]
 * Task: for a random 48x48 patch of one of the seven training photos of srgan/photos, turned by a random
 * quarter turn (and maybe mirrored), tell which photo and which turn (28 classes). Telling photos apart
 * takes texture and tone; telling turns apart takes edges and their orientation: the features a perceptual
 * loss should compare. Seeded throughout. Reports accuracy on fresh patches of the same photos (the held-out
 * photos are never read).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nodeHost, xorshift32, type DataSource, type Scalar, type Tensor, type Variable } from '@ganforge/core';
import { entryOptions, silentLog, tf, useBackend } from '@ganforge/core/testing';
import { photosDataset } from '../src/data/photos.js';
import { buildPhotoFeatures, MANIFEST_FILE, PATCH_CLASSES, PHOTO_FEATURES_VERSION, WEIGHTS_FILE, type FeaturesManifest } from '../src/features/photo-features.js';

const SEED = 7;
const PATCH = 48;
const { values: args } = parseArgs({ options: { steps: { type: 'string', default: '1500' }, backend: { type: 'string', default: 'wasm' }, 'batch-size': { type: 'string', default: '32' } } });
const steps = Number(args.steps);
const batchSize = Number(args['batch-size']);

async function main(): Promise<void> {
  await useBackend(args.backend as 'wasm' | 'cpu');
  // Windows without turns: the script turns them itself, since the turn is the label.
  const options = entryOptions<Record<string, unknown>>(photosDataset, { split: 'train', crop: PATCH, rotate: false, flip: true });
  const source = (await photosDataset.open({ tf, options: options as never, specDir: '.', storage: nodeHost().storage, log: silentLog })) as DataSource;
  const photos = source.info.size;
  const random = xorshift32(SEED);
  const batch = () => {
    const index = Array.from({ length: batchSize }, () => Math.floor(random() * photos));
    const { x } = source.read(index, { random }) as { x: Uint8Array };
    const turns = index.map(() => Math.floor(random() * 4));
    const labels = Int32Array.from(index, (photo, k) => photo * 4 + turns[k]!);
    return tf.tidy(() => {
      const images = tf.sub(tf.div(tf.tensor4d(x, [batchSize, PATCH, PATCH, 3], 'float32'), 127.5), 1);
      const turned = tf.concat(tf.split(images, batchSize).map((image, k) => rot90(image as Tensor, turns[k]!)), 0);
      return { xs: turned, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), PATCH_CLASSES) };
    });
  };
  const rot90 = (image: Tensor, k: number): Tensor => {
    let out = image;
    for (let i = 0; i < k; i++) out = tf.reverse(tf.transpose(out, [0, 2, 1, 3]), 2);
    return out;
  };
  const model = buildPhotoFeatures(tf, SEED);
  const optimizer = tf.train.adam(1e-3);
  const variables = model.trainableWeights.map((w) => (w as unknown as { val: Variable }).val);
  const logitsOf = (x: Tensor) => (model.apply(x, { training: true }) as Tensor[])[3]!;
  const started = Date.now();
  let recent = 0;
  for (let step = 1; step <= steps; step++) {
    if (step === Math.floor(steps * 0.8)) optimizer.learningRate = 1e-4;
    const { xs, ys } = batch();
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, logitsOf(xs)) as Scalar, true, variables)!;
    recent = 0.98 * recent + 0.02 * (await loss.data())[0]!;
    tf.dispose([xs, ys, loss]);
    if (step % 100 === 0) console.log(`step ${step}/${steps}: loss ${recent.toFixed(3)}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  let correct = 0;
  const checks = 20;
  for (let i = 0; i < checks; i++) {
    const { xs, ys } = batch();
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logitsOf(xs), 1), tf.argMax(ys, 1)), 'int32')));
    correct += (await hits.data())[0]!;
    tf.dispose([xs, ys, hits]);
  }
  const accuracy = correct / (checks * batchSize);
  const parts = await Promise.all(model.weights.map((w) => w.read().data() as Promise<Float32Array>));
  const flat = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((offset, p) => (flat.set(p, offset), offset + p.length), 0);
  const bytes = Buffer.from(flat.buffer);
  writeFileSync(WEIGHTS_FILE, bytes);
  const manifest: FeaturesManifest = {
    version: PHOTO_FEATURES_VERSION,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    weights: model.weights.map((w) => ({ name: w.name, shape: w.shape as number[] })),
    training: {
      script: 'packages/plugin-srgan/scripts/train-photo-features.ts',
      data: `srgan/photos split "train" (7 photos), random ${PATCH}x${PATCH} windows, mirrored at random; label = photo × quarter turn (${PATCH_CLASSES} classes)`,
      seed: SEED,
      steps,
      batchSize,
      optimizer: 'adam 1e-3, 1e-4 for the last 20 %',
      backend: tf.getBackend(),
      accuracyOnFreshPatches: Math.round(accuracy * 1000) / 1000,
      seconds: Math.round((Date.now() - started) / 1000),
      params: model.countParams(),
    },
  };
  writeFileSync(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`accuracy on fresh patches ${(accuracy * 100).toFixed(1)} % (chance ${(100 / PATCH_CLASSES).toFixed(1)} %); wrote ${bytes.length} bytes`);
}

await main();
