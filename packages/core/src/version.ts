import { readFileSync } from 'node:fs';

// src/ and dist/ sit at the same depth below the package root, so this path holds for both.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The running @ganforge/core version, checked against each plugin's meta.core range. */
export const CORE_VERSION: string = pkg.version;
