/**
 * Tests only: the core's tf namespace on the cpu backend, as the engine hands it to plugins, with the
 * gradients the engine registers before training (comparison ops differentiate to zero, which a gradient
 * penalty through LeakyReLU needs). Plugins never import tfjs; the tests borrow the core's copy.
 */
// The same entry the engine's import of the package resolves to (its "main"), so the backend registers once.
import '../../../core/node_modules/@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.node.js';
import * as tfNamespace from '../../../core/src/engine/tf.js';
import { registerTrainingGradients } from '../../../core/src/engine/wasm/gradients.js';
import type { ArchitectureContext, DataInfo, LayersModel, TF } from '@ganforge/core';

export const tf = tfNamespace as unknown as TF;

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  registerTrainingGradients();
}

export const silentLog = { info() {}, warn() {}, debug() {} };

/** Builds an architecture entry the way the engine does, for the given stream shape. */
export function buildWith(
  entry: { optionsSchema?: unknown; build(ctx: ArchitectureContext<any>): LayersModel | Promise<LayersModel> },
  options: Record<string, unknown>,
  real: DataInfo,
  name = 'model',
): LayersModel {
  return entry.build({ tf, options: withDefaults(entry.optionsSchema, options), name, data: { real }, seed: 1, log: silentLog }) as LayersModel;
}

/** The top-level defaults of an options schema under the given options (what the core's validation fills in). */
export function withDefaults(schema: unknown, options: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties ?? {};
  const defaults = Object.fromEntries(Object.entries(properties).filter(([, p]) => 'default' in p).map(([k, p]) => [k, structuredClone(p.default)]));
  return { ...defaults, ...options };
}
