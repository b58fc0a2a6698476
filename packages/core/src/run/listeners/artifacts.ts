/**
 * At the end of a run that was not interrupted (and when output.export is on), every artifact the objective
 * declares is exported to <run>/<artifact>/ with the averaged weights where a weight average is kept, and
 * listed in <run>/artifacts.json (written by the run once heads are exported too). The best-step folder of
 * evaluation gets the same export.
 */
import { withAverage, type RunHandle, type RunListener } from '../../engine/lifecycle.js';
import { numClassesOf } from '../../engine/sampling.js';
import { joinPath } from '../../host/paths.js';
import { exportArtifact, type ArtifactInfo } from '../export.js';

export interface ArtifactListener extends RunListener {
  /** Artifacts exported at the end of the run. */
  readonly exported: { info: ArtifactInfo; dir: string }[];
}

/** Export every artifact of the run into `dir` (the run folder, or its best/ folder). */
export async function exportArtifacts(run: RunHandle, dir: string, step: number): Promise<{ info: ArtifactInfo; dir: string }[]> {
  const { tf, built, spec, storage } = run;
  const scale = Object.values(built.streams)[0]!.scale;
  const exported: { info: ArtifactInfo; dir: string }[] = [];
  for (const artifact of Object.values(built.artifacts)) {
    const first = artifact.modelsBuilt[0]!;
    const input = artifact.input === 'noise' && first.inputs.length > 1 ? 'noise+label' : artifact.input;
    const averaged = run.ema !== undefined && artifact.modelsBuilt.includes(run.ema.model);
    const target = joinPath(dir, artifact.name);
    const info = await withAverage(run, artifact.modelsBuilt, () =>
      exportArtifact(tf, storage, target, artifact.modelsBuilt, {
        spec: spec.name,
        artifact: artifact.name,
        description: artifact.description,
        ...(artifact.aliases?.length ? { aliases: artifact.aliases } : {}),
        ...(artifact.from !== undefined ? { from: artifact.from } : {}),
        ...(artifact.to !== undefined ? { to: artifact.to } : {}),
        ...(artifact.pairOf !== undefined && built.streams[artifact.pairOf]?.info.pair ? { pairOf: artifact.pairOf } : {}),
        input,
        output: artifact.output,
        modelNames: artifact.models,
        step,
        scale,
        numClasses: numClassesOf(built),
        ema: averaged,
        plugins: run.plugins,
      }),
    );
    exported.push({ info, dir: target });
  }
  return exported;
}

export function artifactListener(): ArtifactListener {
  const exported: { info: ArtifactInfo; dir: string }[] = [];
  return {
    name: 'artifact export',
    exported,
    async end({ step, interrupted }, run) {
      if (interrupted || !run.settings.export) return;
      exported.push(...(await exportArtifacts(run, run.runDir, step)));
    },
  };
}
