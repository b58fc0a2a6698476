/**
 * The DCGAN objective (Radford et al. 2016), also cGAN (Mirza & Osindero 2014) when the generator takes
 * labels. Each step: a discriminator update on a real batch and a detached fake batch, then a generator
 * update through the discriminator. Gradients only change the variables of the phase's optimizer group,
 * so the fake batch needs no explicit stop-gradient in the discriminator phase. With an optional model "q"
 * and a generator code, also InfoGAN's mutual-information term (info-code.ts).
 */
import { codeSize, codesOf, gradientPenalty, labelValues, PixelClusters } from '@ganforge/plugin-stability';
import { checkInfoModels, infoLoss } from './info-code.js';
import { defineObjective, GanforgeError, type StepContext, type AdversarialLoss, type LayersModel, type PairwiseLoss, type Scalar, type SymbolicTensor, type Tensor, type Tensor1D, type Tensor4D, type TF } from '@ganforge/core';

const ADAM = { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } as const;

const optionsSchema = {
  type: 'object',
  properties: {
    r1: {
      type: 'number',
      minimum: 0,
      maximum: 1e4,
      default: 0,
      description: 'γ of the R1 penalty (Mescheder et al. 2018): γ/2 · E[‖∇D(x)‖²] on real images, added to the discriminator\'s loss. 0: off. StyleGAN2: 10 at 1024 px; small images need far less (0.1–1).',
    },
    r2: { type: 'number', minimum: 0, maximum: 1e4, default: 0, description: 'γ of the R2 penalty: the same on generated images. 0: off.' },
    consistency: {
      type: 'number',
      minimum: 0,
      maximum: 1e4,
      default: 0,
      description:
        'λ of balanced consistency regularization (bCR, Zhao et al. 2020): λ · E[(D(x) − D(T(x)))²] on real and on generated images, T = the spec\'s augmentations at the "consistency" point (e.g. augment/translation, augment/flip). 0: off. The paper: 10.',
    },
    info: {
      type: 'number',
      minimum: 0,
      maximum: 1e4,
      default: 1,
      description: 'λ of the InfoGAN mutual-information term (Chen et al. 2016; the paper: 1 for discrete codes): the generator and the model "q" minimize λ · cross-entropy of q(G(z)) against the generator\'s code. Used when the spec has a model "q".',
    },
    clusters: {
      type: 'integer',
      minimum: 0,
      maximum: 10000,
      default: 0,
      description: 'Self-conditioning by pixel clusters: a conditional discriminator judges each real image with the nearest of this many centroids (online k-means over the real images, kept in checkpoints) and each generated image with its code (generator options.codes = clusters, discriminator options.classes = clusters). No data label and no model "q" needed. 0: off (with a model "q", its guess labels the reals).',
    },
    penaltyEvery: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 1,
      description: 'Lazy regularization (Karras et al. 2020): take R1/R2 only every k-th step, multiplied by k (StyleGAN2: 16).',
    },
  },
  additionalProperties: false,
} as const;

