/**
 * The CycleGAN objective (Zhu et al. 2017): two translators gAB: A → B and gBA: B → A, and two
 * discriminators dA (real A vs gBA(b)) and dB (real B vs gAB(a)). Each step:
 * 1. `generators` (one optimizer group over gAB and gBA): adversarial terms through both discriminators,
 *    cycle consistency |gBA(gAB(a)) - a| + |gAB(gBA(b)) - b| (weight λ = 10) and identity
 *    |gAB(b) - b| + |gBA(a) - a| (weight 0.5λ = 5; 0 skips its forward passes);
 * 2. `discriminators` (one group over dA and dB): real images of this step vs fakes of the generators phase
 *    (made before the generators' update, as in the paper's code) drawn through a history pool of 50.
 * Both phases use the same real batch of each stream: one batch per stream per step.
 */
import { defineObjective, GanforgeError, type AdversarialLoss, type LayersModel, type PairwiseLoss, type ResolvedLoss, type Scalar, type Tensor, type Tensor4D, type TF } from '@ganforge/core';
import { ImagePool } from './pool.js';

const ADAM = { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } as const;

/** What the generators phase hands to the discriminators phase (kept past its tidy). */
interface Pending {
  realA: Tensor4D;
  realB: Tensor4D;
  fakeA: Tensor4D;
  fakeB: Tensor4D;
}

