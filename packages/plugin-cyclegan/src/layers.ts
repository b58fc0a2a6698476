/**
 * The two layers CycleGAN needs that tfjs-layers lacks, created from the host's tf (the plugin never imports
 * tfjs) and registered through the plugin's `layers(tf)` hook, so an exported model reloads with
 * `tf.loadLayersModel` once the plugin is registered:
 * - InstanceNormalization: per sample and per channel over H and W (Ulyanov et al. 2016), optional learned
 *   scale and offset, epsilon 1e-5 (PyTorch's InstanceNorm2d);
 * - ReflectionPadding2D: pads H and W by mirroring without repeating the edge (tf.mirrorPad "reflect").
 * Both are written with ops whose gradients every backend has (mean, sub, mul, rsqrt; MirrorPad's gradient is a
 * slice), so they train on wasm as on cpu. Instance norm's gradient is given in closed form (instanceNormFn:
 * ~40 % fewer kernels per CycleGAN step than autodiff of the plain formula, docs/performance.md).
 */
import type { SymbolicTensor, Tensor, TF } from '@ganforge/core';

type LayerArgs = { name?: string; trainable?: boolean; inputShape?: (number | null)[]; batchInputShape?: (number | null)[]; dtype?: 'float32' };
type Shape = (number | null)[];
type Initializer = ReturnType<TF['initializers']['ones']>;

export interface InstanceNormalizationArgs extends LayerArgs {
  /** Added to the variance. Default 1e-5. */
  epsilon?: number;
  /** Learned per-channel scale and offset. Default true. */
  affine?: boolean;
  /** Initializer of the scale (not serialized: loaded models take their weights from the file). Default ones. */
  gammaInitializer?: Initializer;
  betaInitializer?: Initializer;
}

export interface ReflectionPadding2DArgs extends LayerArgs {
  /** Pixels added on each side of H and W: one number, or [rows, columns]. */
  padding?: number | [number, number];
}

/** A layer instance as the architectures use it. */
export interface SymbolicLayer {
  apply(x: SymbolicTensor): SymbolicTensor | SymbolicTensor[];
}

export interface CycleganLayers {
  InstanceNormalization: { className: string; new (args?: InstanceNormalizationArgs): SymbolicLayer & { getConfig(): Record<string, unknown> } };
  ReflectionPadding2D: { className: string; new (args?: ReflectionPadding2DArgs): SymbolicLayer & { getConfig(): Record<string, unknown> } };
}

const byTf = new WeakMap<object, CycleganLayers>();

const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);
const oneShape = (shape: Shape | Shape[]): Shape => (Array.isArray(shape[0]) || shape[0] === undefined ? ((shape as Shape[])[0] ?? []) : (shape as Shape));

/** How many gradients (tf.grad, variableGrads, …) are being recorded around the current op. */
function gradientDepth(tf: TF): number {
  return (tf.engine() as unknown as { state: { gradientDepth?: number } }).state.gradientDepth ?? 0;
}

/**
 * Instance norm as plain ops (autodiff differentiates them, to any order): (x − μ)·rsqrt(σ² + ε)·γ + β with
 * μ, σ² over H and W per sample and channel.
 */
export function instanceNormPlain(tf: TF, x: Tensor, epsilon: number, gamma?: Tensor, beta?: Tensor): Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
    if (!gamma || !beta) return normalized;
    return tf.add(tf.mul(normalized, gamma), beta);
  });
}

type InstanceNormFn = (x: Tensor, gamma?: Tensor, beta?: Tensor) => Tensor;
const normFns = new WeakMap<object, Map<string, InstanceNormFn>>();

/**
 * Instance norm with a closed-form gradient (tf.customGrad): the same forward value as instanceNormPlain, and
 * with x̂ = (x − μ)·rstd, rstd = rsqrt(σ² + ε), means over H and W:
 *   dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy.
 * Autodiff of the plain formula dispatches ~20 kernels per application (moments' mean, squared difference
 * and their broadcasts); this needs 5 activation-sized element-wise ops and 2 reductions over H and W
 * (dγ and dβ are summed from those per-sample means). Only first-order:
 * the gradient is not itself differentiable through the tape.
 */
