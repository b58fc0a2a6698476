/**
 * The GANomaly objective (Akçay, Atapour-Abarghouei & Breckon 2018): a generator that is an
 * encoder–decoder–encoder (x → z = G_E(x) → x̂ = G_D(z) → ẑ = E(x̂)) trained on normal images only, and a
 * discriminator. Each step:
 * 1. `generator` (encoder, decoder, reencoder): adversarial = |f(x) − f(x̂)|² on the discriminator's
 *    features (feature matching), contextual = |x − x̂|₁, encoder = |z − ẑ|²; weights 1 / 50 / 1.
 * 2. `discriminator`: real x vs the x̂ of phase 1 (made before the generator's update), binary cross-entropy.
 * At test time the anomaly score is |z − ẑ|² (the anomaly/score head): images unlike the training data
 * reconstruct badly, and their re-encoding drifts.
 * The paper also re-initialises the discriminator when its loss falls below 1e-5; not done here (it never
 * collapsed that far in our MNIST runs; a phase may not replace weights).
 */
import { defineObjective, GanforgeError, type AdversarialLoss, type LayersModel, type PairwiseLoss, type ResolvedLoss, type Scalar, type Tensor, type Tensor4D } from '@ganforge/core';

const ADAM = { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } as const;

export const ganomalyObjective = defineObjective({
  description: 'GANomaly: encoder–decoder–encoder generator and a feature-matching discriminator, trained on normal images; anomaly score = latent distance.',
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  models: {
    encoder: { description: 'G_E: image → z, e.g. anomaly/encoder.' },
    decoder: { description: 'G_D: z → reconstructed image, e.g. anomaly/decoder (latentDim as the encoder).' },
    reencoder: { description: 'E: reconstructed image → ẑ, e.g. anomaly/encoder (same options as encoder).' },
    discriminator: { description: 'Image → [logit, features], e.g. anomaly/discriminator.' },
  },
  data: {
    normal: { description: 'Normal images only (the model learns them; anything unlike them scores high).', labels: 'optional' },
  },
  optimizers: {
    generator: { models: ['encoder', 'decoder', 'reencoder'], defaults: ADAM },
    discriminator: { models: ['discriminator'], defaults: ADAM },
  },
  losses: {
    adversarial: { kind: 'pairwise', description: "Feature matching: the discriminator's features of x vs of x̂ (the paper: L2, weight 1).", default: { use: 'core/mse', weight: 1 } },
    contextual: { kind: 'pairwise', description: 'Reconstruction: x vs x̂ (the paper: L1, weight 50).', default: { use: 'core/l1', weight: 50 } },
    encoder: { kind: 'pairwise', description: 'Latent: z vs ẑ (the paper: L2, weight 1).', default: { use: 'core/mse', weight: 1 } },
    discriminator: { kind: 'adversarial', description: "The discriminator's loss on real x vs reconstructed x̂ (the paper: binary cross-entropy).", default: { use: 'core/non-saturating' } },
  },
  artifacts: {
    reconstruct: { description: 'Reconstructs images (encoder → decoder): normal images come back, anomalies less so.', models: ['encoder', 'decoder'], input: 'image', output: 'image', from: 'normal' },
  },
  augmentPoints: { discriminator: 'Real and reconstructed images on their way into the discriminator (its phase only).' },
  setup({ tf, models, losses, data }) {
    const { encoder, decoder, reencoder, discriminator } = checkModels(models, data.normal!.shape);
    const fit = (loss: ResolvedLoss) => loss.fn as PairwiseLoss;
    const weighted = (loss: ResolvedLoss, value: Scalar): Scalar => (loss.weight === 1 ? value : tf.mul(value, loss.weight));
    const judge = (x: Tensor4D) => discriminator.apply(x, { training: true }) as [Tensor, Tensor];
    const bce = losses.discriminator!.fn as AdversarialLoss;
    let pending: { real: Tensor4D; fake: Tensor4D } | undefined;
    const release = () => {
      if (pending) tf.dispose([pending.real, pending.fake]);
      pending = undefined;
    };
    const reconstruct = (x: Tensor4D, training: boolean) => decoder.apply(encoder.apply(x, { training }), { training }) as Tensor4D;

    return {
      phases: [
        {
          name: 'generator',
          optimizer: 'generator',
          loss(step) {
            const x = step.batch('normal').x;
            const z = encoder.apply(x, { training: true }) as Tensor;
            const fake = decoder.apply(z, { training: true }) as Tensor4D;
            const zHat = reencoder.apply(fake, { training: true }) as Tensor;
            const adversarial = weighted(losses.adversarial!, fit(losses.adversarial!)(judge(fake)[1], judge(x)[1]));
            const contextual = weighted(losses.contextual!, fit(losses.contextual!)(fake, x));
            const latent = weighted(losses.encoder!, fit(losses.encoder!)(zHat, z));
            release();
            pending = { real: step.keep(x), fake: step.keep(fake) };
            return { total: tf.addN([adversarial, contextual, latent]) as Scalar, parts: { adversarial, contextual, encoder: latent } };
          },
        },
        {
          name: 'discriminator',
          optimizer: 'discriminator',
          loss(step) {
            const inputs = pending ?? (() => {
              const real = step.batch('normal').x;
              return { real, fake: reconstruct(real, false) };
            })();
            const real = judge(step.augment(inputs.real, 'discriminator'))[0];
            const fake = judge(step.augment(inputs.fake, 'discriminator'))[0];
            return weighted(losses.discriminator!, bce.discriminator(real, fake));
          },
          afterUpdate() {
            release();
          },
        },
      ],
      // Evaluation (image metrics) compares reconstructions of held-out normal images with held-out normal images.
      evaluates: 'normal',
      sample({ n, purpose, images }) {
        if (purpose === 'evaluation') {
          const input = images('normal', n);
          return { images: reconstruct(input.x, false), ...(input.label ? { labels: input.label } : {}) };
        }
        // Grid rows: held-out image | reconstruction, for the normal stream and every other stream of the same shape (e.g. anomalies).
        const streams = Object.keys(data).filter((s) => s === 'normal' || sameShape(data[s]!.shape, data.normal!.shape));
        const rows = Math.max(1, Math.floor(n / (2 * streams.length)));
        const columns = streams.flatMap((s) => {
          const x = images(s, rows).x;
          return [x, reconstruct(x, false)];
        });
        const [, h, w, c] = columns[0]!.shape;
        return { images: tf.reshape(tf.stack(columns, 1), [rows * columns.length, h, w, c]) as Tensor4D, columns: columns.length };
      },
      dispose: release,
    };
  },
});

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The four models must chain: encoder and reencoder take images of the normal stream, decoder gives them, z sizes agree. */
function checkModels(models: Record<string, LayersModel>, shape: [number, number, number]) {
  const { encoder, decoder, reencoder, discriminator } = models as Record<'encoder' | 'decoder' | 'reencoder' | 'discriminator', LayersModel>;
  const fail = (model: string, what: string, hint: string) => {
    throw new GanforgeError('GF_SPEC_CONFLICT', `GANomaly model "${model}" ${what}.`, { pointer: `/models/${model}`, hint });
  };
  const dims = (s: readonly (number | null)[] | undefined) => JSON.stringify(s?.slice(1));
  const image = JSON.stringify(shape);
  for (const name of ['encoder', 'reencoder', 'discriminator'] as const) {
    if (dims(models[name]!.inputs[0]?.shape) !== image) fail(name, `takes ${dims(models[name]!.inputs[0]?.shape)}, but stream "normal" gives ${image}`, 'Build it with anomaly/encoder or anomaly/discriminator.');
  }
  if (dims(decoder.outputs[0]?.shape) !== image) fail('decoder', `gives ${dims(decoder.outputs[0]?.shape)}, but stream "normal" is ${image}`, 'Build it with anomaly/decoder.');
  const z = encoder.outputs[0]?.shape.at(-1);
  if (decoder.inputs[0]?.shape.at(-1) !== z || reencoder.outputs[0]?.shape.at(-1) !== z) {
    fail('decoder', `takes z of size ${decoder.inputs[0]?.shape.at(-1)} and the reencoder gives ${reencoder.outputs[0]?.shape.at(-1)}, but the encoder gives ${z}`, 'Give encoder, decoder and reencoder the same latentDim.');
  }
  if (discriminator.outputs.length !== 2) fail('discriminator', `gives ${discriminator.outputs.length} output(s), but must give [logit, features]`, 'Use anomaly/discriminator.');
  return { encoder, decoder, reencoder, discriminator };
}

