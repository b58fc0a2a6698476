/**
 * Gradients that tfjs-core 4.22 lacks and that GAN training steps need, on every backend:
 *
 * - Comparison ops (Greater, Less, ...) have no gradient function. First-order training never
 *   differentiates them, but a gradient of a gradient does: tfjs' LeakyRelu gradient is
 *   `where(greater(x, 0), dy, dy * alpha)`, so WGAN-GP's penalty (d/dw of |dD/dx|) walks back
 *   through `Greater` and throws "gradient function not found for Greater". Like TensorFlow's
 *   `NotDifferentiable`, these ops are piecewise constant: their gradient is zero.
 * - DepthToSpace (pixel shuffle, SRGAN) has no gradient at all; its gradient is the inverse
 *   permutation (space-to-depth), written with reshape/transpose so that it is itself differentiable.
 *
 * - Tanh, Sigmoid and Exp save their *output* for the gradient. tfjs records the copy it saves
 *   (an Identity node) on the tape before the op's own node, so a second-order gradient that flows
 *   into the saved output is dropped: d/dw |d tanh(x w)/dx|^2 comes out wrong on every backend
 *   (checked against finite differences, training-steps.test.ts). These gradients save the input and
 *   recompute the output instead, which gives bit-identical first-order gradients.
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

export function registerTrainingGradients(): void {
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
