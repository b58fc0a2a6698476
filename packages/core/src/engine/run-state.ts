/**
 * A run's whole training state as plain data (checkpoint contents) and back: every model's weights, every
 * optimizer's slots, the weight average, the objective's state (history pools), the random streams'
 * positions and each data stream's position.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { GanforgeError } from '../errors.js';
import { callHook } from '../plugin/driver.js';
import type { Logger } from '../plugin/types.js';
import type { CheckpointState } from '../run/checkpoint.js';
import type { ResolvedSpec } from '../spec/types.js';
import { CORE_VERSION } from '../version.js';
import { fromHost, toHost, type HostTensor } from './host-tensor.js';
import type { RunHandle } from './lifecycle.js';
import { loadOptimizerState, saveOptimizerState } from './optimizers.js';

export async function snapshot(run: RunHandle, step: number, elapsedMs: number): Promise<CheckpointState> {
  const { built, groups, ema, spec, trainer } = run;
  const models: Record<string, HostTensor[]> = {};
  for (const [name, model] of Object.entries(built.models)) models[name] = await Promise.all(model.weights.map((w) => toHost(w.read())));
  const optimizers: Record<string, HostTensor[]> = {};
  for (const [name, group] of Object.entries(groups)) optimizers[name] = await saveOptimizerState(group);
  let objective: CheckpointState['objective'];
  if (built.program.state) {
    const saved = callHook({ ...built.objectiveSite, hook: 'state.save' }, () => built.program.state!.save());
    const tensors: Record<string, HostTensor> = {};
    for (const [key, tensor] of Object.entries(saved.tensors)) tensors[key] = await toHost(tensor);
    objective = { tensors, json: saved.json };
  }
  const augment: Record<string, unknown> = {};
  for (const [i, a] of built.augments.entries()) {
    if (a.adaptive?.state) augment[`${i}:${a.use}`] = callHook({ ...a.site, hook: 'state.save' }, () => a.adaptive!.state!.save());
  }
  return {
    step,
    models,
    optimizers,
    ema: ema ? await ema.save() : undefined,
    objective,
    ...(Object.keys(augment).length > 0 ? { augment } : {}),
    random: { seed: spec.training.seed, streams: trainer.randomPositions() },
    data: Object.fromEntries(Object.entries(built.streams).map(([name, stream]) => [name, { position: stream.position }])),
    spec,
    versions: { core: CORE_VERSION, plugins: Object.fromEntries(run.plugins.map((p) => [p.name, p.version])) },
    elapsedMs,
    savedAt: new Date().toISOString(),
  };
}

export async function restore(run: RunHandle, state: CheckpointState): Promise<void> {
  const { tf, built, groups, ema, trainer } = run;
  const mismatch = (what: string): never => {
    throw new GanforgeError('GF_CHECKPOINT', `The checkpoint does not fit the spec: ${what}.`, {
      hint: 'Resume with the spec the run was started with (the run folder keeps it as spec.json).',
    });
  };
  for (const [name, model] of Object.entries(built.models)) {
    const saved = state.models[name] ?? mismatch(`it has no weights for model "${name}"`);
    if (saved.length !== model.weights.length) mismatch(`model "${name}" has ${model.weights.length} weights, the checkpoint ${saved.length}`);
    model.weights.forEach((w, i) => {
      const host = saved[i]!;
      if (host.shape.join('x') !== w.shape.join('x')) mismatch(`weight ${w.name} of "${name}" is ${w.shape.join('x')}, the checkpoint's ${host.shape.join('x')}`);
      const t = fromHost(tf, host);
      w.write(t);
      t.dispose();
    });
  }
  for (const [name, group] of Object.entries(groups)) {
    const saved = state.optimizers[name] ?? mismatch(`it has no state for optimizer group "${name}"`);
    await loadOptimizerState(tf, group, saved);
  }
  if (ema && state.ema) ema.load(state.ema);
  if (built.program.state && state.objective) {
    const tensors: Record<string, Tensor> = {};
    for (const [key, host] of Object.entries(state.objective.tensors)) tensors[key] = fromHost(tf, host);
    callHook({ ...built.objectiveSite, hook: 'state.load' }, () => built.program.state!.load({ tensors, json: state.objective!.json }));
  }
  for (const [i, a] of built.augments.entries()) {
    const saved = state.augment?.[`${i}:${a.use}`];
    if (a.adaptive?.state && saved !== undefined) callHook({ ...a.site, hook: 'state.load' }, () => a.adaptive!.state!.load(saved));
  }
  if (state.random.streams) trainer.restoreRandom(state.random.streams);
  for (const [name, stream] of Object.entries(built.streams)) stream.seek(state.data[name]?.position ?? 0);
}

/** Sections that must not change between a run and its resume (steps, output and backend may). */
export function checkMatchingSpec(saved: ResolvedSpec, current: ResolvedSpec, log: Logger): void {
  for (const key of ['models', 'objective', 'data', 'losses'] as const) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(current[key])) {
      log.warn(`The spec's "${key}" differs from the one the run was started with; resuming with the current spec.`);
    }
  }
}
