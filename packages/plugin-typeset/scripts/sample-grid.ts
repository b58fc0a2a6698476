/**
 * Writes docs/typeset-digits.png: the first 100 images of "typeset/digits" (default options, seed 0) as a
 * 10x10 grid, digit i % 10 in column i % 10. Run from the repository root:
 *   pnpm exec tsx packages/plugin-typeset/scripts/sample-grid.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { encodeGrid } from '@ganforge/core/portable';
import { entryOptions, silentLog, tf } from '@ganforge/core/testing';
import plugin from '../src/index.js';

const entry = plugin.datasets!.digits!;
const started = performance.now();
const source = await entry.open({ tf, options: entryOptions(entry, {}), specDir: '.', log: silentLog } as never);
const opened = performance.now();
const { x } = (await source.read([...Array(100).keys()])) as { x: Uint8Array };
const out = new URL('../../../docs/typeset-digits.png', import.meta.url);
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, encodeGrid({ data: Float32Array.from(x), shape: [100, 28, 28, 1], scale: 'none' }, 10));
console.log(`opened in ${(opened - started).toFixed(0)} ms, rendered 100 in ${(performance.now() - opened).toFixed(0)} ms → docs/typeset-digits.png`);
