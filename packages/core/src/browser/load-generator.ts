/// <reference lib="dom" />
/**
 * A generator exported by `ganforge train` (in Node) opened in a page from where it is served:
 *   const g = await loadGeneratorFromUrl('/models/dcgan-mnist', { plugins: [dcgan] });
 *   const images = g.sample(16, { seed: 0 });   // the same noise and images as `ganforge sample --seed 0`
 * The URL is a run folder (with artifacts.json) or an artifact folder (with ganforge.json / model.json).
 */
import { openArtifact, type LoadedArtifact } from '../run/open-artifact.js';
import { GanforgeError } from '../errors.js';
import * as tf from '../engine/tf.js';
import type { GanforgePlugin } from '../plugin/types.js';
import type { Storage } from '../host/types.js';
import { urlStorage } from './url-storage.js';

export interface LoadFromUrlOptions {
  /** Plugins whose custom layers the model uses (e.g. spectral norm), or whose heads it needs. */
  plugins?: GanforgePlugin[];
  /** Artifact name in a run folder (default: its noise → image one). */
  artifact?: string;
  /** Resolves relative URLs (default: the page's address). */
  base?: string;
  fetch?: typeof fetch;
}

export async function loadArtifactFromUrl(url: string, options: LoadFromUrlOptions = {}): Promise<LoadedArtifact> {
  const where = new URL(url, options.base ?? globalThis.location?.href);
  const storage = urlStorage(where.origin, '/', options.fetch);
  return openArtifact(tf, storage, decodeURIComponent(where.pathname), options.artifact, { plugins: options.plugins });
}

/** The run's noise → image artifact from a URL. */
export async function loadGeneratorFromUrl(url: string, options: LoadFromUrlOptions = {}): Promise<LoadedArtifact> {
  const artifact = await loadArtifactFromUrl(url, options);
  if (artifact.input !== 'noise' && artifact.input !== 'noise+label') {
    artifact.dispose();
    throw new GanforgeError('GF_USAGE', `${url} holds artifact "${artifact.name}", which takes ${artifact.input}: it is not a generator.`, {
      hint: 'Use loadArtifactFromUrl and apply it to inputs.',
    });
  }
  return artifact;
}

/** An artifact from a Storage of the page (e.g. the run just trained in memory). */
export function openStoredArtifact(storage: Storage, path: string, name?: string, options: { plugins?: GanforgePlugin[] } = {}): Promise<LoadedArtifact> {
  return openArtifact(tf, storage, path, name, options);
}
