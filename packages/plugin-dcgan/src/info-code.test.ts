/**
 * InfoGAN's categorical code: the generator reads it from its noise (one-hot of the argmax of the first K
 * values, kept through save/load), the objective's optional model "q" is checked against it, and the
 * mutual-information term trains generator and q together (it falls when both learn, on cpu, seeded).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataInfo, LayersModel, ObjectiveProgram, PhaseLoss, Scalar, StepContext, Tensor, Tensor4D, Variable } from '@ganforge/core';
import { buildModel, corePlugin, silentLog, tf, useBackend } from '@ganforge/core/testing';
import { codeSize } from '@ganforge/plugin-stability';
import { discriminator } from './discriminator.js';
import { generator } from './generator.js';
import { dcganObjective } from './objective.js';
import { seededRandom } from './testing/seeded-random.js';

beforeAll(() => useBackend());

const data: DataInfo = { size: 8, shape: [8, 8, 1] };
const G = (options: Record<string, unknown> = {}) => buildModel(generator, { options: { width: 4, latentDim: 8, codes: 3, ...options }, data: { real: data }, name: 'generator' });
const Q = (outputs = 3) => buildModel(discriminator, { options: { width: 4, outputs }, data: { real: data }, name: 'q' });
const D = () => buildModel(discriminator, { options: { width: 4 }, data: { real: data }, name: 'discriminator' });

const random = seededRandom;

async function setup(models: Record<string, LayersModel>, info = 1): Promise<ObjectiveProgram> {
  const fn = corePlugin.losses!['non-saturating']!.build({ tf, options: { labelSmoothing: 0 } } as never) as never;
  return dcganObjective.setup({
    tf,
    options: { info } as never,
    models,
    // Adversarial weight 0: only the information term moves the generator, so what it does is visible.
    losses: { adversarial: { kind: 'adversarial', use: 'core/non-saturating', weight: 0, fn } },
    data: { real: data },
    log: silentLog,
  });
}

describe('dcgan/generator options.codes', () => {
  it('feeds one-hot(argmax of the first K noise values) to the net, and the code survives save/load', async () => {
    const g = G();
    expect(codeSize(g)).toBe(3);
    expect(g.inputs).toHaveLength(1); // still a plain noise → image model
    const noise = tf.randomNormal([6, 8], 0, 1, 'float32', 5);
    const code = tf.model({ inputs: g.inputs, outputs: g.getLayer('generator_code').output as never });
    const oneHot = code.predict(noise) as Tensor;
    const expected = tf.oneHot(tf.argMax(tf.slice(noise, [0, 0], [-1, 3]), 1), 3);
    expect(tf.max(tf.abs(tf.sub(oneHot, expected))).dataSync()[0]).toBeLessThan(1e-3);
    // Frozen: the code layer has no trainable weight.
    expect(g.getLayer('generator_code').trainableWeights).toHaveLength(0);

    let artifacts: unknown;
    await g.save(tf.io.withSaveHandler(async (a: unknown) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as never));
    const a = g.predict(noise) as Tensor;
    const b = reloaded.predict(noise) as Tensor;
    expect([...b.dataSync()]).toEqual([...a.dataSync()]);
    tf.dispose([noise, oneHot, expected, a, b]);
    g.dispose();
    reloaded.dispose();
  });

  it('rejects more code values than noise values, and a projection discriminator with several outputs', () => {
    expect(() => G({ codes: 9 })).toThrow(expect.objectContaining({ code: 'GF_SPEC_CONFLICT', message: expect.stringMatching(/latentDim is 8/) }));
    const labelled = { ...data, numClasses: 3 };
    expect(() => buildModel(discriminator, { options: { width: 4, outputs: 3, conditional: 'projection' }, data: { real: labelled } })).toThrow(
      expect.objectContaining({ code: 'GF_SPEC_CONFLICT', message: expect.stringMatching(/3 outputs/) }),
    );
  });
});

describe('dcgan/dcgan with a model "q" (InfoGAN)', () => {
  it('declares q as an optional model that the generator group trains', () => {
    expect(dcganObjective.models.q).toMatchObject({ optional: true });
    expect(dcganObjective.optimizers.generator!.models).toEqual(['generator', 'q']);
  });

  it.each([
    ['a generator without a code', () => ({ generator: G({ codes: 0 }), discriminator: D(), q: Q() }), /draws no categorical code/],
    ['a q with another number of outputs', () => ({ generator: G(), discriminator: D(), q: Q(4) }), /3 logits/],
  ])('rejects %s with GF_SPEC_CONFLICT', async (_, make, message) => {
    await expect(setup(make())).rejects.toMatchObject({ code: 'GF_SPEC_CONFLICT', message: expect.stringMatching(message) });
  });

  it('the information term trains generator and q together: it falls from ln K', async () => {
    const models = { generator: G(), discriminator: D(), q: Q() };
    const program = await setup(models);
    const vars = [...models.generator.trainableWeights, ...models.q.trainableWeights].map((w) => w.read() as Variable);
    const optimizer = tf.train.adam(5e-3, 0.5);
    const infoAt: number[] = [];
    for (let step = 0; step < 40; step++) {
      const context: StepContext = {
        tf, step, repeat: 0, random: random(step * 7 + 1),
        batch: () => ({ x: tf.randomUniform([16, 8, 8, 1], -1, 1) as Tensor4D }),
        augment: (x) => x, keep: (t) => tf.keep(t), report: () => {},
      };
      tf.tidy(() => {
        program.phases[0]!.loss(context); // sets the batch size the generator phase uses
        const { grads } = tf.variableGrads(() => {
          const out = program.phases[1]!.loss(context) as Exclude<PhaseLoss, Scalar>;
          infoAt.push(out.parts!.info!.dataSync()[0]!);
          return out.total;
        }, vars);
        optimizer.applyGradients(grads);
      });
    }
    expect(infoAt[0]).toBeGreaterThan(0.9); // ≈ ln 3 = 1.10 for an untrained q
    expect(Math.min(...infoAt.slice(-5))).toBeLessThan(0.4 * infoAt[0]!);
    optimizer.dispose();
    program.dispose?.();
    Object.values(models).forEach((m) => m.dispose());
  });

  it('without q, the generator phase has no information term', async () => {
    const models = { generator: G(), discriminator: D() };
    const program = await setup(models);
    const context = { tf, step: 0, repeat: 0, random: random(1), batch: () => ({ x: tf.zeros([4, 8, 8, 1]) as Tensor4D }), augment: (x: Tensor4D) => x, keep: <T,>(t: T) => t, report: () => {} } as unknown as StepContext;
    const out = tf.tidy(() => {
      program.phases[0]!.loss(context);
      const g = program.phases[1]!.loss(context);
      return 'total' in g ? Object.keys(g.parts ?? {}) : [];
    });
    expect(out).toEqual([]);
    Object.values(models).forEach((m) => m.dispose());
  });

  it('self-conditioned: D judges reals with q\'s guess and fakes with their code, and reads no data labels', async () => {
    const conditionalD = buildModel(discriminator, { options: { width: 4, conditional: 'projection', classes: 3 }, data: { real: data }, name: 'discriminator' });
    const models = { generator: G(), discriminator: conditionalD, q: Q() };
    const program = await setup(models);
    const x = tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 3) as Tensor4D;
    const context = { tf, step: 0, repeat: 0, random: random(11), batch: () => ({ x }), augment: (t: Tensor4D) => t, keep: (t: Tensor) => tf.keep(t), report: () => {} } as unknown as StepContext;
    const [realLogit, fakeLogit] = tf.tidy(() => {
      const out = program.phases[0]!.loss(context) as Exclude<PhaseLoss, Scalar>;
      return [out.parts!.real_logit!.dataSync()[0]!, out.parts!.fake_logit!.dataSync()[0]!];
    });
    const [byGuess, byZero, byCode] = tf.tidy(() => {
      const guess = tf.argMax(models.q.predict(x) as Tensor, 1);
      const noise = random(11).normal([4, 8]);
      const code = tf.argMax(tf.slice(noise, [0, 0], [-1, 3]), 1);
      const fake = models.generator.apply(noise, { training: true }) as Tensor;
      const mean = (images: Tensor, labels: Tensor) => tf.mean(conditionalD.apply([images, labels], { training: true }) as Tensor).dataSync()[0]!;
      return [mean(x, guess), mean(x, tf.zeros([4], 'int32')), mean(fake, code)];
    });
    expect(realLogit).toBeCloseTo(byGuess, 5);
    expect(Math.abs(byGuess - byZero)).toBeGreaterThan(1e-4); // the label reaches the logit
    expect(fakeLogit).toBeCloseTo(byCode, 5);
    tf.dispose(x);
    Object.values(models).forEach((m) => m.dispose());
  });

  it('self-conditioned: the discriminator\'s label values must match the code', async () => {
    const conditionalD = buildModel(discriminator, { options: { width: 4, conditional: 'projection', classes: 5 }, data: { real: data }, name: 'discriminator' });
    await expect(setup({ generator: G(), discriminator: conditionalD, q: Q() })).rejects.toMatchObject({ code: 'GF_SPEC_CONFLICT', message: expect.stringMatching(/labels of 5 values.*code has 3/) });
  });
});
