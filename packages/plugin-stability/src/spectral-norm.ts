/**
 * Spectral normalization (Miyato et al. 2018): a layer's kernel W is used as W / σ(W), σ its largest singular
 * value (of W reshaped to [fan-in, units]), estimated by one power-iteration step per training call from a
 * persistent vector u. u is a non-trainable weight of the layer, so it is saved in checkpoints, averaged by
 * nothing, exported with the model and restored on reload; in inference (training: false) it is read, not
 * advanced, as in PyTorch's torch.nn.utils.spectral_norm. The power iteration runs without gradient (u and v
 * are constants for the backward pass), so gradients flow through σ = vᵀ W u exactly as in the paper.
 * Created from the host's tf and registered through the plugin's `layers(tf)` hook.
 */
import type { SymbolicTensor, Tensor, TF } from '@ganforge/core';

type LayerArgs = { name?: string; trainable?: boolean; inputShape?: (number | null)[]; batchInputShape?: (number | null)[]; dtype?: 'float32' };
type Shape = (number | null)[];
type Initializer = ReturnType<TF['initializers']['glorotUniform']>;
type LayerVariable = { read(): Tensor; write(value: Tensor): void };
type AddWeight = (name: string, shape: number[], dtype?: 'float32', initializer?: Initializer, regularizer?: undefined, trainable?: boolean) => LayerVariable;

interface SpectralArgs extends LayerArgs {
  useBias?: boolean;
  /** Power-iteration steps per training call (the paper: 1). */
  powerIterations?: number;
  /** Not serialized: a reloaded model takes its weights from the file. */
  kernelInitializer?: Initializer;
  /** Seed of u's initial direction. */
  seed?: number;
}

export interface SpectralConv2DArgs extends SpectralArgs {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'same' | 'valid';
}

export interface SpectralDenseArgs extends SpectralArgs {
  units: number;
}

export interface SymbolicLayer {
  apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor | SymbolicTensor[];
  getConfig(): Record<string, unknown>;
}

export interface SpectralNormLayers {
  SpectralConv2D: { className: string; new (args: SpectralConv2DArgs): SymbolicLayer & SpectralLayer };
  SpectralDense: { className: string; new (args: SpectralDenseArgs): SymbolicLayer & SpectralLayer };
}

/** What tests and tools read from a spectral layer. */
export interface SpectralLayer {
  /** σ estimated from the current u (one more power step, nothing written). */
  sigma(): number;
  /** The kernel as trained (before normalization). */
  rawKernel(): Tensor;
}

const byTf = new WeakMap<object, SpectralNormLayers>();
const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);
const oneShape = (shape: Shape | Shape[]): Shape => (Array.isArray(shape[0]) || shape[0] === undefined ? ((shape as Shape[])[0] ?? []) : (shape as Shape));

