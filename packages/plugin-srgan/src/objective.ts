/**
 * The SRResNet and SRGAN objectives (Ledig et al. 2017). Both take one stream `hr` of high-res images (random
 * crops from core/image-folder's { size, crop, flip }) and make the low-res inputs themselves: each batch is
 * downscaled by the generator's factor with an antialiased bicubic (bicubic.ts, MATLAB imresize style by
 * default), so the pairs are exact and need no second dataset. When the stream has ready low-res pairs
 * (core/image-folder's `pairs`), those are the inputs instead, and their size ratio must be the generator's factor.
 * - srgan/srresnet: one phase `generator` minimizing the content loss between G(LR) and HR (MSE: SRResNet-MSE);
 * - srgan/srgan: `discriminator` (HR vs G(LR) of the same batch), then `generator` (content + 1e-3 × adversarial,
 *   on that same HR batch). The adversarial role's weight multiplies the generator's term only; D's loss is
 *   unweighted (Adam would undo a constant factor on it anyway).
 * The generator's upscaling factor is measured (one forward pass on a small input), so the spec states it once.
 */
import {
  defineObjective,
  GanforgeError,
  type AdversarialLoss,
  type DataInfo,
  type LayersModel,
  type ObjectiveProgram,
  type PairwiseLoss,
  type ResolvedLoss,
  type Scalar,
  type Batch,
  type StepContext,
  type Tensor,
  type Tensor4D,
  type TF,
} from '@ganforge/core';
import { bicubicDownsample, bicubicResize, type Border } from './bicubic.js';

const ADAM = { type: 'adam', lr: 1e-4, beta1: 0.9, beta2: 0.999 } as const;

const optionsSchema = {
  type: 'object',
  properties: {
    downsample: {
      enum: ['matlab', 'pil'],
      default: 'matlab',
      description: 'Borders of the bicubic downsampler that makes the low-res inputs: "matlab" (imresize: symmetric extension) or "pil" (Image.resize: kernel clipped and renormalized).',
    },
  },
  additionalProperties: false,
} as const;

const data = { hr: { description: 'High-resolution images (e.g. core/image-folder with { crop, flip }); the objective downsamples each batch into the inputs, unless the stream has ready low-res pairs (image-folder option pairs).', labels: 'optional' as const } };

const content = {
  kind: 'pairwise' as const,
  description: 'Content loss between G(LR) and HR (the paper\'s SRResNet-MSE: pixel MSE).',
  default: { use: 'core/mse' },
};

const artifacts = {
  upscale: {
    description: 'Upscales low-res images (any size) by the generator\'s factor; inputs in the training scale.',
    models: ['generator'],
    // With ready pairs, evaluation feeds it the held-out low-res pairs and judges it against their HR images.
    pairOf: 'hr',
    input: 'image' as const,
    output: 'image' as const,
  },
};

/** What setup measures and checks, shared by both objectives. */
interface Upscaler {
  G: LayersModel;
  scale: number;
  hr: DataInfo;
  border: Border;
}