export const dcganObjective = defineObjective({
  description: 'DCGAN training: discriminator on real vs generated, then generator; conditional (cGAN) when the generator takes labels.',
  optionsSchema,
  models: {
    generator: { description: 'Maps noise (and a class label, for cGAN) to an image, e.g. dcgan/generator.' },
    discriminator: { description: 'Maps an image (and its label, for cGAN) to one logit, e.g. dcgan/discriminator.' },
    q: {
      description: 'InfoGAN\'s code recognizer: an image → one logit per value of the generator\'s categorical code (generator options.codes), e.g. dcgan/discriminator with options.outputs = codes. Trained with the generator on the mutual-information term.',
      optional: true,
    },
  },
  data: { real: { description: 'The images to imitate; labels make it conditional when the generator takes them.', labels: 'optional' } },
  optimizers: {
    generator: { models: ['generator', 'q'], defaults: ADAM },
    discriminator: { models: ['discriminator'], defaults: ADAM },
  },
  losses: {
    adversarial: { kind: 'adversarial', description: 'GAN loss on the discriminator logits.', default: { use: 'core/non-saturating' } },
    featureMatching: {
      kind: 'pairwise',
      description:
        'Feature matching (Salimans et al. 2016): the generator also matches the batch mean of the discriminator\'s last hidden features (the input of its final layer) on fakes to that on reals. Off by default (weight 0); e.g. { "use": "core/mse", "weight": 1 }.',
      default: { use: 'core/mse', weight: 0 },
    },
  },
  artifacts: {
    generator: { description: 'Draws images from noise (and a class label, for cGAN).', models: ['generator'], input: 'noise', output: 'image' },
  },
  ema: 'generator',
  augmentPoints: {
    discriminator: 'Real and generated images on their way into the discriminator (both phases): DiffAugment-style.',
    consistency: 'The transformation T of the consistency penalty (option consistency): D should score T(x) as it scores x.',
  },
  setup({ tf, options, models, losses, data }) {
    const G = models.generator!;
    const D = models.discriminator!;
    const adversarial = losses.adversarial!;
    // The core has checked the role's loss is of the kind declared above.
    const loss = adversarial.fn as AdversarialLoss;
    const weighted = (value: Scalar): Scalar => (adversarial.weight === 1 ? value : tf.mul(value, adversarial.weight));
    const Q = models.q;
    const codes = Q ? checkInfoModels(G, Q) : (codeSize(G) ?? 0);
    const conditioning = checkConditioning(G, D, data.real?.numClasses, codes);
    const clusters = (options.clusters ?? 0) > 0 ? new PixelClusters(tf, options.clusters!) : undefined;
    checkSelfConditioning(conditioning, codes, clusters?.k, Q !== undefined);
    const conditional = conditioning === 'labels';
    const latentDim = noiseSize(G);
    const matching = losses.featureMatching;
    const featuresOf = matching && matching.weight > 0 ? hiddenFeatures(tf, D) : undefined;
    let keptReal: Tensor4D | undefined;
    const numClasses = data.real?.numClasses ?? 0;
    // Self-conditioned (conditioning "codes"): D judges a fake with its code and a real image with its nearest
    // pixel cluster, else q's guess of the code it looks like (q is in the generator's group: not trained here).
    const guess = (images: Tensor4D, learn?: StepContext['keep']): Tensor1D => {
      if (clusters) return learn ? clusters.assignAndLearn(images, learn) : clusters.assign(images);
      return tf.argMax(Q!.apply(images, { training: false }) as Tensor, 1) as Tensor1D;
    };

    // The generator phase reuses the labels (and batch size) of the latest discriminator phase, so fake
    // classes follow the data's class mix (e.g. only the digits the dataset keeps).
    let keptLabels: Tensor1D | undefined;
    let batchSize = 0;

    const generate = (noise: Tensor, labels: Tensor1D | undefined, training: boolean): Tensor4D =>
      G.apply(labels ? [noise, labels] : noise, { training }) as Tensor4D;
    const judge = (images: Tensor4D, labels: Tensor1D | undefined): Tensor =>
      D.apply(labels ? [images, labels] : images, { training: true }) as Tensor;

    return {
      phases: [
        {
          name: 'discriminator',
          optimizer: 'discriminator',
          loss(step) {
            const real = step.batch('real');
            batchSize = real.x.shape[0];
            const noise = step.random.normal([batchSize, latentDim]);
            let labels: Tensor1D | undefined;
            if (conditional) {
              if (!real.label) {
                throw new GanforgeError('GF_DATA', 'The conditional DCGAN got a batch without labels from the "real" data stream.', {
                  hint: 'Use a labelled dataset, or make the generator and discriminator unconditional.',
                });
              }
              labels = real.label;
              keptLabels?.dispose();
              keptLabels = step.keep(tf.clone(labels));
            }
            const fake = generate(noise, labels, true);
            const realLabels = conditioning === 'codes' ? guess(real.x, (t) => step.keep(t)) : labels;
            const fakeLabels = conditioning === 'codes' ? codesOf(tf, noise, codes) : labels;
            if (featuresOf) {
              keptReal?.dispose();
              keptReal = step.keep(tf.clone(real.x));
            }
            const seen = [step.augment(real.x), step.augment(fake)] as const;
            const realLogits = judge(seen[0], realLabels);
            const fakeLogits = judge(seen[1], fakeLabels);
            let total = weighted(loss.discriminator(realLogits, fakeLogits));
            const parts: Record<string, Scalar> = { real_logit: tf.mean(realLogits) as Scalar, fake_logit: tf.mean(fakeLogits) as Scalar };
            // ADA's overfitting signal r_t = E[sign(D(real))], for adaptive augmentations (augment/ada).
            step.report('realSign', tf.mean(tf.sign(realLogits)) as Scalar);
            // bCR: D's logits should not change under the "consistency" augmentations, for reals and fakes.
            const lambda = options.consistency ?? 0;
            if (lambda > 0) {
              const changes = seen.map((x, i) => {
                const transformed = step.augment(x, 'consistency');
                if (transformed === x) {
                  throw new GanforgeError('GF_SPEC_CONFLICT', 'The DCGAN objective\'s option consistency is set, but no augmentation applies at the "consistency" point, so the penalty would be 0.', {
                    pointer: '/objective/options/consistency',
                    hint: 'Add e.g. { "use": "augment/translation", "at": "consistency" } to the spec\'s augment section (@ganforge/plugin-augment), or set consistency to 0.',
                  });
                }
                return tf.mean(tf.square(tf.sub(i === 0 ? realLogits : fakeLogits, judge(transformed, i === 0 ? realLabels : fakeLabels))));
              });
              const consistency = tf.add(changes[0]!, changes[1]!) as Scalar;
              total = tf.add(total, tf.mul(consistency, lambda)) as Scalar;
              parts.consistency = consistency;
            }
            // R1/R2 on the augmented images D judged, every `penaltyEvery` steps, scaled up to compensate.
            const every = options.penaltyEvery ?? 1;
            if (step.step % every === 0) {
              for (const [key, gamma, images, imageLabels] of [['r1', options.r1 ?? 0, real.x, realLabels], ['r2', options.r2 ?? 0, fake, fakeLabels]] as const) {
                if (gamma === 0) continue;
                const penalty = gradientPenalty(tf, 'r1', (x) => judge(x, imageLabels), step.augment(images), 0);
                total = tf.add(total, tf.mul(penalty.value, gamma * every)) as Scalar;
                parts[key] = penalty.value;
                parts[`${key}_norm`] = penalty.meanNorm;
              }
            }
            return { total, parts };
          },
        },
        {
          name: 'generator',
          optimizer: 'generator',
          loss(step) {
            const labels = conditional ? keptLabels : undefined;
            const noise = step.random.normal([batchSize, latentDim]);
            const fake = generate(noise, labels, true);
            const fakeCodes = Q || conditioning === 'codes' ? codesOf(tf, noise, codes) : undefined;
            const fakeLabels = conditioning === 'codes' ? fakeCodes : labels;
            const adversarialTerm = weighted(loss.generator(judge(step.augment(fake), fakeLabels)));
            let total = adversarialTerm;
            const parts: Record<string, Scalar> = {};
            if (featuresOf && keptReal) {
              // Batch means of D's last hidden features; the real side is a constant for the generator.
              const meanFeatures = (images: Tensor4D, imageLabels: Tensor1D | undefined) => tf.mean(featuresOf(step.augment(images), imageLabels), 0);
              const realLabels = conditioning === 'codes' ? guess(keptReal) : labels;
              const fm = tf.mul((matching!.fn as PairwiseLoss)(meanFeatures(fake, fakeLabels), meanFeatures(keptReal, realLabels)), matching!.weight) as Scalar;
              total = tf.add(total, fm) as Scalar;
              parts.feature_matching = fm;
            }
            if (Q) {
              // InfoGAN: Q sees the generator's images as they are (no augmentation) and names their code.
              const info = infoLoss(tf, Q.apply(fake, { training: true }) as Tensor, fakeCodes!, codes);
              total = tf.add(total, tf.mul(info, options.info ?? 1)) as Scalar;
              parts.info = info;
            }
            return Object.keys(parts).length === 0 ? adversarialTerm : { total, parts: { adversarial: adversarialTerm, ...parts } };
          },
        },
      ],
      sample({ n, random, labels }) {
        return tf.tidy(() => {
          const noise = random.normal([n, latentDim]);
          if (!conditional) return generate(noise, undefined, false);
          const classes = labels ?? Int32Array.from({ length: n }, (_, i) => i % numClasses);
          return generate(noise, tf.tensor1d(classes, 'int32'), false);
        });
      },
      ...(clusters ? { state: clusters.state() } : {}),
      dispose() {
        clusters?.dispose();
        keptLabels?.dispose();
        keptLabels = undefined;
        keptReal?.dispose();
        keptReal = undefined;
      },
    };
  },
});

