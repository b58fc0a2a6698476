import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import type { ResolvedOptimizer } from '../spec/types.js';
import { applyGradients, clipGradients, createOptimizer, type OptimizerGroup } from './optimizers.js';
import * as tf from './tf.js';

const config = (over: Partial<ResolvedOptimizer>): ResolvedOptimizer => ({
  type: 'adam',
  lr: 0.1,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  momentum: 0,
  rho: 0.9,
  centered: false,
  weightDecay: 0,
  schedule: { type: 'constant', warmupSteps: 0, decayStart: 0, minFactor: 0 },
  models: [],
  ...over,
});

function group(over: Partial<ResolvedOptimizer>, values = [3, -2]): OptimizerGroup {
  const c = config(over);
  return { name: 'g', config: c, optimizer: createOptimizer(tf, c), variables: [tf.variable(tf.tensor1d(values))], lr: c.lr };
}

/** Minimise sum(x²) for `steps` steps; returns the final loss. */
function minimise(g: OptimizerGroup, steps = 30): number {
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(g.variables[0]!)), g.variables);
      applyGradients(tf, g, grads);
    });
  }
  return tf.sum(tf.square(g.variables[0]!)).dataSync()[0]!;
}

describe('optimizers', () => {
  it.each([
    ['adam', { type: 'adam' as const }],
    ['rmsprop', { type: 'rmsprop' as const, lr: 0.05 }],
    ['centered rmsprop with momentum', { type: 'rmsprop' as const, lr: 0.02, centered: true, momentum: 0.5 }],
    ['sgd', { type: 'sgd' as const }],
    ['sgd with momentum', { type: 'sgd' as const, lr: 0.05, momentum: 0.9 }],
  ])('%s minimises a quadratic', (_label, over) => {
    expect(minimise(group(over))).toBeLessThan(13 * 0.2);
  });

  it('centered rmsprop stays finite for tiny gradients (tfjs subtracts epsilon inside the square root)', () => {
    expect(Number.isFinite(minimise(group({ type: 'rmsprop', lr: 0.001, centered: true }, [1e-4, -1e-4]), 3))).toBe(true);
  });

  it('clips by value, then by global norm', () => {
    const [a, b] = tf.tidy(() => clipGradients(tf, [tf.tensor1d([3, -4]), tf.tensor1d([0.5])], { clipValue: 2, clipNorm: 1 }).map((t) => tf.keep(t)));
    const norm = Math.hypot(...a!.dataSync(), ...b!.dataSync());
    expect(norm).toBeCloseTo(1, 5);
    expect(Array.from(a!.dataSync()).map((v) => Math.sign(v))).toEqual([1, -1]);
  });

  it('applies decoupled weight decay w ← w − lr·wd·w after the update', () => {
    const g = group({ type: 'sgd', lr: 0.1, weightDecay: 0.5 }, [2]);
    tf.tidy(() => applyGradients(tf, g, { [g.variables[0]!.name]: tf.tensor1d([0]) }));
    expect(g.variables[0]!.dataSync()[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6);
  });
});
