/** The digits over HTTP: a page fetches the mnist package's ten JSON files, served as assets by its bundler. */
import { GanforgeError } from '@ganforge/core';
import { NUM_CLASSES, provideMnistDigits, type MnistDigits } from './digits.js';

export async function fetchMnistDigits(urls: readonly string[], fetcher: typeof fetch = fetch): Promise<MnistDigits> {
  if (urls.length !== NUM_CLASSES) {
    throw new GanforgeError('GF_USAGE', `fetchMnistDigits needs the ${NUM_CLASSES} files of the mnist package (0.json … 9.json), got ${urls.length} URLs.`);
  }
  const files = await Promise.all(
    urls.map(async (url) => {
      const response = await fetcher(url);
      if (!response.ok) throw new GanforgeError('GF_DATA', `Cannot fetch the MNIST digits file ${url}: HTTP ${response.status}.`, { file: url });
      return response.json() as Promise<unknown>;
    }),
  );
  return provideMnistDigits(files, (d) => urls[d]!);
}