/**
 * The discriminator cut before its final layer: images (and labels) → the features that layer reads. A final
 * layer with several inputs (a projection discriminator adds a label term) has no single feature vector.
 */
function hiddenFeatures(tf: TF, D: LayersModel): (images: Tensor4D, labels: Tensor1D | undefined) => Tensor {
  const last = D.layers[D.layers.length - 1]!;
  const input = last.input as SymbolicTensor | SymbolicTensor[];
  if (Array.isArray(input)) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `Feature matching reads the features that the discriminator's final layer takes, but "${last.name}" takes ${input.length} inputs.`, {
      pointer: '/losses/featureMatching',
      hint: 'Use a discriminator whose last layer reads one feature vector (dcgan/discriminator with conditional "none" or "concat"), or drop featureMatching.',
    });
  }
  const model = tf.model({ inputs: D.inputs, outputs: input, name: `${D.name}_features` });
  return (images, labels) => model.apply(labels ? [images, labels] : images, { training: true }) as Tensor;
}

function noiseSize(G: LayersModel): number {
  const shape = G.inputs[0]!.shape;
  if (shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new GanforgeError('GF_SPEC_CONFLICT', `The DCGAN generator must take a noise vector [batch, n]; "${G.name}" takes ${JSON.stringify(shape)}.`, {
      hint: 'Use dcgan/generator, or an architecture whose first input is a flat noise vector.',
    });
  }
  return shape[1];
}

