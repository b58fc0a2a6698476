#!/usr/bin/env node
// Thin launcher: the CLI lives in dist so that `ganforge` starts without a TypeScript toolchain.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('error: @ganforge/core is not built (dist/cli.js is missing). In the ganforge repository, run `pnpm build`.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