function upscaler(tf: TF, models: Record<string, LayersModel>, data: Record<string, DataInfo>, border: Border): Upscaler {
  const G = models.generator!;
  const hr = data.hr!;
  const [height, width, channels] = hr.shape;
  const fail = (message: string, pointer: string, hint: string): never => {
    throw new GanforgeError('GF_SPEC_CONFLICT', message, { pointer, hint });
  };
  if (G.inputs.length !== 1 || G.outputs.length !== 1) fail(`The SRGAN generator "${G.name}" must take one image and give one, but has ${G.inputs.length} inputs and ${G.outputs.length} outputs.`, '/models/generator', 'Use srgan/srresnet.');
  const inShape = G.inputs[0]!.shape;
  const probe = [inShape[1] ?? 4, inShape[2] ?? 4, inShape[3] ?? channels] as const;
  if (probe[2] !== channels) fail(`The SRGAN generator takes ${probe[2]}-channel images, but stream "hr" has ${channels} channels.`, '/models/generator', 'Set the generator\'s options.stream to "hr".');
  const out = tf.tidy(() => (G.apply(tf.zeros([1, ...probe]), { training: false }) as Tensor).shape);
  const scale = out[1]! / probe[0];
  if (out.length !== 4 || !Number.isInteger(scale) || scale < 1 || out[2] !== probe[1] * scale || out[3] !== channels) {
    fail(`The SRGAN generator must upscale [h, w, ${channels}] images by an integer factor; it maps ${JSON.stringify(probe)} to ${JSON.stringify(out.slice(1))}.`, '/models/generator', 'Use srgan/srresnet.');
  }
  if (hr.pair) {
    const [ph, pw, pc] = hr.pair.shape;
    if (ph * scale !== height || pw * scale !== width || pc !== channels) {
      const ratio = height / ph;
      fail(
        `Stream "hr" has low-res pairs of ${pw}x${ph}x${pc} for its ${width}x${height}x${channels} images (${Number.isInteger(ratio) && ratio > 1 ? `${ratio}x smaller` : 'not smaller'}), but the generator upscales by ${scale}.`,
        '/data/hr/options/pairs',
        `Use pairs ${scale}x smaller than their images, or set the generator's options.scale to ${Number.isInteger(ratio) && ratio > 1 ? ratio : 'their ratio'}.`,
      );
    }
  } else if (height % scale !== 0 || width % scale !== 0) {
    fail(`Stream "hr" has ${width}x${height} images, which the generator's factor ${scale} does not divide: the objective downscales them by ${scale} to make its inputs.`, '/data/hr', `Crop or resize the images to a multiple of ${scale} (image-folder: options.size), e.g. 96.`);
  }
  return { G, scale, hr, border };
}

/** The generator's inputs for a batch of HR images: their ready low-res pairs, else their bicubic downscale. */
const lowRes = (tf: TF, u: Upscaler, batch: Batch): Tensor4D => batch.pair ?? bicubicDownsample(tf, batch.x, u.scale, u.border);

const weighted = (tf: TF, loss: ResolvedLoss, value: Scalar): Scalar => (loss.weight === 1 ? value : tf.mul(value, loss.weight));

/** Grids (rows of bicubic-upscaled LR | G(LR) | HR) and evaluation samples (G(LR) of held-out HR). */
function sampler(tf: TF, u: Upscaler): Pick<ObjectiveProgram, 'sample' | 'evaluates'> {
  const upscale = (lr: Tensor4D) => u.G.apply(lr, { training: false }) as Tensor4D;
  return {
    evaluates: 'hr',
    sample({ n, purpose, images }) {
      if (purpose === 'evaluation') {
        const hr = images('hr', n);
        return { images: upscale(lowRes(tf, u, hr)), ...(hr.label ? { labels: hr.label } : {}) };
      }
      const rows = Math.max(1, Math.floor(n / 3));
      const batch = images('hr', rows);
      const hr = batch.x;
      const [, h, w, c] = hr.shape;
      const lr = lowRes(tf, u, batch);
      const bicubic = tf.clipByValue(bicubicResize(tf, lr, h, w, u.border), -1, 1) as Tensor4D;
      const grid = tf.reshape(tf.stack([bicubic, upscale(lr), hr], 1), [rows * 3, h, w, c]) as Tensor4D;
      return { images: grid, columns: 3 };
    },
  };
}

export const srresnetObjective = defineObjective({
  description: 'SRResNet: a super-resolution generator trained on the content loss (MSE) alone, LR made from HR by bicubic downsampling.',
  optionsSchema,
  models: { generator: { description: 'Upscales low-res images, e.g. srgan/srresnet.' } },
  data,
  optimizers: { generator: { models: ['generator'], defaults: ADAM } },
  losses: { content },
  artifacts,
  ema: 'generator',
  setup({ tf, options, models, losses, data: streams }) {
    const u = upscaler(tf, models, streams, options.downsample);
    const contentLoss = losses.content!;
    const contentFn = contentLoss.fn as PairwiseLoss;
    return {
      phases: [
        {
          name: 'generator',
          optimizer: 'generator',
          loss(step) {
            const batch = step.batch('hr');
            const sr = u.G.apply(lowRes(tf, u, batch), { training: true }) as Tensor4D;
            return weighted(tf, contentLoss, contentFn(sr, batch.x));
          },
        },
      ],
      ...sampler(tf, u),
    };
  },
});

