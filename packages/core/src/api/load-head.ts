/**
 * A run's inference head (e.g. an anomaly score) for users (Node):
 *   const head = await loadHead('runs/ganomaly-mnist-…', 'score', { plugins: [anomaly] });
 *   const scores = head.score(images);           // Tensor4D in the training scale → Tensor1D (dispose it)
 *   const s = await head.scoreFile('digit.png');  // one number
 *   head.threshold                                 // set on held-out images at the end of training
 * The head is rebuilt from the run's exported models by the plugin that defines its entry.
 */
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { GanforgeError } from '../errors.js';
import { nodeStorage } from '../node/index.js';
import { readArtifactIndex, type HeadThreshold } from '../run/export.js';
import { loadArtifact, type LoadArtifactOptions, type LoadedArtifact } from './load-artifact.js';
import { readImageInput, type InputShape } from './read-image.js';

export interface LoadedHead {
  artifact: LoadedArtifact;
  /** The decision threshold saved with the run (scores above it are flagged), if it had held-out images. */
  threshold?: HeadThreshold;
  /** The images the head scores, [height, width, channels]; files are resized to it. */
  inputShape: InputShape;
  /** One score per image of a batch in the training scale (dispose the result). */
  score(images: Tensor4D): Tensor1D;
  /** The score of one image file (PNG or JPEG). */
  scoreFile(path: string): Promise<number>;
  dispose(): void;
}

export async function loadHead(path: string, name?: string, options: LoadArtifactOptions = {}): Promise<LoadedHead> {
  const storage = nodeStorage(options.cwd ?? process.cwd());
  if (name === undefined) {
    const index = await readArtifactIndex(storage, storage.resolve(path));
    name = index?.artifacts.find((a) => a.output === 'score')?.name;
    if (index && name === undefined) {
      throw new GanforgeError('GF_USAGE', `Run ${path} has no head: its artifacts (${index.artifacts.map((a) => a.name).join(', ')}) give no scores.`, {
        hint: 'Add a "heads" section to the spec (e.g. { "score": { "use": "anomaly/score" } }) and train again.',
      });
    }
  }
  const artifact = await loadArtifact(path, name, options);
  if (artifact.output !== 'score' || !artifact.score) {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', `Artifact "${artifact.name}" takes ${artifact.input} and gives ${artifact.output}: it is not a head.`, {
      hint: 'Pick an artifact that gives scores (the run folder lists them in artifacts.json).',
    });
  }
  // Runs before imageShape was recorded: the first model's input (an encoder's, for GANomaly).
  const [h, w, c] = artifact.info.imageShape ?? (artifact.models[0]!.inputs[0]!.shape.slice(1) as [number | null, number | null, number]);
  const score = artifact.score;
  return {
    artifact,
    threshold: artifact.info.threshold,
    inputShape: [h, w, c],
    score,
    async scoreFile(file) {
      const input = await readImageInput(storage, file, [h, w, c], artifact.info.scale);
      try {
        const out = score(input);
        const [value] = await out.data();
        out.dispose();
        return value!;
      } finally {
        input.dispose();
      }
    },
    dispose: () => artifact.dispose(),
  };
}
