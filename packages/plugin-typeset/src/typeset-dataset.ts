/**
 * The "typeset/digits" dataset: 28x28 grayscale digits typeset in open fonts, white on black and normalized
 * like MNIST, with seeded jitter. Image i is digit i % 10 (so the classes are balanced) and a pure function of
 * (seed, i); images are rendered when first read and kept, so reads are cheap and reproducible.
 */
import { defineDataset, GanforgeError, type DataSource, type RawBatch } from '@ganforge/core';
import { FONT_IDS, FONTS, loadFont } from './fonts.js';
import { drawFor, IMAGE_SIZE, NUM_CLASSES, PIXELS, renderDigit, type Jitter } from './render.js';

export const MAX_SIZE = 200_000;

export const DEFAULT_JITTER: Jitter = { scale: 0.1, shift: 1, stroke: 0.3, strokeJitter: 0.5, rotation: 10, slant: 0 };

export const typesetDataset = defineDataset({
  description: 'Typeset digits: 28x28 grayscale digits 0-9 rendered offline from 16 open fonts, normalized like MNIST, with seeded jitter.',
  optionsSchema: {
    type: 'object',
    properties: {
      size: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_SIZE,
        default: 10_000,
        description: 'Number of images; image i is the digit i % 10, so classes are balanced.',
      },
      seed: {
        type: 'integer',
        minimum: 0,
        maximum: 4294967295,
        default: 0,
        description: 'Seed of the font choice and every jitter; the same seed and index always give the same image.',
      },
      fonts: {
        type: 'array',
        items: { enum: [...FONT_IDS] },
        minItems: 1,
        uniqueItems: true,
        default: [...FONT_IDS],
        description: 'Fonts to draw from, chosen uniformly per image.',
      },
      scaleJitter: {
        type: 'number',
        minimum: 0,
        maximum: 0.5,
        default: DEFAULT_JITTER.scale,
        description: 'The 20 px box the digit is fitted into changes by up to this fraction.',
      },
      shiftJitter: {
        type: 'number',
        minimum: 0,
        maximum: 4,
        default: DEFAULT_JITTER.shift,
        description: 'Pixels the centre of mass moves from the frame centre, at most, on each axis.',
      },
      stroke: {
        type: 'number',
        minimum: -1,
        maximum: 2,
        default: DEFAULT_JITTER.stroke,
        description: 'Pixels every stroke grows by on each side (negative: thinner); the default 0.3 makes regular fonts about as bold as MNIST pen strokes.',
      },
      strokeJitter: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: DEFAULT_JITTER.strokeJitter,
        description: 'Per-image change of "stroke", at most this many pixels either way.',
      },
      rotation: {
        type: 'number',
        minimum: 0,
        maximum: 45,
        default: DEFAULT_JITTER.rotation,
        description: 'Largest rotation in degrees, either way.',
      },
      slant: {
        type: 'number',
        minimum: 0,
        maximum: 0.6,
        default: DEFAULT_JITTER.slant,
        description: 'Largest italic-like shear to the right (0.2 is a typical italic); 0 keeps digits upright.',
      },
    },
    additionalProperties: false,
  },
  open({ options }) {
    const size = options.size ?? 10_000;
    const seed = options.seed ?? 0;
    const fontIds = options.fonts ?? FONT_IDS;
    const jitter: Jitter = {
      scale: options.scaleJitter ?? DEFAULT_JITTER.scale,
      shift: options.shiftJitter ?? DEFAULT_JITTER.shift,
      stroke: options.stroke ?? DEFAULT_JITTER.stroke,
      strokeJitter: options.strokeJitter ?? DEFAULT_JITTER.strokeJitter,
      rotation: options.rotation ?? DEFAULT_JITTER.rotation,
      slant: options.slant ?? DEFAULT_JITTER.slant,
    };
    checkOptions(size, seed, fontIds);
    const fonts = fontIds.map((id) => loadFont(FONTS.find((f) => f.id === id)!));

    const cache = new Uint8Array(size * PIXELS);
    const rendered = new Uint8Array(size);
    const render = (index: number) => {
      const draw = drawFor(seed, index, fonts.length, jitter);
      renderDigit(fonts[draw.font]!.digits[draw.digit]!, draw, cache, index * PIXELS);
      rendered[index] = 1;
    };

    const source: DataSource = {
      info: { size, shape: [IMAGE_SIZE, IMAGE_SIZE, 1], numClasses: NUM_CLASSES },
      range: [0, 255],
      read(indices: readonly number[]): RawBatch {
        const x = new Uint8Array(indices.length * PIXELS);
        const label = new Int32Array(indices.length);
        indices.forEach((index, row) => {
          if (!Number.isInteger(index) || index < 0 || index >= size) {
            throw new GanforgeError('GF_DATA', `Typeset digit ${index} does not exist (the dataset has ${size}).`);
          }
          if (!rendered[index]) render(index);
          x.set(cache.subarray(index * PIXELS, (index + 1) * PIXELS), row * PIXELS);
          label[row] = index % NUM_CLASSES;
        });
        return { x, label };
      },
    };
    return source;
  },
});

/** The core validates options against the schema; these checks keep programmatic callers just as safe. */
function checkOptions(size: number, seed: number, fonts: readonly string[]): void {
  if (!(Number.isInteger(size) && size >= 1 && size <= MAX_SIZE)) {
    throw new GanforgeError('GF_SPEC_RANGE', `Typeset option "size" must be an integer from 1 to ${MAX_SIZE}; got ${size}.`, { hint: 'The default is 10000.' });
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 4294967295)) {
    throw new GanforgeError('GF_SPEC_RANGE', `Typeset option "seed" must be an integer from 0 to 4294967295; got ${seed}.`);
  }
  const unknown = fonts.filter((id) => !FONT_IDS.includes(id));
  if (unknown.length > 0 || fonts.length === 0) {
    throw new GanforgeError('GF_SPEC_ENUM', `Typeset option "fonts" must list fonts of ${FONT_IDS.join(', ')}; got ${JSON.stringify(fonts)}.`);
  }
}
