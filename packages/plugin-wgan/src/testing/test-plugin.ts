/**
 * Tests only: a plugin with MNIST averaged down to 14x14 or 7x7, one-hidden-layer MLPs (hundreds of steps
 * train in seconds on cpu), and a critic that keeps a reference to the model it builds, so tests can
 * inspect its weights while the engine trains it.
 */
import { defineDataset, definePlugin, type DataSource, type LayersModel, type SymbolicTensor } from '@ganforge/core';
import mnistPlugin from '../../../plugin-mnist/src/index.js';
import { critic } from '../critic.js';

/** Models built by "wgan-test/critic", by their name in the spec. */
export const builtModels: Record<string, LayersModel> = {};

const mnist14 = defineDataset({
  description: 'MNIST digits averaged down to 14x14 or 7x7.',
  optionsSchema: {
    type: 'object',
    properties: { maxPerDigit: { type: 'integer', minimum: 1, default: 100 }, size: { enum: [14, 7], default: 14 } },
    additionalProperties: false,
  },
  async open(ctx) {
    const digits = mnistPlugin.datasets!.digits!;
    const source = await digits.open({ ...ctx, options: { digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], split: 'all', validationFraction: 0.1, maxPerDigit: ctx.options.maxPerDigit } });
    const size = ctx.options.size ?? 14;
    const f = 28 / size;
    const small: DataSource = {
      info: { ...source.info, shape: [size, size, 1] },
      range: source.range,
      async read(indices) {
        const batch = await source.read(indices);
        const x = new Float32Array(indices.length * size * size);
        for (let n = 0; n < indices.length; n++) {
          for (let r = 0; r < size; r++) {
            for (let c = 0; c < size; c++) {
              let sum = 0;
              for (let rr = 0; rr < f; rr++) for (let cc = 0; cc < f; cc++) sum += batch.x[n * 784 + (f * r + rr) * 28 + f * c + cc]!;
              x[(n * size + r) * size + c] = sum / (f * f);
            }
          }
        }
        return { x, label: batch.label };
      },
    };
    return small;
  },
});

export const testPlugin = definePlugin({
  meta: { name: 'wgan-test-plugin', version: '0.0.0', namespace: 'wgan-test', core: '*', apiVersion: 1 },
  datasets: { mnist14 },
  architectures: {
    'mlp-generator': {
      description: 'noise → dense 64 ReLU → dense tanh → image.',
      build({ tf, data, seed }) {
        const [h, w, c] = data.real!.shape;
        const noise = tf.input({ shape: [8] });
        const hidden = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(noise);
        const pixels = tf.layers.dense({ units: h * w * c, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }).apply(hidden);
        return tf.model({ inputs: noise, outputs: tf.layers.reshape({ targetShape: [h, w, c] }).apply(pixels) as SymbolicTensor });
      },
    },
    'mlp-critic': {
      description: 'image → dense 64 LeakyReLU → linear score; kernels N(0, initStd).',
      optionsSchema: { type: 'object', properties: { initStd: { type: 'number', exclusiveMinimum: 0, default: 0.5 } }, additionalProperties: false },
      build({ tf, data, seed, options }) {
        const init = (s: number) => tf.initializers.randomNormal({ mean: 0, stddev: (options as { initStd: number }).initStd, seed: s });
        const image = tf.input({ shape: data.real!.shape });
        const flat = tf.layers.flatten().apply(image);
        const hidden = tf.layers.dense({ units: 64, kernelInitializer: init(seed) }).apply(flat);
        const active = tf.layers.leakyReLU({ alpha: 0.2 }).apply(hidden);
        const score = tf.layers.dense({ units: 1, kernelInitializer: init(seed + 1) }).apply(active);
        return tf.model({ inputs: image, outputs: score as SymbolicTensor });
      },
    },
    critic: {
      description: 'wgan/critic, remembered for inspection.',
      optionsSchema: critic.optionsSchema,
      build(ctx) {
        const model = critic.build(ctx) as LayersModel;
        builtModels[ctx.name] = model;
        return model;
      },
    },
  },
});
