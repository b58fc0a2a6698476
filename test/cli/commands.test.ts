import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORE_VERSION, specSchema } from '../../packages/core/src/index.js';
import { runCli } from '../helpers/cli.js';

const project = fileURLToPath(new URL('../fixtures/packages/toy-project/', import.meta.url));

describe('ganforge CLI', () => {
  it('prints its version', async () => {
    const { exitCode, stdout } = await runCli(['--version'], project);
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe(CORE_VERSION);
  });

  it.each(['validate', 'schema', 'plugins', 'init'])('has --help for %s', async (command) => {
    const { exitCode, stdout } = await runCli([command, '--help'], project);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`Usage: ganforge ${command}`);
  });

  it('lists the commands when run without arguments', async () => {
    const { exitCode, stdout } = await runCli([], project);
    expect(exitCode).toBe(0);
    for (const command of ['validate', 'schema', 'plugins', 'init']) expect(stdout).toContain(command);
  });

  it('answers an unknown command or a missing argument with GF_USAGE and exit 2', async () => {
    const unknown = await runCli(['valdate', 'x.json'], project);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("error GF_USAGE: unknown command 'valdate'");
    expect(unknown.stderr).toContain('(Did you mean validate?)');
    const missing = await runCli(['validate'], project);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("error GF_USAGE: missing required argument 'spec'");
  });

  it('`schema` prints the spec schema', async () => {
    const { exitCode, stdout } = await runCli(['schema'], project);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual(specSchema);
  });

  it('`plugins` lists each plugin with version, origin and entries with descriptions and options', async () => {
    const { exitCode, stdout, stderr } = await runCli(['plugins', 'specs/nested/deeper/toy.json'], project);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('ganforge-plugin-toy@1.2.3  namespace "toy"  core ^0.1.0');
    expect(stdout).toMatch(/architecture\s+toy\/generator\s+A tiny dense network \(tanh output\) for tests\./);
    expect(stdout).toMatch(/options: units=16, layers=1, activation="relu"/);
    expect(stdout).toMatch(/objective\s+toy\/gan\s+Alternating generator \/ critic updates\./);
    expect(stdout).toContain('@ganforge/core@');
  });

  it('`plugins` reports a missing plugin like validate does', async () => {
    const { exitCode, stderr } = await runCli(['plugins', 'specs/bad/unknown-plugin.json'], project);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^specs\/bad\/unknown-plugin\.json:6:5: error GF_PLUGIN_NOT_FOUND/);
  });

  it('`init` writes a starter spec with a $schema that exists, and refuses to overwrite it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganforge-init-'));
    const first = await runCli(['init', 'gans/My Digits.json'], dir);
    expect(first.exitCode).toBe(0);
    const file = join(dir, 'gans/My Digits.json');
    const written = JSON.parse(readFileSync(file, 'utf8')) as { $schema: string; name: string; objective: { use: string } };
    expect(written.name).toBe('my-digits');
    expect(written.objective.use).toBe('dcgan/dcgan');
    // No installed core near a temp dir: the published schema of this version.
    expect(written.$schema).toBe(`https://unpkg.com/@ganforge/core@${CORE_VERSION}/schema/spec.schema.json`);
    const again = await runCli(['init', 'gans/My Digits.json'], dir);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('error GF_USAGE: gans/My Digits.json already exists');
    expect((await runCli(['init', 'gans/My Digits.json', '--force'], dir)).exitCode).toBe(0);
  });

  it('`init` inside a project points $schema at the installed core', async () => {
    const target = join(project, 'specs/generated-by-init.json');
    try {
      expect((await runCli(['init', 'specs/generated-by-init.json'], project)).exitCode).toBe(0);
      const { $schema } = JSON.parse(readFileSync(target, 'utf8')) as { $schema: string };
      expect($schema).toBe('../node_modules/@ganforge/core/schema/spec.schema.json');
      expect(existsSync(resolve(dirname(target), $schema))).toBe(true);
    } finally {
      (await import('node:fs')).rmSync(target, { force: true });
    }
  });
});
