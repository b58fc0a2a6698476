/**
 * A set of image files decoded into memory once, read as fixed-size windows: the part of "core/image-folder"
 * that does not care where the files come from, so a plugin that ships images (a sample-photo dataset) opens
 * them the same way, with the same options and the same coded errors. Every image is decoded, converted and
 * resized when the set opens, so a damaged file fails the run at its start, naming the file.
 */
import { GanforgeError } from '../errors.js';
import { relativeTo as relative } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import type { DataSource, Logger, RawBatch, WholeExample } from '../plugin/types.js';
import { decodeImage, type DecodedImage } from './decode-image.js';
import { checkWindow, describeRatio, measureRatio, toPair, windowOffset, type PairRatio } from './pair-geometry.js';
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
  /**
   * A paired image per file (same order as `files`), read with it: equal in size or an integer factor
   * smaller or larger (the same for every pair), cropped, flipped and turned with it.
   */
  pairs?: { files: readonly string[]; where: string; root: string };
  log: Logger;
}

interface StoredImage {
  pixels: Uint8Array;
  height: number;
  width: number;
  pair?: StoredImage;
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

  const pairs = options.pairs;
  let ratio: PairRatio | undefined;
  // With "auto", images and their pairs must all be gray or all colour: they share one channel count.
  const checkColor = (image: DecodedImage, file: string, fileRoot: string, fileWhere: string) => {
    if (color !== 'auto') return;
    const gray = isGray(image.rgba);
    if (firstGray === undefined) {
      firstGray = gray;
      channels = gray ? 1 : 3;
    } else if (gray !== firstGray) {
      throw new GanforgeError(
        'GF_DATA',
        `Images in ${fileWhere} mix grayscale and colour: ${relative(fileRoot, file)} is ${gray ? 'grayscale' : 'colour'}, but ${relative(root, files[0]!.file)} is ${firstGray ? 'grayscale' : 'colour'}.`,
        { file, hint: 'Set options.color to "rgb" or "grayscale" to convert every image to one kind.' },
      );
    }
  };

