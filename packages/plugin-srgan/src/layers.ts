/**
 * PixelShuffle: depth-to-space by an integer block (Shi et al. 2016; SRGAN's sub-pixel upsampling), created
 * from the host's tf (the plugin never imports tfjs) and registered through the plugin's `layers(tf)` hook, so
 * an exported upscaler reloads with `tf.loadLayersModel`.
 *
 * [n, h, w, b·b·c] → [n, h·b, w·b, c] with TensorFlow's channel order (DCR, as tf.depthToSpace):
 * out[n, h·b + i, w·b + j, c] = in[n, h, w, (i·b + j)·c_out + c].
 * Written as reshape → 4-D transpose → reshape rather than tf.depthToSpace: tfjs-core 4.22 has no gradient for
 * the DepthToSpace kernel (the ganforge engine registers one, but a reloaded upscaler fine-tuned with plain tfjs
 * would not have it), while Reshape and Transpose have gradients and kernels on every backend.
 */
import type { SymbolicTensor, Tensor, TF } from '@ganforge/core';

type LayerArgs = { name?: string; trainable?: boolean; inputShape?: (number | null)[]; batchInputShape?: (number | null)[]; dtype?: 'float32' };
type Shape = (number | null)[];

export interface PixelShuffleArgs extends LayerArgs {
  /** Upscaling factor b (channels must be divisible by b²). Default 2. */
  blockSize?: number;
}

/** A layer instance as the architectures use it. */
export interface SymbolicLayer {
  apply(x: SymbolicTensor | Tensor): SymbolicTensor | Tensor;
}

export interface SrganLayers {
  PixelShuffle: { className: string; new (args?: PixelShuffleArgs): SymbolicLayer & { getConfig(): Record<string, unknown> } };
}

const byTf = new WeakMap<object, SrganLayers>();

const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);
const oneShape = (shape: Shape | Shape[]): Shape => (Array.isArray(shape[0]) || shape[0] === undefined ? ((shape as Shape[])[0] ?? []) : (shape as Shape));

/** Depth-to-space of NHWC tensors with reshape and transpose (differentiable on every backend). */
export function pixelShuffle(tf: TF, x: Tensor, block: number): Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out = c / (block * block);
  if (!Number.isInteger(out)) throw new Error(`PixelShuffle with block ${block} needs channels divisible by ${block * block}, got ${c}.`);
  // [n·h, w, i, j·out + c] → [n·h, i, w, j·out + c] → [n, h·b, w·b, out].
  const t = tf.transpose(tf.reshape(x, [n * h, w, block, block * out]), [0, 2, 1, 3]);
  return tf.reshape(t, [n, h * block, w * block, out]);
}

/** The layer classes for this tf namespace (created once per namespace, so registration and building agree). */
export function srganLayers(tf: TF): SrganLayers {
  const cached = byTf.get(tf);
  if (cached) return cached;
  const Base = tf.layers.Layer as unknown as new (args: LayerArgs) => {
    name: string;
    getConfig(): Record<string, unknown>;
    apply(x: SymbolicTensor | Tensor): SymbolicTensor | Tensor;
  };

  class PixelShuffle extends Base {
    static className = 'PixelShuffle';
    readonly blockSize: number;

    constructor(args: PixelShuffleArgs = {}) {
      super(args);
      this.blockSize = args.blockSize ?? 2;
      if (!Number.isInteger(this.blockSize) || this.blockSize < 1) throw new Error(`PixelShuffle blockSize must be a positive integer, got ${args.blockSize}.`);
    }

    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [n, h, w, c] = oneShape(inputShape);
      const b = this.blockSize;
      if (typeof c === 'number' && c % (b * b) !== 0) throw new Error(`PixelShuffle with block ${b} needs channels divisible by ${b * b}, got ${c}.`);
      return [n ?? null, h == null ? null : h * b, w == null ? null : w * b, c == null ? null : c / (b * b)];
    }

    call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => pixelShuffle(tf, one(inputs), this.blockSize));
    }

    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), blockSize: this.blockSize };
    }
  }

  const layers = { PixelShuffle } as unknown as SrganLayers;
  byTf.set(tf, layers);
  return layers;
}
