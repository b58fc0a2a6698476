/**
 * Shared by every metric of this plugin: one loaded classifier per tf instance, and one pass of it per
 * image tensor (FID, KID and coverage of one evaluation all read the same features).
 */
import { GanforgeError, type Tensor4D, type TF } from '@ganforge/core';
import { FEATURE_SIZE, IMAGE_SHAPE, loadClassifier, NUM_CLASSES, type FeatureExtractor } from './classifier.js';

export interface Extracted {
  n: number;
  /** [n, FEATURE_SIZE] row-major. */
  features: Float64Array;
  /** [n, NUM_CLASSES] row-major softmax. */
  probabilities: Float64Array;
}

const extractors = new WeakMap<object, FeatureExtractor>();
const extracted = new WeakMap<object, Promise<Extracted>>();

export function extractorFor(tf: TF): FeatureExtractor {
  let extractor = extractors.get(tf);
  if (!extractor) {
    extractor = loadClassifier(tf);
    extractors.set(tf, extractor);
  }
  return extractor;
}

/** What every metric of this plugin records about its feature space in eval.json. */
export function extractorProtocol(tf: TF): Record<string, unknown> {
  const extractor = extractorFor(tf);
  return {
    extractor: `@ganforge/plugin-eval mnist-features v${extractor.manifest.version}: small CNN, ${FEATURE_SIZE}-d penultimate layer (not Inception)`,
    extractorSha256: extractor.hash,
    extractorHeldOutAccuracy: extractor.manifest.heldOut.accuracy,
  };
}

/** Features and class probabilities of images in the pixel range `range`; computed once per tensor. */
export function featuresOf(tf: TF, images: Tensor4D, range: [number, number], metric: string): Promise<Extracted> {
  const [, h, w, c] = images.shape;
  if (h !== IMAGE_SHAPE[0] || w !== IMAGE_SHAPE[1] || c !== IMAGE_SHAPE[2]) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `${metric} measures 28x28 grayscale digits in the feature space of an MNIST classifier; these images are ${h}x${w}x${c}.`, {
      hint: 'Use eval/* metrics with MNIST-like data only, or a metrics plugin made for your data.',
    });
  }
  if (images.shape[0] < 2) throw new GanforgeError('GF_SPEC_RANGE', `${metric} needs at least 2 images, got ${images.shape[0]}.`, { hint: 'Raise evaluation.samples.' });
  let result = extracted.get(images);
  if (!result) {
    const [lo, hi] = range;
    const unit = tf.tidy(() => tf.clipByValue(tf.div(tf.sub(images, lo), hi - lo || 1), 0, 1)) as Tensor4D;
    result = extractorFor(tf)
      .run(unit)
      .finally(() => unit.dispose());
    extracted.set(images, result);
  }
  return result;
}

/** Most probable class of each image, and that probability. */
export function predictions({ n, probabilities }: Extracted): { classes: Int32Array; confidence: Float64Array } {
  const classes = new Int32Array(n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (probabilities[i * NUM_CLASSES + k]! > probabilities[i * NUM_CLASSES + best]!) best = k;
    classes[i] = best;
    confidence[i] = probabilities[i * NUM_CLASSES + best]!;
  }
  return { classes, confidence };
}
