/**
 * The training program both WGAN objectives share: `nCritic` critic updates per generator update, each on
 * a fresh real batch and fresh noise, then one generator update through the critic. What differs, how the
 * critic is kept Lipschitz, comes in as `lipschitz`: a penalty added to the critic's loss, or a step after
 * its update (weight clipping).
 */
import { GanforgeError, type AdversarialLoss, type LayersModel, type ObjectiveContext, type ObjectiveProgram, type Scalar, type Tensor, type Tensor4D } from '@ganforge/core';
import { gradientPenalty, interpolate, type PenaltyKind } from '@ganforge/plugin-stability';

export interface LipschitzControl {
  /** Gradient penalty: kind, weight λ and target norm. */
  penalty?: { kind: PenaltyKind; weight: number; target: number };
  /** Runs after every critic update (weight clipping). */
  afterCriticUpdate?(critic: LayersModel): void;
}

export function criticTraining(ctx: ObjectiveContext<unknown>, nCritic: number, lipschitz: LipschitzControl): ObjectiveProgram {
  const { tf, models, losses } = ctx;
  const G = models.generator!;
  const D = models.critic!;
  const adversarial = losses.adversarial!;
  checkUnconditional(G, D);
  // The core has checked the role's loss is of the kind the objectives declare (wganLosses).
  const loss = adversarial.fn as AdversarialLoss;
  const weighted = (value: Scalar): Scalar => (adversarial.weight === 1 ? value : tf.mul(value, adversarial.weight));
  const latentDim = noiseSize(G);
  const score = (images: Tensor4D): Tensor => D.apply(images, { training: true }) as Tensor;
  const generate = (n: number, random: { normal(shape: number[]): Tensor }): Tensor4D =>
    G.apply(random.normal([n, latentDim]), { training: true }) as Tensor4D;
  // The generator phase uses the batch size of the latest critic phase (the spec's batchSize).
  let batchSize = 0;

  return {
    phases: [
      {
        name: 'critic',
        optimizer: 'critic',
        repeat: nCritic,
        loss(step) {
          const real = step.augment(step.batch('real').x);
          batchSize = real.shape[0];
          // Only the critic's variables get gradients in this phase, so the fakes need no stop-gradient.
          const fake = step.augment(generate(batchSize, step.random));
          const realScores = score(real);
          const fakeScores = score(fake);
          const realMean = tf.mean(realScores) as Scalar;
          const fakeMean = tf.mean(fakeScores) as Scalar;
          // real - fake mean score: the critic's estimate of the Wasserstein distance (up to its Lipschitz constant).
          const parts: Record<string, Scalar> = { real_score: realMean, fake_score: fakeMean, wasserstein: tf.sub(realMean, fakeMean) };
          let total = weighted(loss.discriminator(realScores, fakeScores));
          const penalty = lipschitz.penalty;
          if (penalty) {
            const at = penalty.kind === 'r1' ? real : interpolate(tf, real, fake, step.random.uniform([batchSize, 1, 1, 1]));
            const { value, meanNorm } = gradientPenalty(tf, penalty.kind, score, at, penalty.target);
            total = tf.add(total, tf.mul(value, penalty.weight));
            parts.penalty = value;
            parts.grad_norm = meanNorm;
          }
          return { total, parts };
        },
        afterUpdate: lipschitz.afterCriticUpdate ? () => lipschitz.afterCriticUpdate!(D) : undefined,
      },
      {
        name: 'generator',
        optimizer: 'generator',
        loss(step) {
          return weighted(loss.generator(score(step.augment(generate(batchSize, step.random)))));
        },
      },
    ],
  };
}

function noiseSize(G: LayersModel): number {
  const shape = G.inputs[0]!.shape;
  if (shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new GanforgeError('GF_SPEC_CONFLICT', `The WGAN generator must take a noise vector [batch, n]; "${G.name}" takes ${JSON.stringify(shape)}.`, {
      hint: 'Use dcgan/generator, or an architecture whose only input is a flat noise vector.',
    });
  }
  return shape[1];
}

function checkUnconditional(G: LayersModel, D: LayersModel): void {
  for (const [role, model] of [['generator', G], ['critic', D]] as const) {
    if (model.inputs.length > 1) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `The WGAN objectives are unconditional, but the ${role} "${model.name}" takes ${model.inputs.length} inputs (labels?).`, {
        hint: `Make the ${role} unconditional (e.g. options.conditional "none" on dcgan models), or use dcgan/dcgan for a conditional GAN.`,
      });
    }
  }
}
