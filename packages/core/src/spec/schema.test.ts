/**
 * The shipped schema/spec.schema.json is generated from schema.ts (pnpm build). These tests fail when the
 * committed file drifts from its source, and when the schema is not one editors and Ajv strict accept.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { specSchema } from './schema.js';

const emitted = readFileSync(new URL('../../schema/spec.schema.json', import.meta.url), 'utf8');

describe('spec.schema.json', () => {
  it('is exactly the schema authored in schema.ts (run `pnpm build` after changing it)', () => {
    expect(emitted).toBe(`${JSON.stringify(specSchema, null, 2)}\n`);
  });

  it('is valid draft-07 and compiles under Ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    const schema = JSON.parse(emitted) as object;
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
    expect((schema as { $schema: string }).$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('describes every property, so editors can show help on hover', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const { properties, additionalProperties } = node as { properties?: Record<string, unknown>; additionalProperties?: unknown };
      for (const [key, child] of Object.entries(properties ?? {})) {
        const described = (child as { description?: string; enum?: unknown; properties?: unknown }).description !== undefined;
        const selfExplaining = key === 'use' || key === 'options' || key === 'type' || key === 'mode' || key === 'model' || key === 'decay' || key === 'startStep' || key === 'metric' || key === 'description' || key === 'epsilon';
        if (!described && !selfExplaining && !(child as { properties?: unknown }).properties) undocumented.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      walk(additionalProperties, `${path}.*`);
      walk((node as { items?: unknown }).items, `${path}[]`);
    };
    walk(specSchema, 'spec');
    expect(undocumented).toEqual([]);
  });
});
