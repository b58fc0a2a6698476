/**
 * Conformance: after a few hundred WGAN-GP steps on MNIST (averaged down to 7x7, MLPs, so it takes seconds
 * on cpu), the critic's mean gradient norm on random interpolates sits near 1, the norm the two-sided
 * penalty pulls toward. The critic starts far from it (kernels N(0, 0.5): norm ≈ 8.5), and without the
 * penalty (GF_WGAN_GP_LAMBDA=0) the same run ends near 130, so this test fails when the penalty does not work.
 * lr 1e-3 instead of the paper's 1e-4 lets 200 steps (1,000 critic updates) move the weights that far.
 */
import { beforeAll, expect, it } from 'vitest';
import { useBackend } from '@ganforge/core/testing';
import { tinySpec, trainTiny } from './testing/train-tiny.js';

const STEPS = Number(process.env.GF_WGAN_GP_STEPS ?? 200);
const LAMBDA = Number(process.env.GF_WGAN_GP_LAMBDA ?? 10);
const LR = Number(process.env.GF_WGAN_GP_LR ?? 1e-3);

beforeAll(() => useBackend());

it(`WGAN-GP: after ${STEPS} steps the critic's mean gradient norm on interpolates is within [0.7, 1.3]`, async () => {
  const { steps } = await trainTiny(
    tinySpec({ objective: { use: 'wgan/wgan-gp', options: { nCritic: 5, lambda: LAMBDA } }, steps: STEPS, batchSize: 32, mlp: true, lr: LR }),
  );
  // Averaged over the last 20 steps (each already a mean over its 5 critic updates), as logged by the engine.
  const last = steps.slice(-20).map((s) => s.losses['critic/grad_norm']!);
  const meanNorm = last.reduce((a, b) => a + b, 0) / last.length;
  if (process.env.GF_WGAN_GP_TRACE) console.log(steps.filter((s) => s.step % 20 === 0).map((s) => `${s.step}: ${s.losses['critic/grad_norm']!.toFixed(2)}`).join(', '));
  console.log(`mean gradient norm on interpolates over steps ${STEPS - 19}-${STEPS}: ${meanNorm.toFixed(3)} (first step: ${steps[0]!.losses['critic/grad_norm']!.toFixed(3)})`);
  expect(meanNorm).toBeGreaterThanOrEqual(0.7);
  expect(meanNorm).toBeLessThanOrEqual(1.3);
  // 1,000 critic updates with double backprop: 32 s alone on 2 busy cores; 60 s timed out with other test files beside it.
}, 180_000);
