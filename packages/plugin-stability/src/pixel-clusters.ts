/**
 * Pseudo-labels for a self-conditioned discriminator: online k-means over the real images' pixels (mini-batch
 * k-means, Sculley 2010). Each real batch is labelled with its nearest centroids, which then move toward
 * their new images by 1 / (images assigned so far), so they settle as training goes on. The first K images
 * seen become the initial centroids. Centroids and counts are objective state: checkpoints keep them and a
 * resumed run continues exactly. Pixel distance suits small aligned images such as digits; it is the
 * simplest stand-in for the feature-space clustering of Liu et al. 2020.
 */
import { GanforgeError, type ObjectiveState, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, type TF } from '@ganforge/core';

export class PixelClusters {
  private centroids: Tensor2D | undefined;
  private counts: number[];
  /** Centroids initialized so far (the first K images seen). */
  private filled = 0;

  constructor(private readonly tf: TF, readonly k: number) {
    this.counts = new Array<number>(k).fill(0);
  }

  /** The nearest centroid of each image, without learning from them. */
  assign(images: Tensor4D): Tensor1D {
    const { tf } = this;
    if (!this.centroids || this.filled === 0) return tf.zeros([images.shape[0]], 'int32') as Tensor1D;
    const x = tf.reshape(images, [images.shape[0], -1]) as Tensor2D;
    const c = this.filled < this.k ? tf.slice(this.centroids, [0, 0], [this.filled, -1]) : this.centroids;
    // |x − c|² = |x|² − 2 x·c + |c|²; |x|² is the same for every centroid of a row.
    const distances = tf.sub(tf.sum(tf.square(c), 1), tf.mul(tf.matMul(x, c, false, true), 2));
    return tf.argMin(distances, 1) as Tensor1D;
  }

  /** Labels the batch by its nearest centroids, then moves those centroids toward it (`keep`: the step's). */
  assignAndLearn(images: Tensor4D, keep: <T extends Tensor>(t: T) => T): Tensor1D {
    const { tf } = this;
    const batch = images.shape[0];
    const x = tf.reshape(images, [batch, -1]) as Tensor2D;
    let seeded = 0;
    if (this.filled < this.k) {
      // Seed the centroids with the first images seen, each its own cluster (counted once, below not again).
      seeded = Math.min(batch, this.k - this.filled);
      const rows = tf.slice(x, [0, 0], [seeded, -1]);
      const old = this.centroids;
      const base = old ?? tf.zeros([this.k, x.shape[1]]);
      const next = tf.concat([tf.slice(base, [0, 0], [this.filled, -1]), rows, tf.slice(base, [this.filled + seeded, 0], [this.k - this.filled - seeded, -1])]) as Tensor2D;
      this.centroids = keep(next);
      old?.dispose();
      for (let i = 0; i < seeded; i++) this.counts[this.filled + i] = 1;
      this.filled += seeded;
    }
    const labels = this.assign(images);
    // Images that just became centroids are already counted.
    const learned = seeded === 0 ? tf.ones([batch, 1]) : tf.concat([tf.zeros([seeded, 1]), tf.ones([batch - seeded, 1])]);
    const oneHot = tf.mul(tf.cast(tf.oneHot(labels, this.k), 'float32'), learned) as Tensor2D;
    const assigned = Array.from(tf.sum(oneHot, 0).dataSync() as Float32Array);
    for (let i = 0; i < this.k; i++) this.counts[i] = this.counts[i]! + assigned[i]!;
    // c ← c + (Σ assigned x − n·c) / count: each centroid is the running mean of its images.
    const sums = tf.matMul(oneHot, x, true, false);
    const n = tf.tensor2d(assigned, [this.k, 1]);
    const rate = tf.tensor2d(this.counts.map((c) => (c > 0 ? 1 / c : 0)), [this.k, 1]);
    const old = this.centroids!;
    this.centroids = keep(tf.add(old, tf.mul(tf.sub(sums, tf.mul(n, old)), rate)) as Tensor2D);
    old.dispose();
    return labels;
  }

  state(): ObjectiveState {
    return {
      save: () => ({ tensors: (this.centroids ? { centroids: this.centroids } : {}) as Record<string, Tensor>, json: { counts: this.counts, filled: this.filled } }),
      load: ({ tensors, json }) => {
        const saved = json as { counts?: number[]; filled?: number } | undefined;
        const centroids = tensors.centroids as Tensor2D | undefined;
        if (!saved || !Array.isArray(saved.counts) || saved.counts.length !== this.k || (centroids && centroids.shape[0] !== this.k)) {
          throw new GanforgeError('GF_CHECKPOINT', `The checkpoint's pixel clusters do not fit this run (${this.k} clusters).`, {
            hint: 'Resume with the spec the run was trained with (objective options.clusters).',
          });
        }
        this.centroids?.dispose();
        this.centroids = centroids ? this.tf.keep(this.tf.clone(centroids)) : undefined;
        this.counts = [...saved.counts];
        this.filled = saved.filled ?? 0;
      },
    };
  }

  dispose(): void {
    this.centroids?.dispose();
    this.centroids = undefined;
  }
}
