/**
 * A spec model's `init`: start it from weights another run trained (SRGAN from an SRResNet run, fine-tuning,
 * transfer). The path names a run folder (the exported model of the same name, in whichever artifact holds
 * it), an artifact folder, or a model.json. The weights must match the freshly built model one for one, in
 * order and shape, so a pretrained net of another width or scale is a located spec error, never a silent
 * partial load.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import { basenameOf, dirnameOf, joinPath as join } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import type { TF } from '../plugin/types.js';
import { quoteList } from '../spec/did-you-mean.js';
import { modelFiles, readArtifactIndex, readArtifactInfo, upgradeInfo } from './export.js';

/** The folder of the exported model called `name` under `path` (run, artifact folder or model.json). */
async function locateModelDir(storage: Storage, path: string, name: string, asWritten: string, pointer: string): Promise<string> {
  if (!(await storage.exists(path))) {
    throw new GanforgeError('GF_RUN_DIR', `init: ${asWritten} does not exist (looked in ${path}).`, { pointer, hint: 'Paths in a spec resolve against the spec file\'s folder. Name a finished run\'s folder or a model.json.' });
  }
  if (!(await storage.isDirectory(path))) {
    if (basenameOf(path) === 'model.json') return dirnameOf(path);
    throw new GanforgeError('GF_RUN_DIR', `init: ${asWritten} is a file but not a model.json.`, { pointer, hint: 'Name a run folder, an artifact folder, or a model.json.' });
  }
  const index = await readArtifactIndex(storage, path);
  const artifactDirs = index ? index.artifacts.map((a) => join(path, a.dir)) : [path];
  const found: string[] = [];
  for (const dir of artifactDirs) {
    const info = upgradeInfo(await readArtifactInfo(storage, dir), basenameOf(dir));
    for (const model of info?.models ?? []) {
      if (model.name === name) return join(dir, model.path);
      found.push(model.name);
    }
  }
  if (!index && (await storage.exists(join(path, 'model.json')))) return path;
  throw new GanforgeError('GF_RUN_DIR', `init: ${asWritten} holds no exported model "${name}"${found.length ? ` (it has ${quoteList([...new Set(found)])})` : ''}.`, {
    pointer,
    hint: found.length ? 'Name the model the same in both specs, or point init at the model\'s own folder or model.json.' : 'Point init at a finished run (its models are exported when training ends), an artifact folder, or a model.json.',
  });
}

/** Overwrite `model`'s weights with those exported at `path` (resolved), after checking they match one for one. */
export async function initFromTrained(tf: TF, storage: Storage, model: LayersModel, name: string, path: string, asWritten: string): Promise<void> {
  const pointer = `/models/${name}/init`;
  const dir = await locateModelDir(storage, path, name, asWritten, pointer);
  let source: LayersModel;
  try {
    source = await tf.loadLayersModel(modelFiles(tf, storage, dir));
  } catch (cause) {
    throw new GanforgeError('GF_RUN_DIR', `init: the model in ${dir} cannot be loaded: ${(cause as Error).message}`, { pointer, cause, hint: 'Export it again, or check that the plugins its layers come from are listed in this spec.' });
  }
  try {
    const [want, have] = [model.weights, source.weights];
    const mismatch = (detail: string) =>
      new GanforgeError('GF_SPEC_CONFLICT', `init: the trained "${name}" in ${asWritten} does not fit model "${name}" of this spec: ${detail}.`, {
        pointer,
        hint: 'Give the model the same architecture and options (width, blocks, scale, …) as the run it starts from.',
      });
    if (want.length !== have.length) throw mismatch(`it has ${have.length} weight tensors, this model ${want.length}`);
    want.forEach((w, i) => {
      const s = have[i]!;
      if (w.shape.join() !== s.shape.join()) throw mismatch(`weight ${i} (${w.name}) is [${s.shape.join(', ')}] there but [${w.shape.join(', ')}] here`);
    });
    model.setWeights(source.getWeights());
  } finally {
    source.dispose();
  }
}
