/**
 * The "core/image-folder" dataset: the user's own PNG/JPEG images, one class per sub-folder (or unlabelled
 * when the images sit directly in the folder). Every image is decoded, converted and resized once when the
 * dataset opens, so a damaged file fails the run at its start, naming the file, never at step 5,000.
 */
import { GanforgeError } from '../errors.js';
import { isAbsolute, joinPath as join, relativeTo as relative } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import { defineDataset } from '../plugin/define.js';
import { openImageSet, type ImageFile } from './image-set.js';
import { matchPairs } from './pair-files.js';

const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

export const imageFolderDataset = defineDataset({
  description: 'Your own PNG/JPEG images from a folder: one class per sub-folder, resized/center-cropped, grayscale or RGB.',
  optionsSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, description: 'The folder, relative to the spec file. Sub-folders are classes.' },
      size: {
        type: 'integer',
        minimum: 1,
        maximum: 4096,
        description: 'Resize every image to size x size pixels. Without it, all images must share one size, unless crop is set (then any sizes of at least crop x crop: windows of photos as they are, for super-resolution).',
      },
      fit: {
        enum: ['crop', 'stretch'],
        default: 'crop',
        description: '"crop": take the centered square, then resize (keeps proportions). "stretch": resize the whole image.',
      },
      color: {
        enum: ['auto', 'rgb', 'grayscale'],
        default: 'auto',
        description: '"auto": grayscale (1 channel) when every image is gray, RGB (3) when every image has colour, and an error when the folder mixes both. "rgb" or "grayscale" converts every image. Alpha is dropped.',
      },
      crop: {
        type: 'integer',
        minimum: 1,
        maximum: 4096,
        description: 'Train on random crop x crop windows of the (resized) images, as CycleGAN does (size 286, crop 256); held-out and sample images take the centered window.',
      },
      flip: { type: 'boolean', default: false, description: 'Mirror training images left-right at random (half of them).' },
      rotate: { type: 'boolean', default: false, description: 'Turn training images by a random multiple of 90° (square images: set crop or size).' },
      pairs: {
        type: 'object',
        description: 'A second folder with one paired image per image (batch.pair), matched by name (the extension may differ): e.g. ready low-res versions, or the other side of an aligned image-to-image dataset. Pairs are the same size as their images or one integer factor smaller or larger (the same for every pair), and get the same crop window (scaled), flip and turn.',
        properties: {
          path: { type: 'string', minLength: 1, description: 'The pairs folder, relative to the spec file, with the same file names (and class sub-folders) as path.' },
        },
        required: ['path'],
        additionalProperties: false,
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async open({ options, specDir, storage, log }) {
    const folder = isAbsolute(options.path) ? options.path : storage.resolve(specDir, options.path);
    const { files, classes } = await listImages(storage, folder, options.path);
    let pairs: { files: string[]; where: string; root: string } | undefined;
    if (options.pairs) {
      const where = options.pairs.path;
      const root = isAbsolute(where) ? where : storage.resolve(specDir, where);
      const listed = await listImages(storage, root, where);
      pairs = { files: matchPairs(files.map((f) => f.file), folder, options.path, listed.files.map((f) => f.file), root, where), where, root };
    }
    return openImageSet({ ...options, storage, files, classes, where: options.path, root: folder, pairs, log });
  },
});

/**
 * Images directly in the folder (unlabelled), or in class sub-folders (searched recursively), sorted so the
 * order and class indices do not depend on the file system. Hidden files and other extensions are skipped.
 */
async function listImages(storage: Storage, folder: string, asWritten: string): Promise<{ files: ImageFile[]; classes: string[] }> {
  if (!(await storage.exists(folder))) {
    throw new GanforgeError('GF_DATA', `The image folder ${asWritten} does not exist (looked in ${folder}).`, {
      file: folder,
      hint: 'Paths in a spec resolve against the spec file\'s folder. Check options.path.',
    });
  }
  if (!(await storage.isDirectory(folder))) {
    throw new GanforgeError('GF_DATA', `${asWritten} is a file, but core/image-folder needs a folder of images.`, {
      file: folder,
      hint: 'Point options.path at the folder that holds the images (or their class sub-folders).',
    });
  }
  const entries = await visibleEntries(storage, folder);
  const topImages = entries.filter((e) => !e.isDirectory && IMAGE_EXTENSIONS.test(e.name)).map((e) => join(folder, e.name));
  const classFolders = entries.filter((e) => e.isDirectory).map((e) => e.name);
  const classes: string[] = [];
  const files: ImageFile[] = topImages.map((file) => ({ file, label: 0 }));
  for (const name of classFolders) {
    const images = await imagesBelow(storage, join(folder, name));
    if (images.length === 0) continue;
    files.push(...images.map((file) => ({ file, label: classes.length })));
    classes.push(name);
  }
  if (topImages.length > 0 && classes.length > 0) {
    throw new GanforgeError(
      'GF_DATA',
      `${asWritten} holds both images (e.g. ${relative(folder, topImages[0]!)}) and class sub-folders (e.g. ${classes[0]}/).`,
      { file: topImages[0], hint: 'Either put every image in a class sub-folder, or put them all directly in the folder (unlabelled).' },
    );
  }
  if (files.length === 0) {
    throw new GanforgeError('GF_DATA', `${asWritten} contains no PNG or JPEG images.`, {
      file: folder,
      hint: 'core/image-folder reads *.png, *.jpg and *.jpeg files, directly in the folder or in one sub-folder per class.',
    });
  }
  return { files, classes };
}

/** A folder's entries without hidden ones, sorted by code unit so the order is the same on every platform. */
async function visibleEntries(storage: Storage, folder: string): Promise<{ name: string; isDirectory: boolean }[]> {
  const names = (await storage.list(folder)).filter((name) => !name.startsWith('.')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(names.map(async (name) => ({ name, isDirectory: await storage.isDirectory(join(folder, name)) })));
}

async function imagesBelow(storage: Storage, folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await visibleEntries(storage, folder)) {
    const path = join(folder, e.name);
    if (e.isDirectory) found.push(...(await imagesBelow(storage, path)));
    else if (IMAGE_EXTENSIONS.test(e.name)) found.push(path);
  }
  return found;
}
