#!/usr/bin/env node
// Checks every publishable package the way a consumer would receive it: publint (package.json vs files),
// attw in the esm-only profile (types resolve for every export), and the tarball that `pnpm pack` makes has
// no `workspace:` ranges left. Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

let failed = 0;
const indent = (text) =>
  text
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');

function check(label, command, args, cwd) {
  try {
    const out = execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    console.log(`  ✔ ${label}`);
    return out;
  } catch (error) {
    failed++;
    console.log(`  ✖ ${label}\n${indent(`${error.stdout ?? ''}${error.stderr ?? ''}`)}`);
    return undefined;
  }
}

function checkPackedManifest(dir) {
  const out = mkdtempSync(join(tmpdir(), 'ganforge-pack-'));
  try {
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'ignore' });
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
    const packed = execFileSync('tar', ['-xzOf', join(out, tarball), 'package/package.json'], { encoding: 'utf8' });
    if (packed.includes('workspace:')) {
      failed++;
      console.log(`  ✖ packed package.json still has workspace: ranges\n${indent(packed)}`);
    } else {
      console.log('  ✔ pnpm pack leaves no workspace: ranges');
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

for (const { dir, manifest } of packages) {
  console.log(`${manifest.name}@${manifest.version}`);
  if (!existsSync(join(dir, 'dist'))) {
    failed++;
    console.log('  ✖ no dist/: run `pnpm build` first');
    continue;
  }
  check('publint --strict', bin('publint'), ['run', '--strict', '--pack', 'pnpm'], dir);
  check('attw --pack --profile esm-only', bin('attw'), ['--pack', '.', '--profile', 'esm-only'], dir);
  checkPackedManifest(dir);
}
console.log(failed === 0 ? `\n${packages.length} packages OK` : `\n${failed} check(s) failed`);
process.exitCode = failed === 0 ? 0 : 1;
