/**
 * The run folder: where a run writes everything (resolved spec, metrics, samples, checkpoints, the
 * exported model), and how `--resume` finds the run to continue.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GanforgeError } from '../errors.js';
import type { ResolvedSpec } from '../spec/types.js';
import { listCheckpoints } from './checkpoint.js';

export const DEFAULT_RUN_DIR = 'runs/{name}-{timestamp}';

/** Local time as 20250131-142501: sorts by time and is safe in file names. */
export function timestamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export function expandRunDir(template: string, name: string, cwd: string, date = new Date()): string {
  return resolve(cwd, template.replaceAll('{name}', name).replaceAll('{timestamp}', timestamp(date)));
}

/** A fresh run folder; if the name is taken (two runs in one second), a suffix keeps it fresh. */
export function createRunDir(spec: ResolvedSpec, options: { outDir?: string; cwd: string }): string {
  const template = options.outDir ?? spec.output?.dir ?? DEFAULT_RUN_DIR;
  let dir = expandRunDir(template, spec.name, options.cwd);
  if (existsSync(dir) && listCheckpoints(dir).length > 0) {
    throw new GanforgeError('GF_RUN_DIR', `${dir} already holds a run with checkpoints.`, {
      hint: 'Pass --resume to continue it, or --out to write the new run elsewhere.',
    });
  }
  if (existsSync(dir) && template.includes('{timestamp}')) {
    let i = 2;
    while (existsSync(`${dir}-${i}`)) i++;
    dir = `${dir}-${i}`;
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The run to resume: the given folder, or else the newest run of this spec (by its latest checkpoint) among
 * the folders the spec's output.dir template would create.
 */
export function findRunToResume(spec: ResolvedSpec, options: { runDir?: string; outDir?: string; cwd: string }): string {
  if (options.runDir) {
    const dir = resolve(options.cwd, options.runDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new GanforgeError('GF_RUN_DIR', `Run folder ${dir} does not exist.`, { hint: 'Pass the folder a previous `ganforge train` printed.' });
    }
    if (listCheckpoints(dir).length === 0) {
      throw new GanforgeError('GF_RUN_DIR', `${dir} has no checkpoints to resume from.`, {
        hint: 'Checkpoints are written every output.checkpointEvery steps; start the run again without --resume.',
      });
    }
    return dir;
  }
  const template = options.outDir ?? spec.output?.dir ?? DEFAULT_RUN_DIR;
  if (!template.includes('{timestamp}')) return findRunToResume(spec, { ...options, runDir: expandRunDir(template, spec.name, options.cwd) });
  // Match folders the template produces: the part before {timestamp} is a fixed prefix within its parent.
  const probe = expandRunDir(template.replaceAll('{timestamp}', '\u0000'), spec.name, options.cwd);
  const parent = dirname(probe);
  const prefix = basename(probe).split('\u0000')[0]!;
  const candidates = existsSync(parent)
    ? readdirSync(parent)
        // The timestamp must follow the prefix, so "gan-2-…" runs are not taken for runs of "gan".
        .filter((name) => name.startsWith(prefix) && /^\d{8}-\d{6}/.test(name.slice(prefix.length)))
        .map((name) => join(parent, name))
        .map((dir) => ({ dir, latest: listCheckpoints(dir)[0] }))
        .filter((c) => c.latest !== undefined)
        .map((c) => ({ dir: c.dir, mtime: statSync(c.latest!.dir).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime)
    : [];
  if (candidates.length === 0) {
    throw new GanforgeError('GF_RUN_DIR', `No run of "${spec.name}" with checkpoints found in ${parent}.`, {
      hint: 'Pass the run folder explicitly: --resume runs/<name>-<timestamp>.',
    });
  }
  return candidates[0]!.dir;
}

export function writeResolvedSpec(runDir: string, spec: ResolvedSpec): void {
  writeFileSync(join(runDir, 'spec.json'), `${JSON.stringify(spec, null, 2)}\n`);
}
