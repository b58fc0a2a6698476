/**
 * Every bad spec in test/fixtures/packages/toy-project/specs/bad gives its coded, located message and exit
 * status 2, never a stack trace. The table says where the caret must point and what the message must say.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../packages/core/src/errors.js';
import { runCli } from '../helpers/cli.js';

const project = fileURLToPath(new URL('../fixtures/packages/toy-project/', import.meta.url));

interface Expectation {
  code: ErrorCode;
  /** "line:column" of the first problem. */
  at: string;
  says: string[];
  problems?: number;
}

const cases: Record<string, Expectation> = {
  'misspelled-top-level-key': { code: 'GF_SPEC_UNKNOWN_KEY', at: '26:3', says: ['Unknown key "objectve" in the spec', 'Did you mean "objective"?'], problems: 1 },
  'misspelled-nested-key': { code: 'GF_SPEC_UNKNOWN_KEY', at: '40:5', says: ['Unknown key "sede" in training', 'Did you mean "seed"?', 'Allowed keys:'] },
  'misspelled-option-key': { code: 'GF_SPEC_UNKNOWN_KEY', at: '19:9', says: ['models.generator.options', 'Did you mean "units"?'] },
  'wrong-type': { code: 'GF_SPEC_TYPE', at: '38:18', says: ['training.batchSize must be an integer, not "64" (a string)'] },
  'zero-batch-size': { code: 'GF_SPEC_RANGE', at: '38:18', says: ['training.batchSize must be >= 1, but is 0'] },
  'negative-steps': { code: 'GF_SPEC_RANGE', at: '39:14', says: ['training.steps must be >= 1, but is -5'] },
  'absurd-batch-size': { code: 'GF_SPEC_RANGE', at: '38:18', says: ['must be <= 65536', 'check for an extra digit'] },
  'absurd-learning-rate': { code: 'GF_SPEC_RANGE', at: '44:15', says: ['training.optimizers.critic.lr must be <= 10, but is 1000'] },
  'zero-learning-rate': { code: 'GF_SPEC_RANGE', at: '44:15', says: ['lr must be > 0, but is 0'] },
  'option-out-of-range': { code: 'GF_SPEC_RANGE', at: '19:18', says: ['models.generator.options.units must be >= 1', 'ganforge plugins'] },
  'unknown-backend': { code: 'GF_SPEC_ENUM', at: '41:16', says: ['training.backend must be one of', 'Did you mean "wasm"?'] },
  'unknown-option-value': { code: 'GF_SPEC_ENUM', at: '25:23', says: ['models.critic.options.activation', 'Did you mean "relu"?'] },
  'unknown-plugin': { code: 'GF_PLUGIN_NOT_FOUND', at: '6:5', says: ['Cannot find plugin "doesnotexist"', 'specs/bad/unknown-plugin.json', 'pnpm add -D @ganforge/plugin-doesnotexist'] },
  'unknown-entry': { code: 'GF_ENTRY_UNKNOWN', at: '17:14', says: ['has no architecture "generatr"', 'Did you mean "toy/generator"?'] },
  'unknown-namespace': { code: 'GF_ENTRY_UNKNOWN', at: '23:14', says: ['No plugin provides the namespace "tyo"', 'Did you mean "toy"?', 'add the plugin'] },
  'entry-of-wrong-kind': { code: 'GF_ENTRY_KIND', at: '23:14', says: ['"toy/logistic" is a loss, but this place needs an architecture'] },
  'malformed-entry-id': { code: 'GF_SPEC_FORMAT', at: '27:12', says: ['objective.use must be an entry id like "dcgan/generator"'] },
  'missing-objective': { code: 'GF_SPEC_MISSING_KEY', at: '1:1', says: ['Missing required key "objective"', 'GAN variant'] },
  'core-version-mismatch': { code: 'GF_PLUGIN_VERSION', at: '6:5', says: ['supports @ganforge/core ^9.0.0, but this is @ganforge/core 0.1.0'] },
  'plugin-api-version-mismatch': { code: 'GF_PLUGIN_API_VERSION', at: '6:5', says: ['written for plugin API 0, but this core implements API 1'] },
  'duplicate-namespace': { code: 'GF_PLUGIN_DUPLICATE_NAMESPACE', at: '6:5', says: ['both use the namespace "toy"'] },
  'plugin-with-own-tfjs': { code: 'GF_PLUGIN_OWN_TFJS', at: '6:5', says: ['brings its own copy of @tensorflow/tfjs-core', 'peer dependency'] },
  'not-a-plugin': { code: 'GF_PLUGIN_SHAPE', at: '6:5', says: ['is not a ganforge plugin: it has no "meta" object'] },
  'plugin-not-built': { code: 'GF_PLUGIN_LOAD', at: '6:5', says: ['ganforge-plugin-unbuilt is installed, but its entry file', 'not built'] },
  'plugin-throws-on-import': { code: 'GF_PLUGIN_LOAD', at: '6:5', says: ['failed to load: cannot find ./weights.bin'] },
  'steps-and-epochs': { code: 'GF_SPEC_CONFLICT', at: '47:15', says: ['sets both "steps" and "epochs"'] },
  'objective-model-missing': { code: 'GF_SPEC_REFERENCE', at: '15:13', says: ['needs a model named "critic"'], problems: 1 },
  'unknown-optimizer-group': { code: 'GF_SPEC_REFERENCE', at: '43:24', says: ['no optimizer group "discriminator"', '"generator", "critic"'] },
  'unknown-loss-role': { code: 'GF_SPEC_REFERENCE', at: '33:20', says: ['no loss role "adversarail"', 'Did you mean "adversarial"?'] },
  'loss-of-wrong-kind': { code: 'GF_ENTRY_KIND', at: '34:14', says: ['needs an adversarial loss, but toy/l1 is pairwise'] },
  'ema-of-unknown-model': { code: 'GF_SPEC_REFERENCE', at: '48:16', says: ['Did you mean "generator"?'] },
  'invalid-run-name': { code: 'GF_SPEC_FORMAT', at: '3:11', says: ['name has the wrong form: "My GAN"'] },
  'invalid-stream-name': { code: 'GF_SPEC_FORMAT', at: '8:20', says: ['"real images" is not a valid name in data'] },
  'trailing-comma': { code: 'GF_SPEC_PARSE', at: '51:3', says: ['trailing comma'] },
  comment: { code: 'GF_SPEC_PARSE', at: '37:17', says: ['comments are not allowed'] },
  'unclosed-object': { code: 'GF_SPEC_PARSE', at: '52:1', says: ['the file ends before the closing "}"'] },
  empty: { code: 'GF_SPEC_EMPTY', at: '1:1', says: ['The spec file is empty', 'ganforge init'] },
  'whitespace-only': { code: 'GF_SPEC_EMPTY', at: '1:1', says: ['The spec file is empty'] },
  'json-array': { code: 'GF_SPEC_NOT_OBJECT', at: '1:1', says: ['holds an array'] },
};