export const cycleganObjective = defineObjective({
  description: 'CycleGAN: unpaired translation A ↔ B with two generators, two discriminators, cycle and identity losses and a fake history pool.',
  optionsSchema: {
    type: 'object',
    properties: {
      poolSize: { type: 'integer', minimum: 0, maximum: 10_000, default: 50, description: 'Generated images kept per domain for the discriminators (0: none, D sees the latest fakes).' },
      evaluate: {
        enum: ['b', 'a'],
        default: 'b',
        description: 'Domain whose translations evaluation scores: "b" = gAB(a) of held-out a, compared with held-out b; "a" = gBA(b) of held-out b, compared with held-out a. Both streams need a validationSplit.',
      },
    },
    additionalProperties: false,
  },
  models: {
    gAB: { description: 'Translates images of stream a into stream b, e.g. cyclegan/resnet-generator (from "a", to "b").' },
    gBA: { description: 'Translates images of stream b into stream a, e.g. cyclegan/resnet-generator with options { "from": "b", "to": "a" }.' },
    dA: { description: 'Judges images of stream a (real vs gBA\'s), e.g. cyclegan/patchgan (stream "a").' },
    dB: { description: 'Judges images of stream b (real vs gAB\'s), e.g. cyclegan/patchgan with options { "stream": "b" }.' },
  },
  data: {
    a: { description: 'Images of domain A (unpaired with b).', labels: 'optional' },
    b: { description: 'Images of domain B (unpaired with a).', labels: 'optional' },
  },
  optimizers: {
    generators: { models: ['gAB', 'gBA'], defaults: ADAM },
    discriminators: { models: ['dA', 'dB'], defaults: ADAM },
  },
  losses: {
    adversarial: { kind: 'adversarial', description: 'GAN loss on the PatchGAN scores (the paper: least squares).', default: { use: 'cyclegan/lsgan' } },
    cycle: { kind: 'pairwise', description: 'Cycle consistency: a vs gBA(gAB(a)) and b vs gAB(gBA(b)); weight λ.', default: { use: 'core/l1', weight: 10 } },
    identity: { kind: 'pairwise', description: 'Identity: gAB(b) vs b and gBA(a) vs a; weight 0.5λ (0 disables it).', default: { use: 'core/l1', weight: 5 } },
  },
  artifacts: {
    'translate-ab': { description: 'Translates images of stream a into stream b (gAB).', models: ['gAB'], aliases: ['AB'], input: 'image', output: 'image', from: 'a', to: 'b' },
    'translate-ba': { description: 'Translates images of stream b into stream a (gBA).', models: ['gBA'], aliases: ['BA'], input: 'image', output: 'image', from: 'b', to: 'a' },
    'reconstruct-a': { description: 'Round trip a → b → a (gBA(gAB(x))): how well cycle consistency holds.', models: ['gAB', 'gBA'], input: 'image', output: 'image', from: 'a' },
    'reconstruct-b': { description: 'Round trip b → a → b (gAB(gBA(x))).', models: ['gBA', 'gAB'], input: 'image', output: 'image', from: 'b' },
  },
  augmentPoints: { discriminator: 'Real, generated and pooled images on their way into dA and dB (both phases): DiffAugment-style.' },
  setup({ tf, options, models, losses, data }) {
    const gAB = models.gAB!;
    const gBA = models.gBA!;
    const dA = models.dA!;
    const dB = models.dB!;
    const adversarial = losses.adversarial!;
    const cycle = losses.cycle!;
    const identity = losses.identity!;
    const adv = adversarial.fn as AdversarialLoss;
    const cycleFn = cycle.fn as PairwiseLoss;
    const identityFn = identity.fn as PairwiseLoss;
    checkModels({ gAB, gBA, dA, dB }, data.a!.shape, data.b!.shape, identity);

    const weighted = (loss: ResolvedLoss, value: Scalar): Scalar => (loss.weight === 1 ? value : tf.mul(value, loss.weight));
    const translate = (g: LayersModel, x: Tensor4D, training = true) => g.apply(x, { training }) as Tensor4D;
    const judge = (d: LayersModel, x: Tensor4D) => d.apply(x, { training: true }) as Tensor;

    const pools = { a: new ImagePool(tf, options.poolSize), b: new ImagePool(tf, options.poolSize) };
    let pending: Pending | undefined;
    const release = () => {
      if (pending) tf.dispose([pending.realA, pending.realB, pending.fakeA, pending.fakeB]);
      pending = undefined;
    };

    return {
      // Evaluation compares the translations with the held-out images of the domain they go into.
      evaluates: options.evaluate === 'a' ? 'a' : 'b',
      phases: [
        {
          name: 'generators',
          optimizer: 'generators',
          loss(step) {
            const realA = step.batch('a').x;
            const realB = step.batch('b').x;
            const fakeB = translate(gAB, realA);
            const fakeA = translate(gBA, realB);
            const adversarialTerm = weighted(adversarial, tf.add(adv.generator(judge(dB, step.augment(fakeB, 'discriminator'))), adv.generator(judge(dA, step.augment(fakeA, 'discriminator')))));
            const cycleTerm = weighted(cycle, tf.add(cycleFn(translate(gBA, fakeB), realA), cycleFn(translate(gAB, fakeA), realB)));
            const parts: Record<string, Scalar> = { adversarial: adversarialTerm, cycle: cycleTerm };
            let total = tf.add(adversarialTerm, cycleTerm) as Scalar;
            if (identity.weight > 0) {
              const identityTerm = weighted(identity, tf.add(identityFn(translate(gAB, realB), realB), identityFn(translate(gBA, realA), realA)));
              parts.identity = identityTerm;
              total = tf.add(total, identityTerm);
            }
            // The discriminators phase judges these fakes (made before this phase's update) against these reals.
            release();
            pending = { realA: step.keep(realA), realB: step.keep(realB), fakeA: step.keep(fakeA), fakeB: step.keep(fakeB) };
            return { total, parts };
          },
        },
        {
          name: 'discriminators',
          optimizer: 'discriminators',
          loss(step) {
            let inputs = pending;
            if (!inputs) {
              // Only when this phase runs without the generators phase before it (never in a normal step).
              const realA = step.batch('a').x;
              const realB = step.batch('b').x;
              inputs = { realA, realB, fakeA: translate(gBA, realB, false), fakeB: translate(gAB, realA, false) };
            }
            const fakeA = pools.a.query(inputs.fakeA, step.random, step.keep);
            const fakeB = pools.b.query(inputs.fakeB, step.random, step.keep);
            const lossA = weighted(adversarial, adv.discriminator(judge(dA, step.augment(inputs.realA, 'discriminator')), judge(dA, step.augment(fakeA, 'discriminator'))));
            const lossB = weighted(adversarial, adv.discriminator(judge(dB, step.augment(inputs.realB, 'discriminator')), judge(dB, step.augment(fakeB, 'discriminator'))));
            return { total: tf.add(lossA, lossB) as Scalar, parts: { dA: lossA, dB: lossB } };
          },
          afterUpdate() {
            release();
          },
        },
      ],
      sample({ n, purpose, images }) {
        if (purpose === 'evaluation') {
          // n translations into the domain evaluation scores, with the classes of their inputs.
          const [g, stream] = options.evaluate === 'a' ? [gBA, 'b'] : [gAB, 'a'];
          const input = images(stream, n);
          return { images: translate(g, input.x, false), ...(input.label ? { labels: input.label } : {}) };
        }
        // Grid rows: a | gAB(a) | gBA(gAB(a)) | b | gBA(b) | gAB(gBA(b)), on the same fixed images every time.
        const rows = Math.max(1, Math.floor(n / 6));
        const a = images('a', rows).x;
        const b = images('b', rows).x;
        const ab = translate(gAB, a, false);
        const ba = translate(gBA, b, false);
        const channels = Math.max(a.shape[3], b.shape[3]);
        const columns = [a, ab, translate(gBA, ab, false), b, ba, translate(gAB, ba, false)].map((x) => withChannels(tf, x, channels));
        // [rows, 6, H, W, C] → row-major images.
        const [, h, w] = a.shape;
        const grid = tf.reshape(tf.stack(columns, 1), [rows * 6, h, w, channels]) as Tensor4D;
        return { images: grid, columns: 6 };
      },
      state: {
        save() {
          return { tensors: { ...pools.a.save('a'), ...pools.b.save('b') }, json: { a: pools.a.images.length, b: pools.b.images.length } };
        },
        load({ tensors, json }) {
          const counts = (json ?? {}) as { a?: number; b?: number };
          pools.a.load('a', tensors, counts.a ?? 0);
          pools.b.load('b', tensors, counts.b ?? 0);
        },
      },
      dispose() {
        release();
        pools.a.dispose();
        pools.b.dispose();
      },
    };
  },
});

