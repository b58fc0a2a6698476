/**
 * @ganforge/plugin-anomaly: anomaly detection with GANs for ganforge.
 * - architectures "anomaly/encoder", "anomaly/decoder", "anomaly/discriminator" and the "anomaly/ganomaly"
 *   objective (GANomaly, Akçay et al. 2018): train on normal images only;
 * - the head "anomaly/score" (`heads` section): one score per image, exported with the run, used by
 *   `ganforge score` and `loadHead`;
 * - metrics "anomaly/auroc" and "anomaly/average-precision", which `ganforge eval` runs on the head.
 */
import { readFileSync } from 'node:fs';
import { definePlugin } from '@ganforge/core';
import { decoder } from './architectures/decoder.js';
import { discriminator } from './architectures/discriminator.js';
import { encoder } from './architectures/encoder.js';
import { scoreHead } from './head.js';
import { aurocMetric, averagePrecisionMetric } from './metrics/ranking-metrics.js';
import { ganomalyObjective } from './objective.js';

// src/ and dist/ sit at the same depth below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'anomaly', core: '^0.1.0', apiVersion: 1 },
  architectures: { encoder, decoder, discriminator },
  objectives: { ganomaly: ganomalyObjective },
  heads: { score: scoreHead },
  metrics: { auroc: aurocMetric, 'average-precision': averagePrecisionMetric },
});

export { auroc, averagePrecision } from './metrics/ranking.js';
