/**
 * The metrics an evaluation runs, built from the spec's `evaluation.metrics` (or a list given on the command
 * line). The core knows no metric by name: each is a plugin entry, called through callHook.
 */
import { GanforgeError } from '../errors.js';
import { callHook, contractError, type HookSite, type PluginDriver } from '../plugin/driver.js';
import type { Logger, Metric, MetricInput, TF } from '../plugin/types.js';
import type { EntryRef } from '../spec/types.js';

export interface BuiltMetric {
  /** Name in the spec ("fid"). */
  name: string;
  use: string;
  options: Record<string, unknown>;
  plugin: { name: string; version: string };
  higherIsBetter: boolean;
  /** "images" or "scores" (see MetricDefinition.input). */
  input: 'images' | 'scores';
  /** Whether its value on a set is the mean over images (MetricDefinition.perImage). */
  perImage: boolean;
  metric: Metric;
  site: Omit<HookSite, 'hook'>;
}

/** Values of each metric by name, e.g. { fid: { value: 12.3 }, kid: { value: 0.01, std: 0.002 } }. */
export type MetricValues = Record<string, Record<string, number>>;

export async function buildMetrics(tf: TF, metrics: Record<string, EntryRef>, driver: PluginDriver, log: Logger): Promise<BuiltMetric[]> {
  const built: BuiltMetric[] = [];
  for (const [name, ref] of Object.entries(metrics)) {
    const entry = driver.entry('metrics', ref.use, `/evaluation/metrics/${name}`);
    const site = entry.site;
    const options = ref.options ?? {};
    const metric = await entry.call('build', (definition) => definition.build({ tf, options, log }));
    if (!metric || typeof metric.compute !== 'function') {
      throw contractError({ ...site, hook: 'build' }, 'did not return a metric with a compute() function.', `/evaluation/metrics/${name}`);
    }
    built.push({
      name,
      use: ref.use,
      options,
      plugin: { name: entry.plugin.meta.name, version: entry.plugin.meta.version },
      higherIsBetter: entry.definition.higherIsBetter,
      input: entry.definition.input ?? 'images',
      perImage: entry.definition.perImage === true,
      metric,
      site,
    });
  }
  return built;
}

/** Runs every metric on one input; a value that is not a finite number is a plugin bug, reported as such. */
export async function computeMetrics(metrics: BuiltMetric[], input: MetricInput): Promise<MetricValues> {
  const values: MetricValues = {};
  for (const { name, metric, site } of metrics) {
    const out = await callHook({ ...site, hook: 'compute' }, () => metric.compute(input));
    for (const [key, value] of Object.entries(out ?? {})) {
      if (typeof value !== 'number' || Number.isNaN(value)) {
        throw contractError({ ...site, hook: 'compute' }, `returned ${String(value)} for "${key}".`);
      }
    }
    values[name] = { ...(out ?? {}) };
  }
  return values;
}

/** The value keepBest compares: "name" reads the metric's "value" (else its first key), "name.key" that key. */
export function selectValue(values: MetricValues, selector: string): number | undefined {
  const dot = selector.indexOf('.');
  const [name, key] = dot === -1 ? [selector, undefined] : [selector.slice(0, dot), selector.slice(dot + 1)];
  const entry = values[name];
  if (!entry) return undefined;
  if (key !== undefined) return entry[key];
  return entry.value ?? Object.values(entry)[0];
}

/** Whether larger is better for a keepBest selector: the spec's mode, else the metric's own direction. */
export function selectorMode(metrics: BuiltMetric[], selector: string, mode?: 'min' | 'max'): 'min' | 'max' {
  if (mode) return mode;
  const name = selector.split('.')[0];
  const metric = metrics.find((m) => m.name === name);
  return metric?.higherIsBetter ? 'max' : 'min';
}
