/**
 * Matching images with their paired images by name: the file `cat/0001.png` of the image folder goes with
 * `cat/0001.<any image extension>` of the pairs folder (the extension may differ, in any case; the rest of
 * the name must be equal). Every image needs a partner and every partner an image, so a missing or stray
 * file fails the run at its start, named, instead of silently shrinking the data.
 */
import { GanforgeError } from '../errors.js';
import { relativeTo as relative } from '../host/paths.js';

const EXTENSION = /\.[^./\\]*$/;

/** A file's path below `root` without its extension: the key images and their pairs share. */
const stem = (root: string, file: string) => relative(root, file).replace(EXTENSION, '');

/** The pair file of each image, in the images' order. */
export function matchPairs(images: readonly string[], root: string, where: string, pairs: readonly string[], pairRoot: string, pairWhere: string): string[] {
  const byStem = new Map<string, string>();
  for (const file of pairs) {
    const key = stem(pairRoot, file);
    const other = byStem.get(key);
    if (other !== undefined) {
      throw new GanforgeError('GF_DATA', `The pairs folder ${pairWhere} holds two files named ${key}: ${relative(pairRoot, other)} and ${relative(pairRoot, file)}.`, {
        file,
        hint: 'Images and their pairs are matched by name without the extension; keep one file per name.',
      });
    }
    byStem.set(key, file);
  }
  const matched = images.map((file) => {
    const key = stem(root, file);
    const pair = byStem.get(key);
    if (pair === undefined) {
      throw new GanforgeError('GF_DATA', `The image ${relative(root, file)} in ${where} has no pair: ${pairWhere} holds no ${key}.png, .jpg or .jpeg.`, {
        file,
        hint: `Every image needs a file of the same name (any image extension) at the same place in ${pairWhere}; add it, or remove the image.`,
      });
    }
    byStem.delete(key);
    return pair;
  });
  const [stray] = byStem.values();
  if (stray !== undefined) {
    const key = stem(pairRoot, stray);
    throw new GanforgeError('GF_DATA', `The file ${relative(pairRoot, stray)} in ${pairWhere} pairs no image: ${where} holds no ${key}.png, .jpg or .jpeg.`, {
      file: stray,
      hint: `Every file of ${pairWhere} needs an image of the same name (any image extension) at the same place in ${where}; add it, or remove the file.`,
    });
  }
  return matched;
}
