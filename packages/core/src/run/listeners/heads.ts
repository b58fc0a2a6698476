/**
 * Inference heads (the spec's `heads` section) join the run as a listener: at the end of a finished run each
 * head becomes an artifact, `<run>/<head>/`, taking images and giving one score per image. It keeps the
 * head entry and its options plus every model of the run (a head may use any of them); `loadArtifact`
 * rebuilds the head from them with the plugin that defines it.
 */
import { withAverage, type RunListener } from '../../engine/lifecycle.js';
import { numClassesOf } from '../../engine/sampling.js';
import { joinPath } from '../../host/paths.js';
import type { PluginDriver } from '../../plugin/driver.js';
import { exportArtifact, type ArtifactInfo } from '../export.js';

export function headsListener(driver: PluginDriver): RunListener & { readonly exported: { info: ArtifactInfo; dir: string }[] } {
  const exported: { info: ArtifactInfo; dir: string }[] = [];
  return {
    name: 'heads',
    exported,
    async start(_event, run) {
      // Build each head once up front, so a head that cannot be built fails before training, not after it.
      for (const [name, ref] of Object.entries(run.spec.heads ?? {})) {
        const head = driver.entry('heads', ref.use, `/heads/${name}`);
        await head.call('build', (entry) => entry.build({ tf: run.tf, options: ref.options, models: run.built.models }));
      }
    },
    async end({ step, interrupted }, run) {
      if (interrupted || !run.settings.export) return;
      const names = Object.keys(run.built.models);
      const models = Object.values(run.built.models);
      for (const [name, ref] of Object.entries(run.spec.heads ?? {})) {
        const dir = joinPath(run.runDir, name);
        const info = await withAverage(run, models, () =>
          exportArtifact(run.tf, run.storage, dir, models, {
            spec: run.spec.name,
            artifact: name,
            description: `Head ${ref.use}: one score per image.`,
            input: 'image',
            output: 'score',
            head: { use: ref.use, options: ref.options ?? {} },
            modelNames: names,
            step,
            scale: Object.values(run.built.streams)[0]!.scale,
            numClasses: numClassesOf(run.built),
            ema: run.ema !== undefined,
            plugins: run.plugins,
          }),
        );
        exported.push({ info, dir });
      }
    },
  };
}