/**
 * "labels" (cGAN) when the generator takes labels; then the discriminator must too, and the data must be
 * labelled. "codes" (self-conditioned) when only the discriminator takes labels and the generator has an
 * InfoGAN code of as many values: D then judges fakes with their code and reals with q's guess.
 */
function checkConditioning(G: LayersModel, D: LayersModel, numClasses: number | undefined, codes: number): 'none' | 'labels' | 'codes' {
  const generatorTakesLabels = G.inputs.length > 1;
  const discriminatorTakesLabels = D.inputs.length > 1;
  if (discriminatorTakesLabels && !generatorTakesLabels && codes > 0) {
    const values = labelValues(D);
    if (values !== codes) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `The discriminator takes labels of ${values ?? 'unknown'} values, but the generator's code has ${codes}: a self-conditioned discriminator judges each image with its code.`, {
        pointer: '/models/discriminator/options',
        hint: `Set the discriminator's options.classes to ${codes}.`,
      });
    }
    return 'codes';
  }
  if (generatorTakesLabels !== discriminatorTakesLabels) {
    const [which, other] = generatorTakesLabels ? ['generator', 'discriminator'] : ['discriminator', 'generator'];
    throw new GanforgeError('GF_SPEC_CONFLICT', `The ${which} is conditional (takes labels) but the ${other} is not.`, {
      hint: 'For a cGAN set options.conditional on both models (generator "concat", discriminator "projection" or "concat"); for a plain DCGAN on neither; for a self-conditioned DCGAN give the generator options.codes and the spec a model "q".',
    });
  }
  if (generatorTakesLabels && !numClasses) {
    throw new GanforgeError('GF_SPEC_CONFLICT', 'The models are conditional, but the "real" data stream has no labels.', {
      hint: 'Use a labelled dataset (mnist/digits, or core/image-folder with one sub-folder per class).',
    });
  }
  return generatorTakesLabels ? 'labels' : 'none';
}

/** A self-conditioned discriminator needs something to label the reals: pixel clusters (as many as codes) or q. */
function checkSelfConditioning(conditioning: 'none' | 'labels' | 'codes', codes: number, clusters: number | undefined, hasQ: boolean): void {
  if (clusters !== undefined && (conditioning !== 'codes' || clusters !== codes)) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `Objective option clusters is ${clusters}, but ${conditioning === 'codes' ? `the generator's code has ${codes} values` : 'the discriminator is not self-conditioned'}: the clusters label real images for a discriminator that judges generated ones by their code.`, {
      pointer: '/objective/options/clusters',
      hint: `Give the generator options.codes ${clusters} and the discriminator options.conditional "projection" with options.classes ${clusters} (and no label input on the generator), or set clusters to 0.`,
    });
  }
  if (conditioning === 'codes' && clusters === undefined && !hasQ) {
    throw new GanforgeError('GF_SPEC_CONFLICT', 'The discriminator takes labels and the generator only a code: something must label the real images.', {
      pointer: '/objective/options',
      hint: `Set the objective's options.clusters to ${codes} (pixel clusters), or add a model "q" (InfoGAN) whose guess labels them.`,
    });
  }
}
