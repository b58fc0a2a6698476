/** The installed `ganforge` executable (built dist, a real process): exit statuses and no stack traces. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../packages/core/bin/ganforge.js', import.meta.url));
const project = fileURLToPath(new URL('../fixtures/packages/toy-project/', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: project, encoding: 'utf8' });

describe('the ganforge executable', () => {
  it('is built (run `pnpm build`)', () => {
    expect(existsSync(new URL('../../packages/core/dist/cli.js', import.meta.url))).toBe(true);
  });

  it('exits 0 for a valid spec', () => {
    const result = run('validate', 'specs/nested/deeper/toy.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(['trailing-comma', 'unknown-plugin', 'core-version-mismatch', 'option-out-of-range'])('exits 2 for %s, without a stack trace', (name) => {
    const result = run('validate', `specs/bad/${name}.json`);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^specs/bad/${name}\\.json:\\d+:\\d+: error GF_`));
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('exits 2 on a usage error', () => {
    const result = run('validate');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('GF_USAGE');
  });
});
