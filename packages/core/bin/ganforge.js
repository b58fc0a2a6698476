#!/usr/bin/env node
// Thin launcher: the CLI lives in dist so that `ganforge` starts without a TypeScript toolchain.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
