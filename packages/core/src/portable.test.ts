/**
 * The platform-free core stays platform-free: src/portable.ts is bundled with esbuild for the browser, and
 * the test fails on every Node built-in it reaches (naming the chain of imports that pulls it in) and on
 * every use of `process` in the core's own bundled files. A control entry that imports node:fs must fail
 * the same check, so the check cannot pass by seeing nothing.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const CONTROL = 'control-entry.ts';
const coreRoot = resolve(here, '..');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBuiltin = (path: string) => path.startsWith('node:') || BUILTINS.has(path) || BUILTINS.has(path.split('/')[0]!);

interface Finding {
  builtin: string;
  /** Bundled files from the entry to the one that imports the built-in. */
  chain: string[];
}

/**
 * Built-ins are marked external (so one build reports all of them, not the first error) unless esbuild's own
 * browser resolution maps them away (a package's "browser" field), which is fine in a browser.
 */
function recordBuiltins(found: { builtin: string; importer: string }[]): Plugin {
  return {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (!isBuiltin(args.path) || args.pluginData === 'inner') return undefined;
        const inner = await b.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
        if (inner.errors.length === 0 && !inner.external) return undefined; // mapped away (e.g. "fs": false)
        found.push({ builtin: args.path, importer: args.importer });
        return { path: args.path, external: true };
      });
    },
  };
}

/** Shortest import chain from the entry to `target`, over the metafile's import graph. */
function chainTo(metafile: Metafile, entry: string, target: string): string[] {
  const previous = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (file === target) break;
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || previous.has(imported.path)) continue;
      previous.set(imported.path, file);
      queue.push(imported.path);
    }
  }
  const chain: string[] = [];
  for (let file: string | undefined = target; file !== undefined; file = previous.get(file)) chain.unshift(file);
  return chain;
}

async function findNodeBuiltins(entry: { file: string } | { contents: string }): Promise<{ findings: Finding[]; processUses: string[]; inputs: string[] }> {
  const found: { builtin: string; importer: string }[] = [];
  const result = await build({
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents, resolveDir: here, loader: 'ts', sourcefile: CONTROL } }),
    absWorkingDir: coreRoot,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [recordBuiltins(found)],
  });
  const metafile = result.metafile!;
  const entryInput = 'file' in entry ? relative(coreRoot, entry.file) : Object.keys(metafile.inputs).find((i) => i.endsWith(CONTROL))!;
  // Belt and braces: any import of a built-in left in the graph, whoever resolved it.
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) {
      const name = imported.original ?? imported.path;
      if (imported.external && isBuiltin(name) && !found.some((f) => f.builtin === name && relative(coreRoot, f.importer) === file)) {
        found.push({ builtin: name, importer: resolve(coreRoot, file) });
      }
    }
  }
  const findings = found.map(({ builtin, importer }) => ({ builtin, chain: chainTo(metafile, entryInput, importer.endsWith(CONTROL) ? entryInput : relative(coreRoot, importer)) }));
  // `process` is Node's global: the core's own files must not touch it (dependencies guard their own uses).
  const processUses = Object.keys(metafile.inputs).filter((file) => file.startsWith('src/') && file !== entryInput && !file.endsWith(CONTROL) && /\bprocess\s*\./.test(readFileSync(resolve(coreRoot, file), 'utf8')));
  return { findings, processUses, inputs: Object.keys(metafile.inputs) };
}

function report(findings: Finding[]): string {
  return findings.map((f) => `${f.builtin} ← ${[...f.chain].reverse().join(' ← ')}`).join('\n');
}

describe('the platform-free core (src/portable.ts)', () => {
  it('bundles for the browser without any Node built-in or process', { timeout: 120_000 }, async () => {
    const { findings, processUses, inputs } = await findNodeBuiltins({ file: resolve(here, 'portable.ts') });
    // Not vacuous: the bundle holds the validator, the registry and the engine.
    for (const file of ['src/spec/validate.ts', 'src/plugin/registry.ts', 'src/engine/choose-backend.ts', 'src/engine/run-training.ts', 'src/data/image-folder.ts']) expect(inputs).toContain(file);
    expect(report(findings), 'Node built-ins reached from src/portable.ts (built-in ← importer ← … ← entry)').toBe('');
    expect(processUses, 'core files that use the Node global `process`').toEqual([]);
  });

  it('so does the browser entry (src/browser.ts: host, IndexedDB storage, URL loading, ImageData)', { timeout: 120_000 }, async () => {
    const { findings, processUses, inputs } = await findNodeBuiltins({ file: resolve(here, 'browser.ts') });
    for (const file of ['src/portable.ts', 'src/browser/host.ts', 'src/browser/indexeddb-storage.ts', 'src/browser/load-generator.ts', 'src/run/open-artifact.ts']) expect(inputs).toContain(file);
    expect(report(findings), 'Node built-ins reached from src/browser.ts').toBe('');
    expect(processUses, 'core files that use the Node global `process`').toEqual([]);
  });

  it('fails the same check for an entry that imports node:fs (control)', async () => {
    const { findings } = await findNodeBuiltins({ contents: "import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const f = () => [readFileSync, path];\n" });
    expect(findings.map((f) => f.builtin).sort()).toEqual(['node:fs', 'path']);
  });
});
