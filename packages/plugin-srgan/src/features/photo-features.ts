/**
 * The packaged feature network of "srgan/perceptual": a small VGG-style net (3x3 convs + ReLU, max-pooling;
 * widths 16, 32, 64) trained once, offline, by scripts/train-photo-features.ts on random patches of the seven
 * training photos of srgan/photos (task: which photo, which quarter turn), shipped as weights/photo-features.*.
 * It plays the part VGG19 plays in SRGAN (no ImageNet net installs offline). Images in [-1, 1], any size.
 * Feature taps: "block1" (after 2 convs, full size), "block2" (after 2 more, 1/2), "block3" (1/4).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GanforgeError, type LayersModel, type SymbolicTensor, type TF } from '@ganforge/core';

export const PHOTO_FEATURES_VERSION = 1;
export const FEATURE_TAPS = ['block1', 'block2', 'block3'] as const;
export type FeatureTap = (typeof FEATURE_TAPS)[number];
export const PATCH_CLASSES = 28; // 7 photos × 4 quarter turns
export const WEIGHTS_FILE = new URL('../../weights/photo-features.bin', import.meta.url);
export const MANIFEST_FILE = new URL('../../weights/photo-features.json', import.meta.url);

export interface FeaturesManifest {
  version: number;
  sha256: string;
  weights: { name: string; shape: number[] }[];
  training: Record<string, unknown>;
}

/** The whole net: image → (block1, block2, block3, logits over photo × turn). Initialisers seeded. */
export function buildPhotoFeatures(tf: TF, seed = 0): LayersModel {
  let n = 0;
  const conv = (x: SymbolicTensor, filters: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed * 16 + n++ }), name }).apply(x) as SymbolicTensor;
  const pool = (x: SymbolicTensor, name: string) => tf.layers.maxPooling2d({ poolSize: 2, name }).apply(x) as SymbolicTensor;
  const image = tf.input({ shape: [null, null, 3], name: 'image' });
  const block1 = conv(conv(image, 16, 'conv1_1'), 16, 'block1');
  const block2 = conv(conv(pool(block1, 'pool1'), 32, 'conv2_1'), 32, 'block2');
  const block3 = conv(conv(pool(block2, 'pool2'), 64, 'conv3_1'), 64, 'block3');
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(block3) as SymbolicTensor;
  const logits = tf.layers.dense({ units: PATCH_CLASSES, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 16 + n++ }), name: 'logits' }).apply(pooled) as SymbolicTensor;
  return tf.model({ inputs: image, outputs: [block1, block2, block3, logits], name: 'photo_features' });
}

/** The committed weights in a fresh net, frozen, checked against the manifest's sha256 and shapes. */
export function loadPhotoFeatures(tf: TF): { model: LayersModel; manifest: FeaturesManifest } {
  const missing = (what: string, cause?: unknown) =>
    new GanforgeError('GF_PLUGIN_LOAD', `The photo feature net of @ganforge/plugin-srgan is ${what}.`, {
      hint: 'Reinstall @ganforge/plugin-srgan; in the repository, run `pnpm train:photo-features`.',
      cause,
    });
  let manifest: FeaturesManifest;
  let bytes: Buffer;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as FeaturesManifest;
    bytes = readFileSync(WEIGHTS_FILE);
  } catch (cause) {
    throw missing('missing (weights/photo-features.json or .bin)', cause);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== manifest.sha256 || manifest.version !== PHOTO_FEATURES_VERSION) throw missing('damaged or stale: its weights do not match their manifest');
  const model = buildPhotoFeatures(tf);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const values = model.weights.map((weight, i) => {
    if (manifest.weights[i]?.shape.join('x') !== weight.shape.join('x')) throw missing(`stale: weight ${weight.name} is ${weight.shape.join('x')} here, ${manifest.weights[i]?.shape.join('x') ?? 'absent'} in the manifest`);
    const size = (weight.shape as number[]).reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(floats.subarray(offset, offset + size), weight.shape as number[]);
    offset += size;
    return tensor;
  });
  model.setWeights(values);
  tf.dispose(values);
  model.trainable = false;
  return { model, manifest };
}
