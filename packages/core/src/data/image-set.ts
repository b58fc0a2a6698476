/**
 * A set of image files decoded into memory once, read as fixed-size windows: the part of "core/image-folder"
 * that does not care where the files come from, so a plugin that ships images (a sample-photo dataset) opens
 * them the same way, with the same options and the same coded errors. Every image is decoded, converted and
 * resized when the set opens, so a damaged file fails the run at its start, naming the file.
 */
import { GanforgeError } from '../errors.js';
import { relativeTo as relative } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import type { DataSource, Logger, RawBatch } from '../plugin/types.js';
import { decodeImage, type DecodedImage } from './decode-image.js';
import { centerSquare, resampleInto } from './resize.js';

/** Decoded pixels kept in memory at most (bytes); beyond it the user should pick a smaller size. */
const MAX_BYTES = 2 ** 31 - 1;

export interface ImageSetOptions {
  /** Resize every image to size x size (after a centered square crop when fit is "crop"). */
  size?: number;
  fit?: 'crop' | 'stretch';
  color?: 'auto' | 'rgb' | 'grayscale';
  /**
   * Read crop x crop windows: random for training reads, centered otherwise. Without `size`, the images may
   * then have any sizes of at least crop x crop (super-resolution takes crops of photos as they are).
   */
  crop?: number;
  /** Mirror training windows left-right at random. */
  flip?: boolean;
  /** Turn training windows by a random multiple of 90° (needs square windows: crop or size). */
  rotate?: boolean;
}

export interface ImageFile {
  /** Absolute path, read through the storage. */
  file: string;
  /** Class index (0 when unlabelled). */
  label: number;
}

export interface OpenImageSetOptions extends ImageSetOptions {
  storage: Storage;
  files: readonly ImageFile[];
  /** Class names when labelled (index = label); empty or absent: unlabelled. */
  classes?: readonly string[];
  /** Where the images come from, as the user wrote it (messages say "Images in <where> ..."). */
  where: string;
  /** Folder that file names in messages are relative to. */
  root: string;
  log: Logger;
}

interface StoredImage {
  pixels: Uint8Array;
  height: number;
  width: number;
}

