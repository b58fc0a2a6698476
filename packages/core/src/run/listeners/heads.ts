/**
 * Inference heads (the spec's `heads` section) join the run as a listener: at the end of a finished run each
 * head becomes an artifact, `<run>/<head>/`, taking images and giving one score per image. It keeps the
 * head entry and its options plus every model of the run (a head may use any of them); `loadArtifact`
 * rebuilds the head from them with the plugin that defines it.
 *
 * Each head also gets its decision threshold here: a quantile of its scores on held-out images (taken as
 * normal: they are the kind of images the run trained on), saved in its ganforge.json for `ganforge score`.
 */
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { withAverage, type RunHandle, type RunListener } from '../../engine/lifecycle.js';
import { numClassesOf } from '../../engine/sampling.js';
import { joinPath } from '../../host/paths.js';
import { callHook, contractError, type PluginDriver } from '../../plugin/driver.js';
import type { Head } from '../../plugin/types.js';
import type { HeadSpec } from '../../spec/types.js';
import { scoreImages } from '../../eval/score-images.js';
import { exportArtifact, type ArtifactInfo, type HeadThreshold } from '../export.js';

/** Held-out images a threshold is set from, at most. */
const THRESHOLD_IMAGES = 5000;

export function headsListener(driver: PluginDriver): RunListener & { readonly exported: { info: ArtifactInfo; dir: string }[] } {
  const exported: { info: ArtifactInfo; dir: string }[] = [];
  const built = new Map<string, { head: Head; site: { plugin: string; entry: string } }>();
  return {
    name: 'heads',
    exported,
    async start(_event, run) {
      // Build each head once up front, so a head that cannot be built fails before training, not after it.
      for (const [name, ref] of Object.entries(run.spec.heads ?? {})) {
        const entry = driver.entry('heads', ref.use, `/heads/${name}`);
        const head = await entry.call('build', (definition) => definition.build({ tf: run.tf, options: ref.options, models: run.built.models }));
        if (!head || typeof head.score !== 'function') throw contractError({ ...entry.site, hook: 'build' }, 'did not return a head with a score() function.', `/heads/${name}`);
        built.set(name, { head, site: entry.site });
      }
    },
    async end({ step, interrupted }, run) {
      if (interrupted || !run.settings.export) return;
      const names = Object.keys(run.built.models);
      const models = Object.values(run.built.models);
      for (const [name, ref] of Object.entries(run.spec.heads ?? {})) {
        const dir = joinPath(run.runDir, name);
        const { head, site } = built.get(name)!;
        const info = await withAverage(run, models, async () => {
          const threshold = await thresholdOf(run, name, ref, (x) => callHook({ ...site, hook: 'score' }, () => head.score(x)));
          return exportArtifact(run.tf, run.storage, dir, models, {
            spec: run.spec.name,
            artifact: name,
            description: `Head ${ref.use}: one score per image.`,
            input: 'image',
            output: 'score',
            head: { use: ref.use, options: ref.options ?? {} },
            imageShape: Object.values(run.built.streams)[0]!.info.shape,
            ...(threshold ? { threshold } : {}),
            modelNames: names,
            step,
            scale: Object.values(run.built.streams)[0]!.scale,
            numClasses: numClassesOf(run.built),
            ema: run.ema !== undefined,
            plugins: run.plugins,
          });
        });
        exported.push({ info, dir });
      }
    },
  };
}

/** The head's `quantile` score over held-out images of its stream, or undefined (with a warning) when no stream holds any out. */
async function thresholdOf(run: RunHandle, name: string, ref: HeadSpec, score: (x: Tensor4D) => Tensor1D): Promise<HeadThreshold | undefined> {
  const quantile = ref.threshold?.quantile ?? 0.95;
  const streams = run.built.streams;
  const streamName = ref.threshold?.stream ?? Object.keys(streams).find((s) => streams[s]!.validationIndices.length > 0);
  const stream = streamName === undefined ? undefined : streams[streamName];
  const batch = stream ? await stream.validation(THRESHOLD_IMAGES) : undefined;
  if (!streamName || !batch) {
    run.log.warn(`head "${name}": no data stream holds images out, so no threshold is saved with it (set data.<stream>.validationSplit); \`ganforge score\` then needs --threshold.`);
    return undefined;
  }
  const scores = await scoreImages(run.tf, batch.x, batch.shape, score);
  return { value: quantileOf(scores, quantile), quantile, stream: streamName, images: scores.length };
}

/** The q-quantile with linear interpolation between order statistics (numpy's default). */
export function quantileOf(values: Float32Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
