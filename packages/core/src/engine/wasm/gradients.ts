/**
 * Gradients that tfjs-core 4.22 lacks and that GAN training steps need, on every backend:
 *
 * - Comparison ops (Greater, Less, ...) have no gradient function. First-order training never
 *   differentiates them, but a gradient of a gradient does: tfjs' LeakyRelu gradient is
 *   `where(greater(x, 0), dy, dy * alpha)`, so a gradient penalty (d/dw of |dD/dx|) walks back
 *   through `Greater` and throws "gradient function not found for Greater". Like TensorFlow's
 *   `NotDifferentiable`, these ops are piecewise constant: their gradient is zero.
 * - DepthToSpace (pixel shuffle, SRGAN) has no gradient at all; its gradient is the inverse
 *   permutation (space-to-depth), written with reshape/transpose so that it is itself differentiable.
 *
 * - Tanh, Sigmoid and Exp save their *output* for the gradient. tfjs records the copy it saves
 *   (an Identity node) on the tape before the op's own node, so a second-order gradient that flows
 *   into the saved output is dropped: d/dw |d tanh(x w)/dx|^2 comes out wrong on every backend
 *   (checked against finite differences, test/engine/wasm-training-steps.test.ts). These gradients save the input and
 *   recompute the output instead, which gives bit-identical first-order gradients.
 *
 * - FusedBatchNorm (tf.batchNorm): its gradient tiles 1/sqrt(variance) to the activation's full size
 *   (the wasm Tile kernel makes that ~40% of a DCGAN generator update); here it broadcasts instead
 *   (same products in the same order, so the same values). And tf.batchNorm without scale/offset
 *   cannot be differentiated on any backend: the engine tries to clone the absent `scale` it saves
 *   for the gradient. The engine's tape is patched to leave absent optional inputs out.
 *
 * - Tile: tfjs' gradient adds one slice of dy per repetition (prod(reps) Slice + Add kernels). Layer
 *   norm (tfjs-layers tiles its moments to the activation's full size) thus cost thousands of kernels
 *   per step, and a second-order gradient through it (a gradient penalty on a layer-norm critic) as many Pads.
 *   Here: per tiled axis, one reshape that splits it into [reps, size] and one sum over reps.
 *
 * - MirrorPad (reflection padding, CycleGAN's generators): tfjs' gradient only slices the centre of dy,
 *   so the gradient that reaches the mirrored border is dropped instead of being added back onto the
 *   pixels it copies (pad 1 on a 7x7 map loses 32 of 81 positions). Here each padded border is reversed
 *   and added onto its source pixels, axis by axis, for "reflect" and "symmetric" alike.
 *
 * - LeakyRelu: on backends that have the fused GanforgeLeakyReluGrad kernel (wasm), its gradient is
 *   that one kernel instead of greater + mul + where; elsewhere tfjs' composition, unchanged.
 *
 * Registration is global (gradients are not per backend) and idempotent.
 */
import * as tf from '@tensorflow/tfjs-core';

