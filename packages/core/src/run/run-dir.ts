/**
 * The run folder: where a run writes everything (resolved spec, metrics, samples, checkpoints, the
 * exported artifacts), and how `--resume` finds the run to continue.
 */
import { GanforgeError } from '../errors.js';
import { basenameOf, dirnameOf, joinPath as join } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import type { ResolvedSpec } from '../spec/types.js';
import { listCheckpoints } from './checkpoint.js';

export const DEFAULT_RUN_DIR = 'runs/{name}-{timestamp}';

/** Local time as 20250131-142501: sorts by time and is safe in file names. */
export function timestamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export function expandRunDir(storage: Storage, template: string, name: string, date = new Date()): string {
  return storage.resolve(template.replaceAll('{name}', name).replaceAll('{timestamp}', timestamp(date)));
}

/** A fresh run folder; if the name is taken (two runs in one second), a suffix keeps it fresh. */
export async function createRunDir(storage: Storage, spec: ResolvedSpec, options: { outDir?: string }): Promise<string> {
  const template = options.outDir ?? spec.output?.dir ?? DEFAULT_RUN_DIR;
  let dir = expandRunDir(storage, template, spec.name);
  if ((await storage.exists(dir)) && (await listCheckpoints(storage, dir)).length > 0) {
    throw new GanforgeError('GF_RUN_DIR', `${dir} already holds a run with checkpoints.`, {
      hint: 'Pass --resume to continue it, or --out to write the new run elsewhere.',
    });
  }
  if ((await storage.exists(dir)) && template.includes('{timestamp}')) {
    let i = 2;
    while (await storage.exists(`${dir}-${i}`)) i++;
    dir = `${dir}-${i}`;
  }
  await storage.mkdir(dir);
  return dir;
}

/**
 * The run to resume: the given folder, or else the newest run of this spec (by its latest checkpoint) among
 * the folders the spec's output.dir template would create.
 */
export async function findRunToResume(storage: Storage, spec: ResolvedSpec, options: { runDir?: string; outDir?: string }): Promise<string> {
  if (options.runDir) {
    const dir = storage.resolve(options.runDir);
    if (!(await storage.isDirectory(dir))) {
      throw new GanforgeError('GF_RUN_DIR', `Run folder ${dir} does not exist.`, { hint: 'Pass the folder a previous `ganforge train` printed.' });
    }
    if ((await listCheckpoints(storage, dir)).length === 0) {
      throw new GanforgeError('GF_RUN_DIR', `${dir} has no checkpoints to resume from.`, {
        hint: 'Checkpoints are written every output.checkpointEvery steps; start the run again without --resume.',
      });
    }
    return dir;
  }
  const template = options.outDir ?? spec.output?.dir ?? DEFAULT_RUN_DIR;
  if (!template.includes('{timestamp}')) return findRunToResume(storage, spec, { ...options, runDir: expandRunDir(storage, template, spec.name) });
  // Match folders the template produces: the part before {timestamp} is a fixed prefix within its parent.
  const probe = expandRunDir(storage, template.replaceAll('{timestamp}', '\u0000'), spec.name);
  const parent = dirnameOf(probe);
  const prefix = basenameOf(probe).split('\u0000')[0]!;
  const candidates: { dir: string; mtime: number }[] = [];
  // The timestamp must follow the prefix, so "gan-2-…" runs are not taken for runs of "gan".
  for (const name of await storage.list(parent)) {
    if (!name.startsWith(prefix) || !/^\d{8}-\d{6}/.test(name.slice(prefix.length))) continue;
    const dir = join(parent, name);
    const latest = (await listCheckpoints(storage, dir))[0];
    if (latest) candidates.push({ dir, mtime: (await storage.modified(latest.dir)) ?? 0 });
  }
  candidates.sort((a, b) => b.mtime - a.mtime);
  if (candidates.length === 0) {
    throw new GanforgeError('GF_RUN_DIR', `No run of "${spec.name}" with checkpoints found in ${parent}.`, {
      hint: 'Pass the run folder explicitly: --resume runs/<name>-<timestamp>.',
    });
  }
  return candidates[0]!.dir;
}

/**
 * The run's spec as resolved, and (data-dir.json) the absolute folder its relative data paths resolved
 * against, so `ganforge eval` reads the same images later, from any working directory.
 */
export async function writeResolvedSpec(storage: Storage, runDir: string, spec: ResolvedSpec, specDir?: string): Promise<void> {
  await storage.write(join(runDir, 'spec.json'), `${JSON.stringify(spec, null, 2)}\n`);
  if (specDir !== undefined) await storage.write(join(runDir, DATA_DIR_FILE), `${JSON.stringify({ specDir: storage.resolve(specDir) })}\n`);
}

export const DATA_DIR_FILE = 'data-dir.json';
