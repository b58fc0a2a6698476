/**
 * The training program both WGAN objectives share: `nCritic` critic updates per generator update, each on
 * a fresh real batch and fresh noise, then one generator update through the critic. What differs, how the
 * critic is kept Lipschitz, comes in as `lipschitz`: a penalty added to the critic's loss, or a step after
 * its update (weight clipping).
 *
 * Self-conditioned (option clusters K, Liu et al. 2020): the generator carries a code of K values in its noise,
 * the critic takes a label (projection), and it scores each real image with its nearest of K pixel clusters
 * (online k-means, kept in checkpoints) and each fake with its code. No data label is read. In the critic phase
 * the fakes get the codes of the real batch's clusters, as a conditional WGAN-GP gives its fakes the real
 * labels: the Lipschitz constraint bounds the critic in the image, not in the label, so with different label
 * mixes on the two sides it could raise, without bound, the score of labels reals carry more often. Real and fake of
 * one interpolate then share their label, which scores it. The generator phase draws plain noise (uniform
 * codes), as sampling does later, so every code learns alike however large its cluster.
 */
import { GanforgeError, type AdversarialLoss, type LayersModel, type ObjectiveContext, type ObjectiveProgram, type Scalar, type Tensor, type Tensor1D, type Tensor4D } from '@ganforge/core';
import { checkClusterConditioning, codesOf, gradientPenalty, interpolate, noiseWithCodes, PixelClusters, type PenaltyKind } from '@ganforge/plugin-stability';

export interface LipschitzControl {
  /** Gradient penalty: kind, weight λ and target norm. */
  penalty?: { kind: PenaltyKind; weight: number; target: number };
  /** Runs after every critic update (weight clipping). */
  afterCriticUpdate?(critic: LayersModel): void;
}

/** The options both WGAN objectives take alike. */
export interface CriticTrainingOptions {
  nCritic: number;
  /** Pixel clusters that label the reals for a self-conditioned critic; 0: unconditional. */
  clusters: number;
}

export function criticTraining(ctx: ObjectiveContext<unknown>, { nCritic, clusters: k }: CriticTrainingOptions, lipschitz: LipschitzControl): ObjectiveProgram {
  const { tf, models, losses } = ctx;
  const G = models.generator!;
  const D = models.critic!;
  const adversarial = losses.adversarial!;
  checkUnconditionalGenerator(G);
  const clusters = checkClusterConditioning(G, D, 'critic', k ?? 0) ? new PixelClusters(tf, k) : undefined;
  // The core has checked the role's loss is of the kind the objectives declare (wganLosses).
  const loss = adversarial.fn as AdversarialLoss;
  const weighted = (value: Scalar): Scalar => (adversarial.weight === 1 ? value : tf.mul(value, adversarial.weight));
  const latentDim = noiseSize(G);
  const score = (images: Tensor4D, labels: Tensor1D | undefined): Tensor => D.apply(labels ? [images, labels] : images, { training: true }) as Tensor;
  /** Critic-phase fakes, carrying the real batch's cluster labels as codes when self-conditioned. */
  const generate = (n: number, random: { normal(shape: number[]): Tensor }, codes: Tensor1D | undefined): Tensor4D => {
    const noise = random.normal([n, latentDim]);
    return G.apply(codes ? noiseWithCodes(tf, noise, codes, k) : noise, { training: true }) as Tensor4D;
  };
  // The generator phase uses the batch size of the latest critic phase (the spec's batchSize).
  let batchSize = 0;

  return {
    phases: [
      {
        name: 'critic',
        optimizer: 'critic',
        repeat: nCritic,
        loss(step) {
          const pixels = step.batch('real').x;
          const labels = clusters?.assignAndLearn(pixels, (t) => step.keep(t));
          const real = step.augment(pixels);
          batchSize = real.shape[0];
          // Only the critic's variables get gradients in this phase, so the fakes need no stop-gradient.
          const fake = step.augment(generate(batchSize, step.random, labels));
          const realScores = score(real, labels);
          const fakeScores = score(fake, labels);
          const realMean = tf.mean(realScores) as Scalar;
          const fakeMean = tf.mean(fakeScores) as Scalar;
          // real - fake mean score: the critic's estimate of the Wasserstein distance (up to its Lipschitz constant).
          const parts: Record<string, Scalar> = { real_score: realMean, fake_score: fakeMean, wasserstein: tf.sub(realMean, fakeMean) };
          let total = weighted(loss.discriminator(realScores, fakeScores));
          const penalty = lipschitz.penalty;
          if (penalty) {
            const at = penalty.kind === 'r1' ? real : interpolate(tf, real, fake, step.random.uniform([batchSize, 1, 1, 1]));
            const { value, meanNorm } = gradientPenalty(tf, penalty.kind, (x) => score(x, labels), at, penalty.target);
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
          const noise = step.random.normal([batchSize, latentDim]);
          const fake = step.augment(G.apply(noise, { training: true }) as Tensor4D);
          return weighted(loss.generator(score(fake, clusters ? codesOf(tf, noise, k) : undefined)));
        },
      },
    ],
    ...(clusters ? { state: clusters.state(), dispose: () => clusters.dispose() } : {}),
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

function checkUnconditionalGenerator(G: LayersModel): void {
  if (G.inputs.length > 1) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `The WGAN objectives train an unconditional generator, but "${G.name}" takes ${G.inputs.length} inputs (labels?).`, {
      pointer: '/models/generator/options',
      hint: 'Make the generator unconditional (options.conditional "none" on dcgan/generator), or use dcgan/dcgan for a conditional GAN. For a critic conditioned on clusters, give the generator options.codes instead.',
    });
  }
}