const ZERO_GRAD_BINARY = ['Greater', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr'];
const ZERO_GRAD_UNARY = ['LogicalNot'];

function has(kernelName: string): boolean {
  return tf.getGradient(kernelName) != null;
}

const OURS = new WeakSet<object>();

/** Second-order-safe replacements: y recomputed from the saved input x. */
const FROM_INPUT: Record<string, (x: tf.Tensor, dy: tf.Tensor) => tf.Tensor> = {
  Tanh: (x, dy) => tf.mul(tf.sub(1, tf.square(tf.tanh(x))), dy),
  Sigmoid: (x, dy) => {
    const y = tf.sigmoid(x);
    return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
  },
  Exp: (x, dy) => tf.mul(dy, tf.exp(x)),
};

function replaceGradient(config: tf.GradConfig): void {
  const existing = tf.getGradient(config.kernelName);
  if (existing && OURS.has(existing.gradFunc)) return;
  if (existing) (tf as unknown as { unregisterGradient?: (k: string) => void }).unregisterGradient?.(config.kernelName);
  OURS.add(config.gradFunc);
  tf.registerGradient(config);
}

export function depthToSpaceGrad(dy: tf.Tensor, blockSize: number, dataFormat: 'NHWC' | 'NCHW'): tf.Tensor4D {
  const bs = blockSize;
  if (dataFormat === 'NHWC') {
    const [b, h, w, c] = dy.shape as [number, number, number, number];
    const r = tf.reshape(dy, [b, h / bs, bs, w / bs, bs, c]);
    return tf.reshape(tf.transpose(r, [0, 1, 3, 2, 4, 5]), [b, h / bs, w / bs, bs * bs * c]);
  }
  // NCHW: out[b, c, h*bs+i, w*bs+j] = in[b, (i*bs+j)*C + c, h, w]
  const [b, c, h, w] = dy.shape as [number, number, number, number];
  const r = tf.reshape(dy, [b, c, h / bs, bs, w / bs, bs]);
  return tf.reshape(tf.transpose(r, [0, 3, 5, 1, 2, 4]), [b, bs * bs * c, h / bs, w / bs]);
}

/** d tile(x, reps) / dx: each tiled axis split into [reps, size] and summed over reps (differentiable). */
export function tileGrad(dy: tf.Tensor, xShape: number[], reps: number[]): tf.Tensor {
  let g = dy;
  for (let axis = 0; axis < xShape.length; axis++) {
    if (reps[axis] === 1) continue;
    const split = [...g.shape.slice(0, axis), reps[axis]!, xShape[axis]!, ...g.shape.slice(axis + 1)];
    g = tf.sum(tf.reshape(g, split), axis);
  }
  return g;
}

function fusedBatchNormGrad(dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) {
  const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
  const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
  const scaleValue = isAbsent(scale) ? tf.scalar(1) : scale!;
  const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
  const perChannel = mean.rank === 1;
  const reduce = (t: tf.Tensor) => tf.reshape(perChannel ? tf.sum(t, reductionAxes) : t, mean.shape);
  const xMinusMean = tf.sub(x, mean);
  const dyTimesScale = tf.mul(dy, scaleValue);
  const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
  const minusHalfRCube = tf.mul(tf.mul(tf.mul(oneOverSqrtVariance, oneOverSqrtVariance), oneOverSqrtVariance), tf.scalar(-0.5));
  return {
    x: () => tf.reshape(tf.mul(tf.mul(dy, oneOverSqrtVariance), scaleValue), x.shape),
    mean: () => reduce(tf.mul(tf.mul(oneOverSqrtVariance, tf.scalar(-1)), dyTimesScale)),
    variance: () => reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)),
    scale: () => reduce(tf.mul(dy, tf.mul(xMinusMean, oneOverSqrtVariance))),
    offset: () => reduce(dy),
  };
}

/** Stands in for an absent optional input among a tape node's saved tensors (the engine disposes them). */
const ABSENT = Object.freeze({ dispose() {}, absent: true });
const isAbsent = (t: unknown): boolean => t == null || t === ABSENT;

/**
 * Lets the tape handle optional inputs that an op call left out (FusedBatchNorm's scale/offset):
 * the engine records them as `undefined` inputs, then fails cloning them for the gradient and reading
 * their ids when it filters the tape.
 */
function patchEngineOptionalInputs(): void {
  const engine = tf.engine() as unknown as {
    saveTensorsForBackwardMode(ts: (tf.Tensor | undefined)[]): (tf.Tensor | undefined)[];
    addTapeNode(kernelName: string, inputs: Record<string, tf.Tensor | undefined>, ...rest: unknown[]): void;
    __ganforgeOptionalInputs?: boolean;
  };
  if (engine.__ganforgeOptionalInputs) return;
  if (typeof engine.saveTensorsForBackwardMode !== 'function' || typeof engine.addTapeNode !== 'function') return;
  const save = engine.saveTensorsForBackwardMode.bind(engine);
  engine.saveTensorsForBackwardMode = (ts) =>
    ts.some((t) => t == null) ? ts.map((t) => (t == null ? (ABSENT as unknown as tf.Tensor) : save([t])[0])) : save(ts);
  const addTapeNode = engine.addTapeNode.bind(engine);
  engine.addTapeNode = (kernelName, inputs, ...rest) => {
    let clean = inputs;
    for (const k in inputs) {
      if (inputs[k] == null) {
        clean = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v != null));
        break;
      }
    }
    addTapeNode(kernelName, clean, ...rest);
  };
  engine.__ganforgeOptionalInputs = true;
}

const LEAKY_RELU_GRAD = 'GanforgeLeakyReluGrad';