/** A stack trace line, as Node prints them. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe('bad specs', () => {
  it('the fixture folder and the table list the same cases', () => {
    const files = readdirSync(join(project, 'specs/bad'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual(Object.keys(cases).sort());
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  for (const [name, expected] of Object.entries(cases)) {
    it(`${name} → ${expected.code} at ${expected.at}`, async () => {
      const file = `specs/bad/${name}.json`;
      const { exitCode, stdout, stderr } = await runCli(['validate', file], project);
      expect(exitCode).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:${expected.at}: error ${expected.code}: `));
      for (const text of expected.says) expect(stderr).toContain(text);
      expect(stderr).not.toMatch(STACK_LINE);
      expect(stderr).not.toContain('internal error');
      const problems = stderr.match(/^\S.*: error GF_/gm)?.length ?? 0;
      if (expected.problems !== undefined) expect(problems).toBe(expected.problems);
    });
  }

  it('a spec over 1 MiB is refused before it is parsed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganforge-huge-'));
    writeFileSync(join(dir, 'huge.json'), `{"name": "huge", "description": "${'x'.repeat(1100 * 1024)}"}`);
    const { exitCode, stderr } = await runCli(['validate', 'huge.json'], dir);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^huge\.json: error GF_SPEC_TOO_LARGE: huge\.json is 1\.1 MiB; a spec is at most 1\.0 MiB\./);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('a spec file that does not exist', async () => {
    const { exitCode, stderr } = await runCli(['validate', 'specs/missing.json'], project);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('error GF_SPEC_NOT_FOUND: Cannot read spec file specs/missing.json');
    expect(stderr).toContain('ganforge init');
  });

  it('a spec path that is a folder', async () => {
    const { exitCode, stderr } = await runCli(['validate', 'specs'], project);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('error GF_SPEC_NOT_FOUND: specs is a folder');
  });

  it('several problems are reported together, each located', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganforge-many-'));
    writeFileSync(
      join(dir, 'many.json'),
      JSON.stringify({ name: 'x', data: { real: { use: 'a/b' } }, models: { g: { use: 'a/b' } }, objective: { use: 'a/b' }, training: { batchSize: -1, stepz: 3 } }, null, 2),
    );
    const { exitCode, stderr } = await runCli(['validate', 'many.json'], dir);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/many\.json:\d+:\d+: error GF_SPEC_RANGE: training\.batchSize/);
    expect(stderr).toMatch(/many\.json:\d+:\d+: error GF_SPEC_UNKNOWN_KEY: Unknown key "stepz" in training\. Did you mean "steps"\?/);
    expect(stderr).toContain('✖ 2 problems');
  });
});