export function spectralNormLayers(tf: TF): SpectralNormLayers {
  const cached = byTf.get(tf);
  if (cached) return cached;
  const Base = tf.layers.Layer as unknown as new (args: LayerArgs) => {
    name: string;
    built: boolean;
    getConfig(): Record<string, unknown>;
    apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor | SymbolicTensor[];
  };
  // The identity whose gradient is zero: the power iteration must not be differentiated.
  const stopGradient = tf.customGrad((x: Tensor) => ({ value: tf.clone(x), gradFunc: (dy: Tensor) => tf.zerosLike(dy) })) as (x: Tensor) => Tensor;
  const l2normalize = (x: Tensor) => tf.div(x, tf.add(tf.norm(x), 1e-12));

  /** The shared part: kernel, bias, u, and W / σ(W). */
  abstract class Spectral extends Base implements SpectralLayer {
    readonly useBias: boolean;
    readonly powerIterations: number;
    readonly #kernelInit: Initializer;
    readonly #seed: number;
    protected kernel?: LayerVariable;
    protected bias?: LayerVariable;
    #u?: LayerVariable;

    constructor(args: SpectralArgs) {
      super(args);
      this.useBias = args.useBias ?? true;
      this.powerIterations = args.powerIterations ?? 1;
      this.#kernelInit = args.kernelInitializer ?? tf.initializers.glorotUniform({});
      this.#seed = args.seed ?? 0;
    }

    protected addWeights(kernelShape: number[], units: number): void {
      const addWeight = (this as unknown as { addWeight: AddWeight }).addWeight.bind(this);
      this.kernel = addWeight('kernel', kernelShape, 'float32', this.#kernelInit, undefined, true);
      if (this.useBias) this.bias = addWeight('bias', [units], 'float32', tf.initializers.zeros(), undefined, true);
      this.#u = addWeight('sn_u', [1, units], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: this.#seed }), undefined, false);
    }

    /** u and v after the power iteration, from W as a [fan-in, units] matrix (no gradient). */
    #power(matrix: Tensor): { u: Tensor; v: Tensor } {
      const w = stopGradient(matrix);
      let u = l2normalize(this.#u!.read());
      let v = u;
      for (let i = 0; i < this.powerIterations; i++) {
        v = l2normalize(tf.matMul(u, w, false, true)); // [1, fan-in]
        u = l2normalize(tf.matMul(v, w)); // [1, units]
      }
      return { u, v };
    }

    /** W / σ(W) in W's shape; advances u when training. */
    protected normalizedKernel(training: boolean): Tensor {
      const kernel = this.kernel!.read();
      const units = kernel.shape[kernel.shape.length - 1]!;
      const matrix = tf.reshape(kernel, [-1, units]);
      const { u, v } = this.#power(matrix);
      // The variable takes its own reference to u (tfjs-layers updates batch-norm statistics the same way).
      if (training) this.#u!.write(u);
      const sigma = tf.sum(tf.mul(tf.matMul(v, matrix), u));
      return tf.div(kernel, sigma);
    }

    sigma(): number {
      return tf.tidy(() => {
        const kernel = this.kernel!.read();
        const matrix = tf.reshape(kernel, [-1, kernel.shape[kernel.shape.length - 1]!]);
        const { u, v } = this.#power(matrix);
        return tf.sum(tf.mul(tf.matMul(v, matrix), u)).dataSync()[0]!;
      });
    }

    rawKernel(): Tensor {
      return this.kernel!.read();
    }

    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), useBias: this.useBias, powerIterations: this.powerIterations };
    }
  }

  class SpectralConv2D extends Spectral {
    static className = 'GanforgeSpectralConv2D';
    readonly filters: number;
    readonly kernelSize: number;
    readonly strides: number;
    readonly padding: 'same' | 'valid';

    constructor(args: SpectralConv2DArgs) {
      super(args);
      this.filters = args.filters;
      this.kernelSize = args.kernelSize;
      this.strides = args.strides ?? 1;
      this.padding = args.padding ?? 'same';
    }

    build(inputShape: Shape | Shape[]): void {
      const shape = oneShape(inputShape);
      const channels = shape[shape.length - 1];
      if (shape.length !== 4 || typeof channels !== 'number') throw new Error(`SpectralConv2D expects [batch, height, width, channels] inputs with known channels, got ${JSON.stringify(shape)}.`);
      this.addWeights([this.kernelSize, this.kernelSize, channels, this.filters], this.filters);
      this.built = true;
    }

    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [n, h, w] = oneShape(inputShape);
      const out = (size: number | null | undefined) =>
        size == null ? null : this.padding === 'same' ? Math.ceil(size / this.strides) : Math.floor((size - this.kernelSize) / this.strides) + 1;
      return [n ?? null, out(h), out(w), this.filters];
    }

    call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
      return tf.tidy(() => {
        const x = one(inputs) as Parameters<TF['conv2d']>[0];
        const y = tf.conv2d(x, this.normalizedKernel(kwargs?.training === true) as Parameters<TF['conv2d']>[1], this.strides, this.padding);
        return this.bias ? tf.add(y, this.bias.read()) : y;
      });
    }

    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding };
    }
  }

  class SpectralDense extends Spectral {
    static className = 'GanforgeSpectralDense';
    readonly units: number;

    constructor(args: SpectralDenseArgs) {
      super(args);
      this.units = args.units;
    }

    build(inputShape: Shape | Shape[]): void {
      const shape = oneShape(inputShape);
      const features = shape[shape.length - 1];
      if (shape.length !== 2 || typeof features !== 'number') throw new Error(`SpectralDense expects [batch, features] inputs, got ${JSON.stringify(shape)}.`);
      this.addWeights([features, this.units], this.units);
      this.built = true;
    }

    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      return [oneShape(inputShape)[0] ?? null, this.units];
    }

    call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
      return tf.tidy(() => {
        const y = tf.matMul(one(inputs) as Parameters<TF['matMul']>[0], this.normalizedKernel(kwargs?.training === true) as Parameters<TF['matMul']>[1]);
        return this.bias ? tf.add(y, this.bias.read()) : y;
      });
    }

    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), units: this.units };
    }
  }

  const layers: SpectralNormLayers = {
    SpectralConv2D: SpectralConv2D as unknown as SpectralNormLayers['SpectralConv2D'],
    SpectralDense: SpectralDense as unknown as SpectralNormLayers['SpectralDense'],
  };
  byTf.set(tf, layers);
  return layers;
}
