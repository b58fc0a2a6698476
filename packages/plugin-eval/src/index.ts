/**
 * @ganforge/plugin-eval: metrics for ganforge runs on MNIST-like digits ("eval/fid", "eval/kid",
 * "eval/coverage", "eval/label-accuracy", and "eval/input-l1" for image → image artifacts), measured in the feature space of a small digit classifier
 * trained by this package (weights committed in weights/). The numbers compare ganforge runs with each other;
 * they are not comparable with Inception-based FID/KID from papers.
 */
import { readFileSync } from 'node:fs';
import { definePlugin } from '@ganforge/core';
import { coverageMetric } from './coverage.js';
import { fidMetric } from './fid.js';
import { inputL1Metric } from './input-l1.js';
import { kidMetric } from './kid.js';
import { labelAccuracyMetric } from './label-accuracy.js';

// src/ and dist/ sit at the same depth below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'eval', core: '^0.1.0', apiVersion: 1 },
  metrics: { fid: fidMetric, kid: kidMetric, coverage: coverageMetric, 'label-accuracy': labelAccuracyMetric, 'input-l1': inputL1Metric },
});

export { fitGaussian, frechetDistance, type Gaussian } from './frechet.js';
export { kernelDistance, type KidOptions, type KidResult } from './mmd.js';
export { loadClassifier, buildClassifier, FEATURE_SIZE, type FeatureExtractor, type ClassifierManifest } from './classifier.js';