export const srganObjective = defineObjective({
  description: 'SRGAN: super-resolution with a discriminator: content loss + 1e-3 × adversarial loss, LR made from HR by bicubic downsampling.',
  optionsSchema,
  models: {
    generator: { description: 'Upscales low-res images, e.g. srgan/srresnet (start from an SRResNet run, as the paper).' },
    discriminator: { description: 'Judges high-res images (real vs upscaled), e.g. srgan/discriminator.' },
  },
  data,
  optimizers: {
    discriminator: { models: ['discriminator'], defaults: ADAM },
    generator: { models: ['generator'], defaults: ADAM },
  },
  losses: {
    content,
    adversarial: { kind: 'adversarial', description: 'GAN loss on the discriminator\'s logits; its weight (1e-3) multiplies the generator\'s term.', default: { use: 'core/non-saturating', weight: 1e-3 } },
  },
  artifacts,
  ema: 'generator',
  augmentPoints: { discriminator: 'Real and upscaled high-res images on their way into the discriminator (both phases).' },
  setup({ tf, options, models, losses, data: streams }) {
    const u = upscaler(tf, models, streams, options.downsample);
    const D = models.discriminator!;
    const dIn = D.inputs[0]?.shape;
    if (D.inputs.length !== 1 || !u.hr.shape.every((v, i) => dIn?.[i + 1] === v)) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `The SRGAN discriminator "${D.name}" judges ${JSON.stringify(dIn?.slice(1))} images, but stream "hr" has ${JSON.stringify(u.hr.shape)}.`, {
        pointer: '/models/discriminator',
        hint: 'Use srgan/discriminator with options.stream "hr".',
      });
    }
    const contentLoss = losses.content!;
    const contentFn = contentLoss.fn as PairwiseLoss;
    const adversarial = losses.adversarial!;
    const adv = adversarial.fn as AdversarialLoss;
    const judge = (x: Tensor4D, step: StepContext) => D.apply(step.augment(x, 'discriminator'), { training: true }) as Tensor;
    // The discriminator phase's batch (HR and its LR), which the generator phase reuses (one batch per step).
    let pending: { x: Tensor4D; lr: Tensor4D } | undefined;
    const release = () => {
      if (pending) tf.dispose([pending.x, pending.lr]);
      pending = undefined;
    };
    return {
      phases: [
        {
          name: 'discriminator',
          optimizer: 'discriminator',
          loss(step) {
            const batch = step.batch('hr');
            const hr = batch.x;
            const lr = lowRes(tf, u, batch);
            release();
            pending = { x: step.keep(tf.clone(hr)), lr: step.keep(tf.clone(lr)) };
            const sr = u.G.apply(lr, { training: true }) as Tensor4D;
            const real = judge(hr, step);
            const fake = judge(sr, step);
            return { total: adv.discriminator(real, fake), parts: { real_logit: tf.mean(real) as Scalar, fake_logit: tf.mean(fake) as Scalar } };
          },
        },
        {
          name: 'generator',
          optimizer: 'generator',
          loss(step) {
            const batch = pending ?? step.batch('hr');
            const hr = batch.x;
            const sr = u.G.apply(pending?.lr ?? lowRes(tf, u, batch), { training: true }) as Tensor4D;
            const contentTerm = weighted(tf, contentLoss, contentFn(sr, hr));
            const adversarialTerm = weighted(tf, adversarial, adv.generator(judge(sr, step)));
            return { total: tf.add(contentTerm, adversarialTerm) as Scalar, parts: { content: contentTerm, adversarial: adversarialTerm } };
          },
          afterUpdate() {
            release();
          },
        },
      ],
      ...sampler(tf, u),
      dispose: release,
    };
  },
});