export async function openImageSet(options: OpenImageSetOptions): Promise<DataSource> {
  const { storage, files, where, root, log } = options;
  const classes = options.classes ?? [];
  const fit = options.fit ?? 'crop';
  const color = options.color ?? 'auto';
  const crop = options.crop;
  // Without a common size, images may differ in size only when every read takes a crop window of them.
  const anySize = options.size === undefined && crop !== undefined;
  let channels: 1 | 3 = color === 'grayscale' ? 1 : 3;
  let firstGray: boolean | undefined;
  const started = Date.now();
  const images: StoredImage[] = [];
  let bytes = 0;

  for (const { file } of files) {
    const image = await decodeFile(storage, file, root);
    if (color === 'auto') {
      const gray = isGray(image.rgba);
      if (firstGray === undefined) {
        firstGray = gray;
        channels = gray ? 1 : 3;
      } else if (gray !== firstGray) {
        throw new GanforgeError(
          'GF_DATA',
          `Images in ${where} mix grayscale and colour: ${relative(root, file)} is ${gray ? 'grayscale' : 'colour'}, but ${relative(root, files[0]!.file)} is ${firstGray ? 'grayscale' : 'colour'}.`,
          { file, hint: 'Set options.color to "rgb" or "grayscale" to convert every image to one kind.' },
        );
      }
    }
    const first = images[0];
    const [height, width] = options.size !== undefined ? [options.size, options.size] : [image.height, image.width];
    if (first && !anySize && (height !== first.height || width !== first.width)) {
      throw new GanforgeError(
        'GF_DATA',
        `Images in ${where} have mixed sizes: ${relative(root, file)} is ${image.width}x${image.height}, but ${relative(root, files[0]!.file)} is ${first.width}x${first.height}.`,
        { file, hint: 'Set options.size (e.g. "size": 64) to resize every image to one size, or options.crop to train on windows of images of any size.' },
      );
    }
    if (crop !== undefined && (crop > height || crop > width)) {
      throw new GanforgeError(
        'GF_DATA',
        anySize
          ? `The image ${relative(root, file)} in ${where} is ${width}x${height}, smaller than options.crop ${crop}.`
          : `options.crop ${crop} is larger than the images of ${where} (${width}x${height}).`,
        { file, hint: anySize ? 'Remove the small image, or lower options.crop.' : 'Set crop to at most the image size (or set size larger than crop).' },
      );
    }
    bytes += height * width * channels;
    if (bytes > MAX_BYTES) {
      throw new GanforgeError('GF_DATA', `The images of ${where} take more than ${Math.round(MAX_BYTES / 2 ** 20)} MiB decoded, more than ganforge keeps in memory.`, {
        hint: 'Set options.size to a smaller size, or use fewer images.',
      });
    }
    const pixels = new Uint8Array(height * width * channels);
    const region = fit === 'crop' && options.size !== undefined ? centerSquare(image.width, image.height) : { x: 0, y: 0, width: image.width, height: image.height };
    resampleInto(image.rgba, image.width, image.height, region, width, height, channels, pixels, 0);
    images.push({ pixels, height, width });
  }
  if (images.length === 0) throw new GanforgeError('GF_DATA', `${where} holds no images.`);

  const shape: [number, number, number] = crop !== undefined ? [crop, crop, channels] : [images[0]!.height, images[0]!.width, channels];
  const [h, w] = shape;
  if (options.rotate === true && h !== w) {
    throw new GanforgeError('GF_DATA', `options.rotate turns training images by 90°, which needs square images, but those of ${where} are ${w}x${h}.`, {
      hint: 'Set options.crop (square windows) or options.size, or drop rotate.',
    });
  }
  const imageBytes = h * w * channels;
  const labels = classes.length > 0 ? Int32Array.from(files, (f) => f.label) : undefined;
  const sizes = anySize ? `windows of ${w}x${h}x${channels} (images of ${describeSizes(images)})` : `${w}x${h}x${channels}`;
  log.info(
    `Read ${files.length} images from ${where} as ${sizes} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (classes.length > 0 ? `; classes: ${classes.map((name, i) => `${i}=${name}`).join(', ')}.` : '.'),
  );

  return {
    info: { size: files.length, shape, ...(labels ? { numClasses: classes.length } : {}) },
    range: [0, 255],
    read(indices: readonly number[], context): RawBatch {
      const x = new Uint8Array(indices.length * imageBytes);
      const label = labels ? new Int32Array(indices.length) : undefined;
      const random = context?.random;
      indices.forEach((index, row) => {
        if (!Number.isInteger(index) || index < 0 || index >= images.length) {
          throw new GanforgeError('GF_DATA', `Image ${index} does not exist (${where} has ${images.length}).`);
        }
        const image = images[index]!;
        // Window offsets, flip and turn: random for training batches, centered and upright otherwise.
        const top = random ? Math.floor(random() * (image.height - h + 1)) : Math.floor((image.height - h) / 2);
        const left = random ? Math.floor(random() * (image.width - w + 1)) : Math.floor((image.width - w) / 2);
        const mirror = options.flip === true && random !== undefined && random() < 0.5;
        const turns = options.rotate === true && random !== undefined ? Math.floor(random() * 4) : 0;
        if (image.height === h && image.width === w && !mirror && turns === 0) x.set(image.pixels, row * imageBytes);
        else copyWindow(image, channels, top, left, h, w, mirror, turns, x, row * imageBytes);
        if (label) label[row] = labels![index]!;
      });
      return label ? { x, label } : { x };
    },
  };
}

function describeSizes(images: readonly StoredImage[]): string {
  const side = (pick: (i: StoredImage) => number) => [Math.min(...images.map(pick)), Math.max(...images.map(pick))];
  const [wMin, wMax] = side((i) => i.width);
  const [hMin, hMax] = side((i) => i.height);
  return `${wMin === wMax ? wMin : `${wMin}–${wMax}`}x${hMin === hMax ? hMin : `${hMin}–${hMax}`}`;
}

/** Whether every pixel of an RGBA image has equal red, green and blue (a gray image, whatever its file format). */
function isGray(rgba: Uint8Array): boolean {
  for (let p = 0; p < rgba.length; p += 4) if (rgba[p] !== rgba[p + 1] || rgba[p] !== rgba[p + 2]) return false;
  return true;
}

/**
 * Copy the h x w window at (top, left) of a stored image, mirrored left-right and then turned by `turns`
 * quarter turns if asked (turns need h = w).
 */
function copyWindow(image: StoredImage, channels: number, top: number, left: number, h: number, w: number, mirror: boolean, turns: number, out: Uint8Array, offset: number): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Output (y, x) shows window pixel (sy, sx) of the turned window.
      let sy = y;
      let sx = x;
      if (turns === 1) [sy, sx] = [x, w - 1 - y];
      else if (turns === 2) [sy, sx] = [h - 1 - y, w - 1 - x];
      else if (turns === 3) [sy, sx] = [h - 1 - x, y];
      if (mirror) sx = w - 1 - sx;
      const src = ((top + sy) * image.width + left + sx) * channels;
      const dst = offset + (y * w + x) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = image.pixels[src + c]!;
    }
  }
}

async function decodeFile(storage: Storage, file: string, root: string): Promise<DecodedImage> {
  try {
    const image = decodeImage(await storage.read(file));
    if (image.width === 0 || image.height === 0) throw new Error('it has no pixels');
    return image;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new GanforgeError('GF_DATA', `Cannot read the image ${relative(root, file) || file}: ${reason}.`, {
      file,
      hint: 'Re-save the file as PNG or JPEG, or remove it from the folder.',
      cause,
    });
  }
}
