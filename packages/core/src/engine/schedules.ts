/**
 * Learning-rate schedules as a multiplier of the group's lr at a 0-based step: optional linear warm-up,
 * then constant, linear or cosine decay from `decayStart` to the last step, ending at `minFactor`.
 */
import type { ResolvedOptimizer } from '../spec/types.js';

export type Schedule = ResolvedOptimizer['schedule'];

export function lrFactor(schedule: Schedule, step: number, totalSteps: number): number {
  const { type, warmupSteps, decayStart, minFactor } = schedule;
  const warmup = warmupSteps > 0 && step < warmupSteps ? (step + 1) / warmupSteps : 1;
  if (type === 'constant') return warmup;
  const decaySteps = Math.max(1, totalSteps - decayStart);
  const progress = Math.min(1, Math.max(0, (step - decayStart) / decaySteps));
  const shape = type === 'linear' ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
  return warmup * (minFactor + (1 - minFactor) * shape);
}

export function learningRate(group: Pick<ResolvedOptimizer, 'lr' | 'schedule'>, step: number, totalSteps: number): number {
  return group.lr * lrFactor(group.schedule, step, totalSteps);
}