type Shape = [number, number, number];

/** Images with `channels` channels for a grid mixing domains: grey repeated, extra channels dropped or zero-filled. */
function withChannels(tf: TF, x: Tensor4D, channels: number): Tensor4D {
  const c = x.shape[3];
  if (c === channels) return x;
  if (c === 1) return tf.tile(x, [1, 1, 1, channels]);
  if (c > channels) return tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, channels]);
  return tf.concat([x, tf.zeros([...x.shape.slice(0, 3), channels - c])], 3) as Tensor4D;
}

/** The four models must fit the streams: translators map a's shape to b's and back, each D judges its stream. */
function checkModels(m: Record<'gAB' | 'gBA' | 'dA' | 'dB', LayersModel>, a: Shape, b: Shape, identity: ResolvedLoss): void {
  const fits = (shape: readonly (number | null)[] | undefined, want: Shape) => shape?.length === 4 && want.every((v, i) => shape[i + 1] === v);
  const show = (shape: readonly (number | null)[] | undefined) => JSON.stringify(shape?.slice(1));
  const expect = (ok: boolean, model: string, what: string, hint: string) => {
    if (!ok) throw new GanforgeError('GF_SPEC_CONFLICT', `CycleGAN model "${model}" ${what}.`, { pointer: `/models/${model}`, hint });
  };
  const inShape = (model: LayersModel) => model.inputs[0]?.shape;
  const outShape = (model: LayersModel) => model.outputs[0]?.shape;
  for (const [name, model] of Object.entries(m)) {
    expect(model.inputs.length === 1 && model.outputs.length === 1, name, `must take one image and give one tensor, but has ${model.inputs.length} inputs and ${model.outputs.length} outputs`, 'Use cyclegan/resnet-generator and cyclegan/patchgan.');
  }
  expect(fits(inShape(m.gAB), a) && fits(outShape(m.gAB), b), 'gAB', `maps ${show(inShape(m.gAB))} to ${show(outShape(m.gAB))}, but must map stream a's ${JSON.stringify(a)} to stream b's ${JSON.stringify(b)}`, 'Set its options.from to "a" and options.to to "b".');
  expect(fits(inShape(m.gBA), b) && fits(outShape(m.gBA), a), 'gBA', `maps ${show(inShape(m.gBA))} to ${show(outShape(m.gBA))}, but must map stream b's ${JSON.stringify(b)} to stream a's ${JSON.stringify(a)}`, 'Set its options.from to "b" and options.to to "a".');
  expect(fits(inShape(m.dA), a), 'dA', `judges ${show(inShape(m.dA))} images, but stream a's are ${JSON.stringify(a)}`, 'Set its options.stream to "a".');
  expect(fits(inShape(m.dB), b), 'dB', `judges ${show(inShape(m.dB))} images, but stream b's are ${JSON.stringify(b)}`, 'Set its options.stream to "b".');
  if (identity.weight > 0 && a[2] !== b[2]) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `The CycleGAN identity loss feeds b's images to gAB and a's to gBA, but the streams have ${a[2]} and ${b[2]} channels.`, {
      pointer: '/losses/identity',
      hint: 'Set losses.identity.weight to 0 when the domains differ in channels.',
    });
  }
}
