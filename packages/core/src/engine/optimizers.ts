/**
 * One optimizer per group of the spec, bound to the variables of the group's models only (tfjs'
 * `minimize` without a var list would move every trainable variable: the D step would also move G).
 * Gradient clipping and decoupled weight decay are applied here, around tfjs' own update rule.
 */
import type { Optimizer, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TF } from '../plugin/types.js';
import { fromHost, toHost, type HostTensor } from './host-tensor.js';
import type { ResolvedOptimizer } from '../spec/types.js';

export interface OptimizerGroup {
  name: string;
  config: ResolvedOptimizer;
  optimizer: Optimizer;
  variables: Variable[];
  /** The learning rate currently set on the optimizer. */
  lr: number;
}

export function createOptimizer(tf: TF, config: ResolvedOptimizer): Optimizer {
  switch (config.type) {
    case 'adam':
      return tf.train.adam(config.lr, config.beta1, config.beta2, config.epsilon);
    case 'rmsprop':
      // tfjs 4.22's centered RMSprop divides by sqrt(ms − mg² − ε) (NaN once ms − mg² < ε, i.e. for small
      // gradients); the intended denominator is sqrt(ms − mg² + ε), which a negated epsilon gives.
      return tf.train.rmsprop(config.lr, config.rho, config.momentum, config.centered ? -config.epsilon : config.epsilon, config.centered);
    case 'sgd':
      return config.momentum > 0 ? tf.train.momentum(config.lr, config.momentum) : tf.train.sgd(config.lr);
  }
}

/** The trainable variables of some models, in a stable order (model order, then layer weight order). */
export function trainableVariables(models: LayersModel[]): Variable[] {
  return models.flatMap((model) => model.trainableWeights.map((weight) => weight.read() as Variable));
}

export function createGroup(tf: TF, name: string, config: ResolvedOptimizer, models: Record<string, LayersModel>): OptimizerGroup {
  const groupModels = config.models.map((modelName) => {
    const model = models[modelName];
    if (!model) throw new Error(`optimizer group "${name}" names unknown model "${modelName}"`);
    return model;
  });
  return { name, config, optimizer: createOptimizer(tf, config), variables: trainableVariables(groupModels), lr: config.lr };
}

/** tfjs optimizers read `learningRate` on every update; SGD/momentum cache it in a scalar, refreshed by setLearningRate. */
export function setLearningRate(group: OptimizerGroup, lr: number): void {
  if (group.lr === lr) return;
  group.lr = lr;
  const optimizer = group.optimizer as Optimizer & { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof optimizer.setLearningRate === 'function') optimizer.setLearningRate(lr);
  else optimizer.learningRate = lr;
}

/** Clip by value, then by global norm, as the group's config asks. Call inside tf.tidy. */
export function clipGradients(tf: TF, grads: Tensor[], config: Pick<ResolvedOptimizer, 'clipNorm' | 'clipValue'>): Tensor[] {
  let clipped = grads;
  if (config.clipValue !== undefined) {
    const v = config.clipValue;
    clipped = clipped.map((g) => tf.clipByValue(g, -v, v));
  }
  if (config.clipNorm !== undefined) {
    const globalNorm = tf.sqrt(tf.addN(clipped.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.minimum(1, tf.div(config.clipNorm, tf.maximum(globalNorm, 1e-12)));
    clipped = clipped.map((g) => tf.mul(g, scale));
  }
  return clipped;
}

/**
 * Apply one phase's gradients to the group: clip, update, then decoupled weight decay
 * (w ← w − lr·wd·w, AdamW-style). Call inside tf.tidy.
 */
export function applyGradients(tf: TF, group: OptimizerGroup, grads: Record<string, Tensor>): void {
  const present = group.variables.filter((v) => grads[v.name] !== undefined);
  const clipped = clipGradients(
    tf,
    present.map((v) => grads[v.name]!),
    group.config,
  );
  const named: { name: string; tensor: Tensor }[] = present.map((v, i) => ({ name: v.name, tensor: clipped[i]! }));
  group.optimizer.applyGradients(named);
  if (group.config.weightDecay > 0) {
    const keep = 1 - group.lr * group.config.weightDecay;
    for (const v of present) v.assign(tf.mul(v, keep));
  }
}

/** Optimizer state copied to host memory, in a fixed order (tfjs keys its slots by position, not by name). */
export async function saveOptimizerState(group: OptimizerGroup): Promise<HostTensor[]> {
  const weights = await group.optimizer.getWeights();
  const saved: HostTensor[] = [];
  for (const [i, { tensor }] of weights.entries()) {
    saved.push(await toHost(tensor));
    if (i === 0) tensor.dispose(); // the iteration count is a fresh scalar; the others are the live slots
  }
  // Adam keeps beta1^t and beta2^t as running products; recomputing them with pow() on load differs in the
  // last bits, and a resumed run would drift from an uninterrupted one. Save them as they are.
  const adam = group.optimizer as unknown as { accBeta1?: Tensor; accBeta2?: Tensor };
  if (group.config.type === 'adam' && adam.accBeta1 && adam.accBeta2) saved.push(await toHost(adam.accBeta1), await toHost(adam.accBeta2));
  return saved;
}

export async function loadOptimizerState(tf: TF, group: OptimizerGroup, saved: HostTensor[]): Promise<void> {
  const isAdam = group.config.type === 'adam';
  const slots = isAdam ? saved.slice(0, -2) : saved;
  const tensors = slots.map((host) => fromHost(tf, host));
  // setWeights turns each tensor into a variable sharing its data, so ours can be released afterwards.
  await group.optimizer.setWeights(tensors.map((tensor, i) => ({ name: `${group.name}/slot_${i}`, tensor })));
  tf.dispose(tensors);
  const adam = group.optimizer as unknown as { accBeta1?: Variable; accBeta2?: Variable };
  if (isAdam && adam.accBeta1 && adam.accBeta2) {
    const [beta1, beta2] = saved.slice(-2).map((host) => fromHost(tf, host));
    adam.accBeta1.assign(beta1!);
    adam.accBeta2.assign(beta2!);
    tf.dispose([beta1!, beta2!]);
  }
}
