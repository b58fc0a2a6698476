/**
 * The plugins a run folder's spec names, loaded for their custom layers and heads: commands that open a
 * run's artifacts (sample, translate) pass them to the loader. A run without plugins needs none, and a
 * plugin that fails to load is left out: loading the model then names the missing layer and its plugin.
 */
import { join, resolve } from 'node:path';
import type { Host } from '../host/types.js';
import type { GanforgePlugin } from '../plugin/types.js';

/** `dir` is a run folder or one of its artifact folders. */
export async function runPlugins(host: Host, dir: string): Promise<GanforgePlugin[]> {
  for (const runDir of [dir, resolve(dir, '..')]) {
    const file = join(runDir, 'spec.json');
    if (!(await host.storage.exists(file))) continue;
    try {
      const spec = JSON.parse(await host.storage.readText(file)) as { plugins?: string[] };
      const registry = await host.plugins.load(spec.plugins ?? [], { specDir: runDir, cwd: host.cwd });
      return registry.plugins.map((p) => p.plugin);
    } catch {
      return [];
    }
  }
  return [];
}
