/**
 * Opening an exported artifact through a Storage (platform-free; `loadArtifact` in api/ is the Node
 * convenience): find its folder in a run, load its models, and run them.
 *   const a = await openArtifact(tf, storage, 'runs/mnist-20250131-142501', 'generator');
 *   const images = a.sample(16);   // noise → image artifacts; a.apply(x) for image → image ones
 */
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GanforgeError } from '../errors.js';
import { defaultSample, sampleLabels, toImageBatch } from '../engine/sampling.js';
import { RANDOM_STREAM, SeededRandom } from '../engine/random.js';
import { basenameOf, dirnameOf, joinPath as join } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import { callHook, registerPluginLayers } from '../plugin/driver.js';
import type { ArtifactInput, ArtifactOutput, GanforgePlugin, TF } from '../plugin/types.js';
import { didYouMean, quoteList } from '../spec/did-you-mean.js';
import { modelFiles, readArtifactIndex, readArtifactInfo, upgradeInfo, type ArtifactInfo } from './export.js';
import type { ImageBatch } from './png.js';

export interface OpenArtifactOptions {
  /** Plugins whose custom layers the models use (registered before loading). */
  plugins?: GanforgePlugin[];
}

export interface SampleOptions {
  /** Seed of the noise (default 0): the same seed gives the same images. */
  seed?: number;
  /** Class per image for conditional generators (default: 0, 1, 2, … cycling). */
  labels?: Int32Array | number[];
}

export interface LoadedArtifact {
  name: string;
  /** The artifact's folder. */
  dir: string;
  info: ArtifactInfo;
  input: ArtifactInput;
  output: ArtifactOutput;
  /** Its models, chained in order. */
  models: LayersModel[];
  /** Whether it takes class labels (a noise + label generator). */
  conditional: boolean;
  /** Run the chain in inference mode (dispose the result). */
  apply(input: Tensor | Tensor[]): Tensor;
  /** Noise → image artifacts: n images as a tensor in the training scale (dispose it). */
  sample(n: number, options?: SampleOptions): Tensor4D;
  /** Noise → image artifacts: n images in JavaScript memory, ready for PNG encoding. */
  images(n: number, options?: SampleOptions): Promise<ImageBatch>;
  /** Heads (output "score"): one score per image, built by the head entry from the run's models (dispose it). */
  score?(images: Tensor4D): Tensor1D;
  dispose(): void;
}

const isNoise = (input: ArtifactInput) => input === 'noise' || input === 'noise+label';

/**
 * The folder of artifact `name` (default: the run's first noise → image artifact, else its first) for a
 * run folder, an artifact folder, or a model.json path. Run folders from before artifacts keep `generator/`.
 */
export async function locateArtifact(storage: Storage, path: string, name?: string): Promise<{ dir: string; name: string }> {
  const full = storage.resolve(path);
  if (basenameOf(full) === 'model.json' && !(await storage.isDirectory(full)) && (await storage.exists(full))) {
    const dir = dirnameOf(full);
    return { dir, name: basenameOf(dir) };
  }
  const isArtifactDir = async (dir: string) => (await storage.exists(join(dir, 'ganforge.json'))) || (await storage.exists(join(dir, 'model.json')));
  const index = await readArtifactIndex(storage, full);
  if (index) {
    const names = index.artifacts.map((a) => a.name);
    const lower = name?.toLowerCase();
    const chosen =
      lower !== undefined
        ? (index.artifacts.find((a) => a.name === name) ?? index.artifacts.find((a) => a.name.toLowerCase() === lower || a.aliases?.some((alias) => alias.toLowerCase() === lower)))
        : (index.artifacts.find((a) => isNoise(a.input) && a.output === 'image') ?? index.artifacts[0]);
    if (!chosen) {
      const aliases = index.artifacts.flatMap((a) => a.aliases ?? []);
      throw new GanforgeError('GF_USAGE', `The run ${full} has no artifact "${name}".${didYouMean(name ?? '', [...names, ...aliases])}`, {
        hint: `Its artifacts: ${quoteList(names)}${aliases.length ? ` (also called ${quoteList(aliases)})` : ''}.`,
      });
    }
    return { dir: join(full, chosen.dir), name: chosen.name };
  }
  if ((name === undefined || name === basenameOf(full)) && (await isArtifactDir(full))) return { dir: full, name: basenameOf(full) };
  // A run folder without artifacts.json (written before artifacts): its exported folders are the artifacts.
  const folders: string[] = [];
  for (const entry of await storage.list(full)) if (await isArtifactDir(join(full, entry))) folders.push(entry);
  const legacy = name !== undefined ? folders.find((f) => f === name) : folders[0];
  if (legacy !== undefined) return { dir: join(full, legacy), name: legacy };
  throw new GanforgeError('GF_RUN_DIR', `No exported ${name ? `artifact "${name}"` : 'model'} found at ${full}.`, {
    hint: 'Pass a run folder (its artifacts are exported once training finished), an artifact folder, or a model.json file.',
  });
}