  for (const [i, { file }] of files.entries()) {
    const image = await decodeFile(storage, file, root);
    checkColor(image, file, root, where);
    const pairFile = pairs?.files[i];
    const pairImage = pairFile !== undefined ? await decodeFile(storage, pairFile, pairs!.root) : undefined;
    if (pairImage) {
      checkColor(pairImage, pairFile!, pairs!.root, pairs!.where);
      ratio = checkRatio(image, pairImage, ratio, file, pairFile!, root, pairs!, where);
      if (options.size !== undefined && ratio.num !== ratio.den) {
        throw new GanforgeError('GF_DATA', `options.size resizes every image to ${options.size}x${options.size}, but the pairs of ${where} are ${describeRatio(ratio)} than the images: resizing would lose their pixel-for-pixel match.`, {
          hint: 'Drop options.size and set options.crop (windows of the images as they are, and the matching windows of the pairs).',
        });
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
    const stored = store(image, width, height, channels, fit === 'crop' && options.size !== undefined);
    if (pairImage) {
      // Equal sizes may be resized (both the same way); other ratios are kept as they are (checked above).
      const [pw, ph] = options.size !== undefined ? [width, height] : [pairImage.width, pairImage.height];
      bytes += pw * ph * channels;
      stored.pair = store(pairImage, pw, ph, channels, fit === 'crop' && options.size !== undefined);
    }
    images.push(stored);
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
  const unit = ratio ?? { num: 1, den: 1 };
  if (ratio && crop !== undefined) checkWindow(crop, ratio, 'crop', where);
  const [ph, pw] = [toPair(h, unit), toPair(w, unit)];
  const pairBytes = ph * pw * channels;
  const labels = classes.length > 0 ? Int32Array.from(files, (f) => f.label) : undefined;
  const sizes = anySize ? `windows of ${w}x${h}x${channels} (images of ${describeSizes(images)})` : `${w}x${h}x${channels}`;
  log.info(
    `Read ${files.length} images from ${where} as ${sizes} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (ratio ? `, each with its pair from ${pairs!.where} (${describeRatio(ratio)})` : '') +
      (classes.length > 0 ? `; classes: ${classes.map((name, i) => `${i}=${name}`).join(', ')}.` : '.'),
  );

  return {
    info: { size: files.length, shape, ...(labels ? { numClasses: classes.length } : {}), ...(ratio ? { pair: { shape: [ph, pw, channels] as [number, number, number] } } : {}) },
    range: [0, 255],
    read(indices: readonly number[], context): RawBatch {
      const x = new Uint8Array(indices.length * imageBytes);
      const pair = ratio ? new Uint8Array(indices.length * pairBytes) : undefined;
      const label = labels ? new Int32Array(indices.length) : undefined;
      const random = context?.random;
      indices.forEach((index, row) => {
        if (!Number.isInteger(index) || index < 0 || index >= images.length) {
          throw new GanforgeError('GF_DATA', `Image ${index} does not exist (${where} has ${images.length}).`);
        }
        const image = images[index]!;
        // Window offsets, flip and turn: random for training batches, centered and upright otherwise.
        // Offsets sit on the pair's pixel grid, so the pair's window shows the same scene.
        const top = windowOffset(image.height, h, unit.den, random?.());
        const left = windowOffset(image.width, w, unit.den, random?.());
        const mirror = options.flip === true && random !== undefined && random() < 0.5;
        const turns = options.rotate === true && random !== undefined ? Math.floor(random() * 4) : 0;
        copyWindow(image, channels, top, left, h, w, mirror, turns, x, row * imageBytes);
        if (pair) copyWindow(image.pair!, channels, toPair(top, unit), toPair(left, unit), ph, pw, mirror, turns, pair, row * pairBytes);
        if (label) label[row] = labels![index]!;
      });
      const batch: RawBatch = label ? { x, label } : { x };
      if (pair) batch.pair = pair;
      return batch;
    },
    readWhole(index: number): WholeExample {
      const image = images[index];
      if (!image) throw new GanforgeError('GF_DATA', `Image ${index} does not exist (${where} has ${images.length}).`);
      const whole: WholeExample = { x: image.pixels, shape: [image.height, image.width, channels] };
      if (labels) whole.label = labels[index]!;
      if (image.pair) Object.assign(whole, { pair: image.pair.pixels, pairShape: [image.pair.height, image.pair.width, channels] });
      return whole;
    },
  };
}

/** An image converted to `channels` and resized to width x height (after a centered square crop if asked). */
function store(image: DecodedImage, width: number, height: number, channels: 1 | 3, square: boolean): StoredImage {
  const pixels = new Uint8Array(height * width * channels);
  const region = square ? centerSquare(image.width, image.height) : { x: 0, y: 0, width: image.width, height: image.height };
  resampleInto(image.rgba, image.width, image.height, region, width, height, channels, pixels, 0);
  return { pixels, height, width };
}

/** The size ratio of one pair, which must be an integer factor and the same as every earlier pair's. */
function checkRatio(image: DecodedImage, pair: DecodedImage, first: PairRatio | undefined, file: string, pairFile: string, root: string, pairs: { where: string; root: string }, where: string): PairRatio {
  const ratio = measureRatio(image.width, image.height, pair.width, pair.height);
  const names = `${relative(pairs.root, pairFile)} (${pair.width}x${pair.height}) in ${pairs.where}, the pair of ${relative(root, file)} (${image.width}x${image.height}) in ${where}`;
  if (!ratio) {
    throw new GanforgeError('GF_DATA', `The image ${names}, is not an integer factor smaller or larger than it on both sides.`, {
      file: pairFile,
      hint: 'A pair must be the same size as its image, or smaller or larger by one integer factor on both sides (e.g. 4x smaller: 120x80 for 480x320).',
    });
  }
  if (first && (first.num !== ratio.num || first.den !== ratio.den)) {
    throw new GanforgeError('GF_DATA', `The image ${names}, is ${describeRatio(ratio)} than it, but the earlier pairs are ${describeRatio(first)}.`, {
      file: pairFile,
      hint: 'Every pair must relate to its image by the same factor; resize or remove the odd one.',
    });
  }
  return ratio;
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
  if (image.height === h && image.width === w && !mirror && turns === 0) {
    out.set(image.pixels, offset); // the whole image as it is
    return;
  }
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
