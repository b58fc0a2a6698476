// Writes schema/spec.schema.json from the built schema source (dist), so the shipped JSON is the TS source.
// A snapshot test (spec/schema.test.ts) fails when the committed file drifts from the source.
import { mkdirSync, writeFileSync } from 'node:fs';
import { specSchema } from '../dist/spec-schema.js';

const target = new URL('../schema/spec.schema.json', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, `${JSON.stringify(specSchema, null, 2)}\n`);
console.log('wrote schema/spec.schema.json');