export async function openArtifact(tf: TF, storage: Storage, path: string, name?: string, options: OpenArtifactOptions = {}): Promise<LoadedArtifact> {
  const located = await locateArtifact(storage, path, name);
  const { dir } = located;
  registerPluginLayers(tf, options.plugins ?? []);
  const raw = await readArtifactInfo(storage, dir);
  // A bare model folder (model.json only) is taken for a noise → image generator, as before artifacts.
  const info = upgradeInfo(raw, located.name) ?? upgradeInfo({ format: 'ganforge-generator', version: 1, core: '?', spec: '?', model: located.name, step: 0, scale: 'tanh', ema: false, plugins: [] }, located.name)!;
  const models: LayersModel[] = [];
  try {
    for (const { path: modelPath } of info.models) models.push(await loadModel(tf, storage, join(dir, modelPath), info));
  } catch (error) {
    for (const model of models) model.dispose();
    throw error;
  }
  const first = models[0]!;
  let input = info.input;
  if (input === 'noise' && first.inputs.length > 1) input = 'noise+label';
  const conditional = input === 'noise+label';
  const score = info.head ? await buildHead(tf, info, models, options.plugins ?? []) : undefined;
  const apply = (x: Tensor | Tensor[]): Tensor =>
    tf.tidy(() => models.reduce<Tensor | Tensor[]>((value, model) => model.apply(value, { training: false }) as Tensor, x) as Tensor);
  const sample = (n: number, { seed = 0, labels }: SampleOptions = {}): Tensor4D => {
    if (!isNoise(input)) {
      throw new GanforgeError('GF_USAGE', `Artifact "${info.artifact}" takes ${input}, not noise: it cannot be sampled.`, {
        hint: 'Give it images instead (apply, or the command made for it).',
      });
    }
    const wanted = conditional ? sampleLabels(n, info.numClasses ?? 1, labels) : undefined;
    return tf.tidy(() => {
      const out = defaultSample(tf, first, n, new SeededRandom(tf, seed).at(RANDOM_STREAM.sample), wanted);
      return models.slice(1).reduce<Tensor>((value, model) => model.apply(value, { training: false }) as Tensor, out) as Tensor4D;
    });
  };
  return {
    name: info.artifact,
    dir,
    info,
    input,
    output: info.output,
    models,
    conditional,
    apply,
    sample,
    images: (n, sampleOptions) => toImageBatch(sample(n, sampleOptions), info.scale ?? 'tanh'),
    score,
    dispose: () => models.forEach((model) => model.dispose()),
  };
}

/** A head artifact's score function, rebuilt by the plugin that defines the head entry. */
async function buildHead(tf: TF, info: ArtifactInfo, models: LayersModel[], plugins: GanforgePlugin[]): Promise<(images: Tensor4D) => Tensor1D> {
  const { use, options } = info.head!;
  const [namespace, entryName] = use.split('/') as [string, string];
  const plugin = plugins.find((p) => p.meta.namespace === namespace);
  const definition = plugin?.heads?.[entryName];
  if (!plugin || !definition) {
    throw new GanforgeError('GF_PLUGIN_NOT_FOUND', `Artifact "${info.artifact}" is built by head ${use}, whose plugin was not given.`, {
      hint: `Pass the plugin with namespace "${namespace}" (${info.plugins.map((p) => p.name).join(', ')}) in { plugins }.`,
    });
  }
  const byName = Object.fromEntries(info.models.map((m, i) => [m.name, models[i]!]));
  const site = { plugin: plugin.meta.name, entry: use };
  const head = await callHook({ ...site, hook: 'build' }, () => definition.build({ tf, options, models: byName }));
  return (images) => callHook({ ...site, hook: 'score' }, () => head.score(images));
}

async function loadModel(tf: TF, storage: Storage, dir: string, info: ArtifactInfo): Promise<LayersModel> {
  try {
    return await tf.loadLayersModel(modelFiles(tf, storage, dir));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknownLayer = /Unknown layer: (\S+)/.exec(message);
    throw new GanforgeError('GF_RUN_DIR', `The model in ${dir} cannot be loaded: ${message}`, {
      cause: error,
      hint: unknownLayer
        ? `It uses the custom layer ${unknownLayer[1]}: pass the plugin that defines it (${info.plugins.map((p) => p.name).join(', ') || 'see ganforge.json'}) in { plugins }.`
        : "model.json or weights.bin may be incomplete; export again from the run's last checkpoint.",
    });
  }
}
