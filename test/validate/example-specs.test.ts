/** Every example spec in specs/ is valid and points its $schema at the shipped schema. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateSpecFile } from '../../packages/core/src/spec/validate.js';

const specsDir = fileURLToPath(new URL('../../specs/', import.meta.url));
const schemaFile = fileURLToPath(new URL('../../packages/core/schema/spec.schema.json', import.meta.url));
const specs = readdirSync(specsDir).filter((f) => f.endsWith('.json'));

describe('example specs', () => {
  it('exist', () => {
    expect(specs).toContain('dcgan-mnist.json');
  });

  it.each(specs)('%s is valid', async (name) => {
    const file = `${specsDir}${name}`;
    const { $schema } = JSON.parse(readFileSync(file, 'utf8')) as { $schema?: string };
    expect($schema, 'every example starts with $schema').toBeDefined();
    expect(resolve(dirname(file), $schema!)).toBe(schemaFile);
    expect(existsSync(schemaFile)).toBe(true);
    const { spec } = await validateSpecFile(file);
    expect(spec.name).toBe(name.replace(/\.json$/, ''));
  });
});
