/**
 * Minibatch standard deviation (Karras et al. 2018, ProGAN §3): appends one feature map holding the average,
 * over features and pixels, of each feature's standard deviation across a group of images, so the
 * discriminator can see how varied a batch is and punish a generator that collapses to a few modes.
 * Groups of `groupSize` images (the batch must divide into them; smaller batches form one group).
 */
import type { SymbolicTensor, Tensor, TF } from '@ganforge/core';

type LayerArgs = { name?: string; trainable?: boolean; inputShape?: (number | null)[]; batchInputShape?: (number | null)[]; dtype?: 'float32' };
type Shape = (number | null)[];

export interface MinibatchStddevArgs extends LayerArgs {
  /** Images per statistics group (ProGAN: 4). */
  groupSize?: number;
}

export interface MinibatchStddevLayer {
  className: string;
  new (args?: MinibatchStddevArgs): { apply(x: SymbolicTensor): SymbolicTensor | SymbolicTensor[]; getConfig(): Record<string, unknown> };
}

const byTf = new WeakMap<object, MinibatchStddevLayer>();
const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);
const oneShape = (shape: Shape | Shape[]): Shape => (Array.isArray(shape[0]) || shape[0] === undefined ? ((shape as Shape[])[0] ?? []) : (shape as Shape));

export function minibatchStddevLayer(tf: TF): MinibatchStddevLayer {
  const cached = byTf.get(tf);
  if (cached) return cached;
  const Base = tf.layers.Layer as unknown as new (args: LayerArgs) => { getConfig(): Record<string, unknown> };

  class MinibatchStddev extends Base {
    static className = 'GanforgeMinibatchStddev';
    readonly groupSize: number;

    constructor(args: MinibatchStddevArgs = {}) {
      super(args);
      this.groupSize = args.groupSize ?? 4;
    }

    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [n, h, w, c] = oneShape(inputShape);
      return [n ?? null, h ?? null, w ?? null, c == null ? null : c + 1];
    }

    call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const [n, h, w, c] = x.shape as [number, number, number, number];
        // The largest group size ≤ groupSize that divides the batch, so any batch size works.
        let g = Math.min(this.groupSize, n);
        while (n % g !== 0) g--;
        const grouped = tf.reshape(x, [g, n / g, h, w, c]); // [group member, group, ...]
        const centred = tf.sub(grouped, tf.mean(grouped, 0, true));
        const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), 0), 1e-8)); // [groups, h, w, c]
        const perGroup = tf.mean(std, [1, 2, 3]); // [groups]
        const map = tf.tile(tf.reshape(perGroup, [1, n / g, 1, 1, 1]), [g, 1, h, w, 1]);
        return tf.concat([x, tf.reshape(map, [n, h, w, 1])], 3);
      });
    }

    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), groupSize: this.groupSize };
    }
  }

  const layer = MinibatchStddev as unknown as MinibatchStddevLayer;
  byTf.set(tf, layer);
  return layer;
}
