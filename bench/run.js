#!/usr/bin/env node
// `pnpm bench <name> [options]`: a small dispatcher, one file per benchmark (TypeScript, run through tsx).
import { register } from 'tsx/esm/api';

const BENCHMARKS = {
  'dcgan-step': './dcgan-step.ts',
  'cyclegan-step': './cyclegan-step.ts',
  'probe-kernels': './probe-kernels.ts',
  quality: './quality.ts',
  'quality-peer': './quality-peer.ts',
  kernels: './kernels.ts',
  'loss-trace': './loss-trace.ts',
  'srgan-quality': './srgan-quality.ts',
  'srgan-step': './srgan-step.ts',
  anomaly: './anomaly.ts',
  browser: './browser.ts',
};

const [name, ...args] = process.argv.slice(2);
if (!name || !(name in BENCHMARKS)) {
  console.error(`usage: pnpm bench <${Object.keys(BENCHMARKS).join('|')}> [options]`);
  process.exit(name ? 2 : 0);
}
register();
const mod = await import(new URL(BENCHMARKS[name], import.meta.url).href);
if (typeof mod.main === 'function') await mod.main(args);
