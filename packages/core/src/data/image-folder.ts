/**
 * The "core/image-folder" dataset: the user's own PNG/JPEG images, one class per sub-folder (or unlabelled
 * when the images sit directly in the folder). Every image is decoded, converted and resized once when the
 * dataset opens, so a damaged file fails the run at its start, naming the file, never at step 5,000.
 */
import { GanforgeError } from '../errors.js';
import { isAbsolute, joinPath as join, relativeTo as relative } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import { defineDataset } from '../plugin/define.js';
import type { DataSource, RawBatch } from '../plugin/types.js';
import { decodeImage, type DecodedImage } from './decode-image.js';
import { centerSquare, resampleInto } from './resize.js';

const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;
/** Decoded pixels kept in memory at most (bytes); beyond it the user should pick a smaller size. */
const MAX_BYTES = 2 ** 31 - 1;

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
        description: 'Resize every image to size x size pixels. Without it, all images must share one size.',
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
    },
    required: ['path'],
    additionalProperties: false,
  },
  async open({ options, specDir, storage, log }) {
    const folder = isAbsolute(options.path) ? options.path : storage.resolve(specDir, options.path);
    const { files, classes } = await listImages(storage, folder, options.path);
    // "auto" takes the first image's kind; a later image of the other kind is reported below.
    let channels: 1 | 3 = options.color === 'grayscale' ? 1 : 3;
    let firstGray: boolean | undefined;
    const fit = options.fit ?? 'crop';
    const started = Date.now();

    let shape: [number, number, number] | undefined;
    let pixels = new Uint8Array(0);
    let firstFile = '';
    for (const [index, { file }] of files.entries()) {
      const image = await decodeFile(storage, file, folder);
      if ((options.color ?? 'auto') === 'auto') {
        const gray = isGray(image.rgba);
        if (firstGray === undefined) {
          firstGray = gray;
          channels = gray ? 1 : 3;
        } else if (gray !== firstGray) {
          throw new GanforgeError(
            'GF_DATA',
            `Images in ${options.path} mix grayscale and colour: ${relative(folder, file)} is ${gray ? 'grayscale' : 'colour'}, but ${relative(folder, files[0]!.file)} is ${firstGray ? 'grayscale' : 'colour'}.`,
            { file, hint: 'Set options.color to "rgb" or "grayscale" to convert every image to one kind.' },
          );
        }
      }
      if (!shape) {
        shape = options.size === undefined ? [image.height, image.width, channels] : [options.size, options.size, channels];
        const bytes = files.length * shape[0] * shape[1] * channels;
        if (bytes > MAX_BYTES) {
          throw new GanforgeError('GF_DATA', `${files.length} images of ${shape[1]}x${shape[0]} take ${Math.round(bytes / 2 ** 20)} MiB, more than ganforge keeps in memory.`, {
            hint: 'Set options.size to a smaller size, or use fewer images.',
          });
        }
        pixels = new Uint8Array(bytes);
        firstFile = file;
      } else if (options.size === undefined && (image.height !== shape[0] || image.width !== shape[1])) {
        throw new GanforgeError(
          'GF_DATA',
          `Images in ${options.path} have mixed sizes: ${relative(folder, file)} is ${image.width}x${image.height}, but ${relative(folder, firstFile)} is ${shape[1]}x${shape[0]}.`,
          { file, hint: 'Set options.size (e.g. "size": 64) to resize every image to one size.' },
        );
      }
      const [height, width] = shape;
      const region = fit === 'crop' && options.size !== undefined ? centerSquare(image.width, image.height) : { x: 0, y: 0, width: image.width, height: image.height };
      resampleInto(image.rgba, image.width, image.height, region, width, height, channels, pixels, index * height * width * channels);
    }
    const stored = shape!;
    const crop = options.crop;
    if (crop !== undefined && (crop > stored[0] || crop > stored[1])) {
      throw new GanforgeError('GF_DATA', `options.crop ${crop} is larger than the images of ${options.path} (${stored[1]}x${stored[0]}).`, {
        hint: 'Set crop to at most the image size (or set size larger than crop).',
      });
    }
    const info: [number, number, number] = crop === undefined ? stored : [crop, crop, channels];
    const imageBytes = info[0] * info[1] * info[2];
    const storedBytes = stored[0] * stored[1] * stored[2];
    const labels = classes.length > 0 ? Int32Array.from(files, (f) => f.label) : undefined;
    log.info(
      `Read ${files.length} images from ${options.path} as ${info[1]}x${info[0]}x${channels} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (classes.length > 0 ? `; classes: ${classes.map((name, i) => `${i}=${name}`).join(', ')}.` : '.'),
    );

    const source: DataSource = {
      info: { size: files.length, shape: info, ...(labels ? { numClasses: classes.length } : {}) },
      range: [0, 255],
      read(indices: readonly number[], context): RawBatch {
        const x = new Uint8Array(indices.length * imageBytes);
        const label = labels ? new Int32Array(indices.length) : undefined;
        const random = context?.random;
        indices.forEach((index, row) => {
          if (!Number.isInteger(index) || index < 0 || index >= files.length) {
            throw new GanforgeError('GF_DATA', `Image ${index} does not exist (${options.path} has ${files.length}).`);
          }
          const image = pixels.subarray(index * storedBytes, (index + 1) * storedBytes);
          const [h, w] = info;
          // Window offsets and the flip: random for training batches, centered and unflipped otherwise.
          const top = random ? Math.floor(random() * (stored[0] - h + 1)) : Math.floor((stored[0] - h) / 2);
          const left = random ? Math.floor(random() * (stored[1] - w + 1)) : Math.floor((stored[1] - w) / 2);
          const mirror = options.flip === true && random !== undefined && random() < 0.5;
          if (crop === undefined && !mirror) x.set(image, row * imageBytes);
          else copyWindow(image, stored, top, left, h, w, mirror, x, row * imageBytes);
          if (label) label[row] = labels![index]!;
        });
        return label ? { x, label } : { x };
      },
    };
    return source;
  },
});

/** Whether every pixel of an RGBA image has equal red, green and blue (a gray image, whatever its file format). */
function isGray(rgba: Uint8Array): boolean {
  for (let p = 0; p < rgba.length; p += 4) if (rgba[p] !== rgba[p + 1] || rgba[p] !== rgba[p + 2]) return false;
  return true;
}

/** Copy an h x w window at (top, left) of an image stored as [H, W, C] bytes, mirrored left-right if asked. */
function copyWindow(image: Uint8Array, [, width, channels]: [number, number, number], top: number, left: number, h: number, w: number, mirror: boolean, out: Uint8Array, offset: number): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = ((top + y) * width + left + (mirror ? w - 1 - x : x)) * channels;
      const dst = offset + (y * w + x) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = image[src + c]!;
    }
  }
}

interface ImageFile {
  file: string;
  label: number;
}

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

async function decodeFile(storage: Storage, file: string, folder: string): Promise<DecodedImage> {
  try {
    const image = decodeImage(await storage.read(file));
    if (image.width === 0 || image.height === 0) throw new Error('it has no pixels');
    return image;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new GanforgeError('GF_DATA', `Cannot read the image ${relative(folder, file) || file}: ${reason}.`, {
      file,
      hint: 'Re-save the file as PNG or JPEG, or remove it from the folder.',
      cause,
    });
  }
}
