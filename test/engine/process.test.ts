/**
 * A real `ganforge train` process: Ctrl-C (SIGINT) checkpoints and exits cleanly; kill -9 at an arbitrary
 * moment loses at most the steps since the last checkpoint, and the run resumes from it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeStorage } from '../../packages/core/src/node/storage.js';
import { listCheckpoints, readCheckpoint } from '../../packages/core/src/run/checkpoint.js';

const storage = nodeStorage('/');
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const child = fileURLToPath(new URL('../fixtures/engine/cli-child.ts', import.meta.url));
// tsx from the repository root, whatever the child's working directory.
const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const pluginFile = fileURLToPath(new URL('../fixtures/engine/tiny-plugin.ts', import.meta.url));

function startTraining(name: string, output: Record<string, unknown>) {
  const spec = join(tmp.dir, `${name}.json`);
  writeFileSync(spec, JSON.stringify({ ...tinyGanSpec({ training: { steps: 100_000 }, output: { ...output, dir: `runs/${name}` } }), plugins: [pluginFile] }));
  const proc = spawn(process.execPath, ['--import', tsx, child, 'train', spec], { cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => {
    done = true;
    resolve({ code, signal });
  }));
  return { proc, running: () => !done, spec, runDir: join(tmp.dir, 'runs', name), exited, output: () => ({ stdout, stderr }) };
}

async function until(run: ReturnType<typeof startTraining>, condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 45_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (!run.running()) throw new Error(`the process exited before ${what}:\n${run.output().stderr}`);
    if (Date.now() - start > timeoutMs) {
      run.proc.kill('SIGKILL');
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a training process', () => {
  it('checkpoints and exits cleanly on Ctrl-C', async () => {
    const run = startTraining('sigint', { checkpointEvery: 1_000_000, logEvery: 50 });
    await until(run, () => /^step \d+\/100000/m.test(run.output().stdout), 'the first progress line');
    run.proc.kill('SIGINT');
    const timer = setTimeout(() => run.proc.kill('SIGKILL'), 30_000);
    const { code } = await run.exited;
    clearTimeout(timer);
    const { stdout, stderr } = run.output();
    expect(code).toBe(130);
    expect(stderr).toContain('stopping after this step and writing a checkpoint');
    expect(stderr).not.toMatch(/^\s+at /m);
    const [latest] = await listCheckpoints(storage, run.runDir);
    expect(latest).toBeDefined();
    expect(stdout).toContain(`stopped at step ${latest!.step}/100000`);
    expect(stdout).toContain(`--resume runs/sigint`);
    expect((await readCheckpoint(storage, latest!.dir)).step).toBe(latest!.step);
  });

  it('survives kill -9: the run resumes from the last complete checkpoint', async () => {
    const run = startTraining('killed', { checkpointEvery: 7, keepCheckpoints: 2, logEvery: 1000 });
    await until(run, async () => { const list = await listCheckpoints(storage, run.runDir); return list.length >= 2 && list[0]!.step >= 50; }, 'a few checkpoints');
    run.proc.kill('SIGKILL');
    const { signal } = await run.exited;
    expect(signal).toBe('SIGKILL');

    const left = await listCheckpoints(storage, run.runDir);
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(left.length).toBeLessThanOrEqual(3); // keep 2, plus possibly one written just before the kill pruned the oldest
    for (const c of left) expect((await readCheckpoint(storage, c.dir)).step).toBe(c.step);
    const latest = left[0]!.step;
    expect(latest % 7).toBe(0);

    const resumed = await runCli(['train', run.spec, '--resume', 'runs/killed', '--steps', String(latest + 3)], tmp.dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain(`(resuming at step ${latest})`);
    expect(resumed.stdout).toContain(`✔ trained ${latest + 3} steps`);
    expect(readdirSync(join(run.runDir, 'checkpoints')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(existsSync(join(run.runDir, 'generator', 'model.json'))).toBe(true);
  });
});