export function instanceNormFn(tf: TF, epsilon: number, affine: boolean): InstanceNormFn {
  let byKey = normFns.get(tf);
  if (!byKey) normFns.set(tf, (byKey = new Map()));
  const key = `${epsilon}/${affine}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  const forward = (x: Tensor) => {
    const mean = tf.mean(x, [1, 2], true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), [1, 2], true);
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    return { xhat: tf.mul(centered, rstd), rstd };
  };
  /**
   * dx = (dy − mean(dy) − x̂·mean(dy·x̂))·scale (scale = γ·rstd, or rstd), and the per-sample means over H, W
   * of dy and dy·x̂ (their sums over the batch, times H·W, are dβ and dγ).
   */
  const backward = (dy: Tensor, xhat: Tensor, scale: Tensor) => {
    const meanDy = tf.mean(dy, [1, 2], true);
    const meanDyXhat = tf.mean(tf.mul(dy, xhat), [1, 2], true);
    const dx = tf.mul(tf.sub(tf.sub(dy, meanDy), tf.mul(xhat, meanDyXhat)), scale);
    return { dx, meanDy, meanDyXhat };
  };
  type Save = (tensors: Tensor[]) => void;
  const fn = (affine
    ? tf.customGrad(((x: Tensor, gamma: Tensor, beta: Tensor, save: Save) => {
        const { xhat, rstd } = forward(x);
        save([xhat, rstd, gamma]);
        return {
          value: tf.add(tf.mul(xhat, gamma), beta),
          gradFunc: (dy: Tensor, saved: Tensor[]) => {
            const [sxhat, srstd, sgamma] = saved as [Tensor, Tensor, Tensor];
            const { dx, meanDy, meanDyXhat } = backward(dy, sxhat, tf.mul(srstd, sgamma));
            const hw = (dy.shape[1] as number) * (dy.shape[2] as number);
            return [dx, tf.mul(tf.sum(meanDyXhat, [0, 1, 2]), hw), tf.mul(tf.sum(meanDy, [0, 1, 2]), hw)];
          },
        };
      }) as never)
    : tf.customGrad(((x: Tensor, save: Save) => {
        const { xhat, rstd } = forward(x);
        save([xhat, rstd]);
        return { value: xhat, gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved[0]!, saved[1]!).dx };
      }) as never)) as InstanceNormFn;
  byKey.set(key, fn);
  return fn;
}

/** The layer classes for this tf namespace (created once per namespace, so registration and building agree). */
export function cycleganLayers(tf: TF): CycleganLayers {
  const cached = byTf.get(tf);
  if (cached) return cached;
  const Base = tf.layers.Layer as unknown as new (args: LayerArgs) => {
    name: string;
    built: boolean;
    getConfig(): Record<string, unknown>;
    apply(x: SymbolicTensor): SymbolicTensor | SymbolicTensor[];
  };
  type Variable = { read(): Tensor };
  type AddWeight = (name: string, shape: number[], dtype?: 'float32', initializer?: Initializer, regularizer?: undefined, trainable?: boolean) => Variable;

  class InstanceNormalization extends Base {
    static className = 'InstanceNormalization';
    readonly epsilon: number;
    readonly affine: boolean;
    readonly #gammaInit: Initializer;
    readonly #betaInit: Initializer;
    #gamma?: Variable;
    #beta?: Variable;

    constructor(args: InstanceNormalizationArgs = {}) {
      super(args);
      this.epsilon = args.epsilon ?? 1e-5;
      this.affine = args.affine ?? true;
      this.#gammaInit = args.gammaInitializer ?? tf.initializers.ones();
      this.#betaInit = args.betaInitializer ?? tf.initializers.zeros();
    }

    build(inputShape: Shape | Shape[]): void {
      const shape = oneShape(inputShape);
      const channels = shape[shape.length - 1];
      if (shape.length !== 4 || typeof channels !== 'number') {
        throw new Error(`InstanceNormalization expects [batch, height, width, channels] inputs with known channels, got ${JSON.stringify(shape)}.`);
      }
      if (this.affine) {
        const addWeight = (this as unknown as { addWeight: AddWeight }).addWeight.bind(this);
        this.#gamma = addWeight('gamma', [channels], 'float32', this.#gammaInit, undefined, true);
        this.#beta = addWeight('beta', [channels], 'float32', this.#betaInit, undefined, true);
      }
      this.built = true;
    }

    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      return oneShape(inputShape);
    }

    call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        // Inside a gradient of a gradient (a gradient penalty through this layer) the closed-form gradient
        // below would not be differentiated again (tf.customGrad's gradient is opaque to the tape): use the
        // plain formula there.
        if (gradientDepth(tf) > 1) return instanceNormPlain(tf, x, this.epsilon, this.#gamma?.read(), this.#beta?.read());
        // Named like tfjs' own op scopes ("…__op"): tf.profile lists the custom-gradient call under this name,
        // its time including the kernels inside it.
        return tf.tidy('instanceNorm__op', () => {
          if (!this.#gamma || !this.#beta) return instanceNormFn(tf, this.epsilon, false)(x);
          return instanceNormFn(tf, this.epsilon, true)(x, this.#gamma.read(), this.#beta.read());
        });
      });
    }

    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), epsilon: this.epsilon, affine: this.affine };
    }
  }

  class ReflectionPadding2D extends Base {
    static className = 'ReflectionPadding2D';
    readonly padding: [number, number];

    constructor(args: ReflectionPadding2DArgs = {}) {
      super(args);
      const p = args.padding ?? 1;
      this.padding = typeof p === 'number' ? [p, p] : [p[0], p[1]];
    }

    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [n, h, w, c] = oneShape(inputShape);
      const [ph, pw] = this.padding;
      return [n ?? null, h == null ? null : h + 2 * ph, w == null ? null : w + 2 * pw, c ?? null];
    }

    call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const [ph, pw] = this.padding;
        const [, h, w] = x.shape as number[];
        if (ph >= h! || pw >= w!) {
          throw new Error(`ReflectionPadding2D cannot pad ${h}x${w} feature maps by ${ph}x${pw}: reflection needs padding smaller than the size.`);
        }
        return tf.mirrorPad(x, [[0, 0], [ph, ph], [pw, pw], [0, 0]], 'reflect');
      });
    }

    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), padding: this.padding };
    }
  }

  const layers = { InstanceNormalization, ReflectionPadding2D } as unknown as CycleganLayers;
  byTf.set(tf, layers);
  return layers;
}