/** tfjs' own LeakyRelu gradient, for backends without the fused kernel. */
function leakyReluGradComposed(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  return tf.where(tf.greater(x, 0), dy, tf.mul(dy, alpha));
}

function leakyReluGrad(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  if (!tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend())) return leakyReluGradComposed(dy, x, alpha);
  return tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x }, { alpha }) as tf.Tensor;
}

/**
 * d/dx of mirrorPad(x, paddings, mode): the centre of dy, plus each padded border reversed and added onto
 * the pixels it mirrors ("reflect" skips the edge pixel, "symmetric" repeats it). Composed of slice,
 * reverse, pad and add, so it is differentiable again.
 */
export function mirrorPadGrad(dy: tf.Tensor, paddings: [number, number][], mode: 'reflect' | 'symmetric'): tf.Tensor {
  const skip = mode === 'reflect' ? 1 : 0;
  let g = dy;
  paddings.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const n = g.shape[axis]! - before - after;
    const along = (start: number, size: number) => {
      const begin = g.shape.map((_, a) => (a === axis ? start : 0));
      const sizes = g.shape.map((d, a) => (a === axis ? size : d));
      return tf.slice(g, begin, sizes);
    };
    const padAxis = (t: tf.Tensor, lo: number, hi: number) => tf.pad(t, t.shape.map((_, a) => (a === axis ? [lo, hi] : [0, 0])) as [number, number][]);
    let centre = along(before, n);
    // Left border: padded position i copies x[before - 1 + skip - i]; reversed, it lines up with x[skip .. skip + before).
    if (before > 0) centre = tf.add(centre, padAxis(tf.reverse(along(0, before), axis), skip, n - skip - before));
    // Right border: position j past the end copies x[n - 1 - skip - j]; reversed, it lines up with x[n - skip - after .. n - skip).
    if (after > 0) centre = tf.add(centre, padAxis(tf.reverse(along(before + n, after), axis), n - skip - after, skip));
    g = centre;
  });
  return g;
}

export function registerTrainingGradients(): void {
  replaceGradient({
    kernelName: 'MirrorPad',
    gradFunc: (dy, _saved, attrs) => {
      const { paddings, mode } = attrs as unknown as { paddings: [number, number][]; mode: 'reflect' | 'symmetric' };
      return { x: () => mirrorPadGrad(dy as tf.Tensor, paddings, mode) };
    },
  });
  replaceGradient({
    kernelName: 'LeakyRelu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const { alpha } = attrs as unknown as { alpha: number };
      return { x: () => leakyReluGrad(dy as tf.Tensor, x, alpha) };
    },
  });
  replaceGradient({
    kernelName: LEAKY_RELU_GRAD,
    inputsToSave: ['x'],
    gradFunc: (ddx, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const { alpha } = attrs as unknown as { alpha: number };
      return { dy: () => leakyReluGrad(ddx as tf.Tensor, x, alpha), x: () => tf.zerosLike(x) };
    },
  });
  patchEngineOptionalInputs();
  replaceGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => fusedBatchNormGrad(dy as tf.Tensor, saved, attrs),
  });
  replaceGradient({
    kernelName: 'Tile',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const { reps } = attrs as unknown as { reps: number[] };
      return { x: () => tileGrad(dy as tf.Tensor, x.shape, reps) };
    },
  });
  for (const [kernelName, grad] of Object.entries(FROM_INPUT)) {
    replaceGradient({
      kernelName,
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [tf.Tensor];
        return { x: () => grad(x, dy as tf.Tensor) };
      },
    });
  }
  for (const kernelName of ZERO_GRAD_BINARY) {
    if (has(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as [tf.Tensor, tf.Tensor];
        return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
      },
    });
  }
  for (const kernelName of ZERO_GRAD_UNARY) {
    if (has(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['x'],
      gradFunc: (_dy, saved) => {
        const [x] = saved as [tf.Tensor];
        return { x: () => tf.zerosLike(x) };
      },
    });
  }
  if (!has('DepthToSpace')) {
    tf.registerGradient({
      kernelName: 'DepthToSpace',
      gradFunc: (dy, _saved, attrs) => {
        const { blockSize, dataFormat } = attrs as unknown as { blockSize: number; dataFormat: 'NHWC' | 'NCHW' };
        return { x: () => depthToSpaceGrad(dy as tf.Tensor, blockSize, dataFormat) };
      },
    });
  }
}
