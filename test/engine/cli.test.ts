/** `ganforge train` and `ganforge sample`, in-process. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string) => {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
};
const pluginFile = fileURLToPath(new URL('../fixtures/engine/tiny-plugin.ts', import.meta.url));

function writeSpec(name: string, spec: object): string {
  writeFileSync(join(tmp.dir, name), JSON.stringify({ ...spec, plugins: [pluginFile] }, null, 2));
  return name;
}

describe('ganforge train', () => {
  it('prints the backend and why others were skipped, the run folder, plain progress lines, and the export', async () => {
    const spec = writeSpec('train.json', tinyGanSpec({ training: { steps: 6, backend: 'auto' }, output: { logEvery: 3 } }));
    const { exitCode, stdout, stderr } = await runCli(['train', spec, '--out', 'runs/cli'], tmp.dir);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    // auto: tfjs-node(-gpu) are optional peers that are not installed here, so wasm (with the core's training kernels) is taken.
    expect(stdout).toMatch(/^backend {3}wasm: WebAssembly \+ XNNPACK.+\n {10}skipped: tensorflow-gpu \(not installed\); tensorflow \(not installed\)\n/);
    expect(stdout).toContain('run       runs/cli\n');
    expect(stdout).toMatch(/^step 3\/6 {2}discriminator -?\d\.\d{4} {2}generator -?\d\.\d{4} {2}[\d.]+ img\/s {2}eta \S+$/m);
    expect(stdout).toMatch(/^step 6\/6 /m);
    expect(stdout).toMatch(/✔ trained 6 steps in/);
    expect(stdout).toMatch(/generator +runs\/cli\/generator\/ +\(noise → image; sample it: ganforge sample runs\/cli --out grid.png\)/);
    expect(existsSync(join(tmp.dir, 'runs/cli/generator/model.json'))).toBe(true);
  });

  it('--steps overrides the spec, --resume continues the newest run of the spec', async () => {
    const spec = writeSpec('resume.json', tinyGanSpec({ training: { steps: 4 }, output: { dir: 'runs/{name}-{timestamp}' } }));
    const first = await runCli(['train', spec], tmp.dir);
    expect(first.exitCode).toBe(0);
    const runs = readdirSync(join(tmp.dir, 'runs')).filter((d) => d.startsWith('tiny-gan-'));
    expect(runs).toHaveLength(1);
    const again = await runCli(['train', spec, '--resume', '--steps', '7'], tmp.dir);
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`run       runs/${runs[0]}  (resuming at step 4)`);
    expect(again.stdout).toMatch(/✔ trained 7 steps/);
  });

  it('fails with a coded message and exit 2 on bad input', async () => {
    const spec = writeSpec('bad.json', tinyGanSpec());
    const badSteps = await runCli(['train', spec, '--steps', 'zero'], tmp.dir);
    expect(badSteps.exitCode).toBe(2);
    expect(badSteps.stderr).toContain('GF_USAGE');
    const badBackend = await runCli(['train', spec, '--backend', 'cuda'], tmp.dir);
    expect(badBackend.exitCode).toBe(2);
    const noRun = await runCli(['train', spec, '--resume', 'runs/missing'], tmp.dir);
    expect(noRun.exitCode).toBe(2);
    expect(noRun.stderr).toMatch(/GF_RUN_DIR/);
    expect(noRun.stderr).not.toMatch(/^\s+at /m);
    const nan = await runCli(['train', writeSpec('nan.json', tinyGanSpec({ objective: { options: { nanAtStep: 2 } } })), '--out', 'runs/nan'], tmp.dir);
    // Training that diverges on a valid spec is not bad input: exit 1, still a coded message without a stack.
    expect(nan.exitCode).toBe(1);
    expect(nan.stderr).toMatch(/GF_TRAIN_NONFINITE/);
    expect(nan.stderr).not.toMatch(/^\s+at /m);
    expect(nan.stderr).toMatch(/step 3, phase "generator"/);
  });
});

describe('ganforge sample', () => {
  it('writes one grid, or one PNG per sample into a folder', async () => {
    const spec = writeSpec('sample.json', tinyGanSpec({ training: { steps: 2 } }));
    expect((await runCli(['train', spec, '--out', 'runs/s'], tmp.dir)).exitCode).toBe(0);
    const grid = await runCli(['sample', 'runs/s', '--n', '9', '--out', 'grid.png', '--seed', '5'], tmp.dir);
    expect(grid.stderr).toBe('');
    expect(grid.exitCode).toBe(0);
    expect(pngSize(join(tmp.dir, 'grid.png'))).toEqual([3 * 4 + 2, 3 * 4 + 2]);
    const again = await runCli(['sample', 'runs/s/generator/model.json', '--n', '9', '--out', 'grid2.png', '--seed', '5'], tmp.dir);
    expect(again.exitCode).toBe(0);
    expect(readFileSync(join(tmp.dir, 'grid2.png'))).toEqual(readFileSync(join(tmp.dir, 'grid.png')));

    const each = await runCli(['sample', 'runs/s', '--n', '3', '--out', 'each/'], tmp.dir);
    expect(each.exitCode).toBe(0);
    expect(readdirSync(join(tmp.dir, 'each'))).toEqual(['sample-0.png', 'sample-1.png', 'sample-2.png']);
    expect(pngSize(join(tmp.dir, 'each/sample-0.png'))).toEqual([4, 4]);

    const label = await runCli(['sample', 'runs/s', '--label', '3'], tmp.dir);
    expect(label.exitCode).toBe(2);
    expect(label.stderr).toMatch(/GF_USAGE.*not conditional/);
    const missing = await runCli(['sample', 'runs/nothing'], tmp.dir);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/GF_RUN_DIR/);
  });

  it('samples a conditional generator with --label', async () => {
    const base = tinyGanSpec({ training: { steps: 2 }, data: { options: { size: 30, classes: 3 } } });
    const spec = writeSpec('conditional.json', { ...base, models: { ...base.models, generator: { use: 'tiny/dense-generator', options: { conditional: true } } } });
    const trained = await runCli(['train', spec, '--out', 'runs/c'], tmp.dir);
    expect(trained.stderr).toBe('');
    expect(trained.exitCode).toBe(0);
    const a = await runCli(['sample', 'runs/c', '--n', '4', '--label', '2', '--out', 'c2.png'], tmp.dir);
    const b = await runCli(['sample', 'runs/c', '--n', '4', '--label', '0', '--out', 'c0.png'], tmp.dir);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(readFileSync(join(tmp.dir, 'c2.png'))).not.toEqual(readFileSync(join(tmp.dir, 'c0.png')));
    const outOfRange = await runCli(['sample', 'runs/c', '--label', '3'], tmp.dir);
    expect(outOfRange.exitCode).toBe(2);
    expect(outOfRange.stderr).toMatch(/--label 3 is out of range: the model knows classes 0 to 2/);
  });
});
