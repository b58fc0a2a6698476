/**
 * The history of generated images the discriminators see (Shrivastava et al. 2017; CycleGAN's ImagePool):
 * until `size` images are stored, every fake is stored and returned; after that, each fake is, with
 * probability ½, swapped for a random stored one (which is returned and replaced), else returned as is.
 * Decisions come from the phase's seeded random source, so a run and its resume decide alike. Stored images
 * are kept past the step's tidy and disposed when replaced or on dispose().
 */
import { GanforgeError, type RandomSource, type Tensor, type Tensor4D, type TF } from '@ganforge/core';

export class ImagePool {
  /** Stored images, each [1, H, W, C]. */
  images: Tensor4D[] = [];

  constructor(
    private readonly tf: TF,
    readonly size: number,
  ) {}

  /** A batch for the discriminator, as large as `fakes`. Call inside a tidy: returned tensors are tidy-owned. */
  query(fakes: Tensor4D, random: RandomSource, keep: <T extends Tensor>(t: T) => T): Tensor4D {
    const { tf } = this;
    if (this.size === 0) return fakes;
    const [n, h, w, c] = fakes.shape;
    const out: Tensor4D[] = [];
    for (let i = 0; i < n; i++) {
      const image = tf.slice(fakes, [i, 0, 0, 0], [1, h, w, c]);
      if (this.images.length < this.size) {
        this.images.push(keep(tf.clone(image)));
        out.push(image);
      } else if (random.next() > 0.5) {
        const j = Math.min(this.size - 1, Math.floor(random.next() * this.size));
        const old = this.images[j]!;
        out.push(tf.clone(old));
        this.images[j] = keep(tf.clone(image));
        old.dispose();
      } else {
        out.push(image);
      }
    }
    return tf.concat(out, 0);
  }

  save(prefix: string): Record<string, Tensor> {
    return Object.fromEntries(this.images.map((t, i) => [`${prefix}/${i}`, t]));
  }

  /** Takes ownership of `tensors` named `${prefix}/0`, `${prefix}/1`, …; releases the current images. */
  load(prefix: string, tensors: Record<string, Tensor>, count: number): void {
    const images: Tensor4D[] = [];
    for (let i = 0; i < count; i++) {
      const t = tensors[`${prefix}/${i}`];
      if (!t || t.rank !== 4 || t.shape[0] !== 1) {
        throw new GanforgeError('GF_CHECKPOINT', `The checkpoint's CycleGAN history pool "${prefix}" lacks image ${i} of ${count}.`, {
          hint: 'The checkpoint is damaged or was written by another objective; resume from another one.',
        });
      }
      images.push(this.tf.keep(t as Tensor4D));
    }
    this.dispose();
    this.images = images;
  }

  dispose(): void {
    for (const t of this.images) t.dispose();
    this.images = [];
  }
}
