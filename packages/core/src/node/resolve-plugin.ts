/**
 * Finding plugin packages in Node. A spec names plugins by package name; they are resolved the way Node would
 * resolve an import written in a file beside the spec (then from the working directory), so a project's own
 * node_modules wins. Short names expand by the convention in plugin/names.ts; "./local.js" is a file or
 * folder relative to the spec.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import { GanforgeError } from '../errors.js';
import { candidatePackageNames } from '../plugin/names.js';

export interface PluginLocation {
  specifier: string;
  /** The package name that matched, for package specifiers. */
  packageName?: string;
  file: string;
  url: string;
}

export { candidatePackageNames };

export interface ResolveOptions {
  /** Folder of the spec file: the first place packages are looked up from. */
  specDir: string;
  /** Second place packages are looked up from. */
  cwd: string;
  /** The spec file, for messages. */
  specFile?: string;
  /** JSON pointer of the plugins entry, for messages. */
  pointer?: string;
}

function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || isAbsolute(specifier) || specifier.startsWith('file:');
}

export function resolvePlugin(specifier: string, options: ResolveOptions): PluginLocation {
  return isPathSpecifier(specifier) ? resolvePathPlugin(specifier, options) : resolvePackagePlugin(specifier, options);
}

function resolvePackagePlugin(specifier: string, options: ResolveOptions): PluginLocation {
  const names = candidatePackageNames(specifier);
  const bases = [...new Set([options.specDir, options.cwd])];
  for (const base of bases) {
    const parent = pathToFileURL(join(base, 'ganforge-spec.json')).href;
    for (const packageName of names) {
      let url: string;
      try {
        url = resolveImport(packageName, parent);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_MODULE_NOT_FOUND') continue;
        throw new GanforgeError('GF_PLUGIN_LOAD', `Plugin package ${packageName} was found but cannot be imported: ${(error as Error).message}`, {
          pointer: options.pointer,
          hint: `Check that ${packageName} is built and that its package.json "exports" has an entry for ".".`,
          cause: error,
        });
      }
      const entry = fileURLToPath(url);
      if (!existsSync(entry)) {
        throw new GanforgeError('GF_PLUGIN_LOAD', `Plugin package ${packageName} is installed, but its entry file ${entry} does not exist.`, {
          pointer: options.pointer,
          hint: 'The package is probably not built: build it (in the ganforge repository: `pnpm build`) or reinstall it.',
        });
      }
      const file = realpathSync(entry);
      return { specifier, packageName, file, url: pathToFileURL(file).href };
    }
  }
  const preferred = names[0] ?? specifier;
  const from = options.specFile ? ` (referenced from ${relative(options.cwd, options.specFile) || options.specFile})` : '';
  throw new GanforgeError('GF_PLUGIN_NOT_FOUND', `Cannot find plugin "${specifier}"${from}. Looked for ${names.map((n) => `"${n}"`).join(' and ')}.`, {
    pointer: options.pointer,
    hint: `Install it in the project that holds the spec: ${installCommand(options.specDir, preferred)}`,
  });
}

function resolvePathPlugin(specifier: string, options: ResolveOptions): PluginLocation {
  const target = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolvePath(options.specDir, specifier);
  if (!existsSync(target)) {
    throw new GanforgeError('GF_PLUGIN_NOT_FOUND', `Cannot find plugin file ${specifier} (looked at ${target}).`, {
      pointer: options.pointer,
      hint: 'Relative plugin paths are resolved from the folder of the spec file.',
    });
  }
  const file = realpathSync(statSync(target).isDirectory() ? folderEntry(target, options) : target);
  return { specifier, file, url: pathToFileURL(file).href };
}

/** The module a plugin folder exports: its package.json entry, or index.js. */
function folderEntry(folder: string, options: ResolveOptions): string {
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; module?: string; main?: string };
    const entry = exportEntry(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
    return join(folder, entry);
  }
  for (const name of ['index.js', 'index.mjs']) if (existsSync(join(folder, name))) return join(folder, name);
  throw new GanforgeError('GF_PLUGIN_NOT_FOUND', `Plugin folder ${folder} has no package.json and no index.js.`, { pointer: options.pointer });
}

function exportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  const dot = '.' in map ? map['.'] : map;
  if (typeof dot === 'string') return dot;
  if (typeof dot === 'object' && dot !== null) {
    const conditions = dot as Record<string, unknown>;
    for (const key of ['import', 'node', 'default']) {
      const value = conditions[key];
      if (typeof value === 'string') return value;
      const nested = exportEntry(value);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** The install command for the package manager the project uses (judged by its lockfile). */
export function installCommand(fromDir: string, packageName: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-lock.yaml'))) return `pnpm add -D ${packageName}`;
    if (existsSync(join(dir, 'yarn.lock'))) return `yarn add -D ${packageName}`;
    if (existsSync(join(dir, 'package-lock.json'))) return `npm install -D ${packageName}`;
    if (dirname(dir) === dir) return `npm install -D ${packageName}`;
  }
}

let hostTfjsCore: string | undefined;

/** Package folder of the tfjs-core this core runs on. */
function hostTfjsCoreFolder(): string {
  hostTfjsCore ??= packageFolderOf(resolveImport('@tensorflow/tfjs-core', import.meta.url));
  return hostTfjsCore;
}

function packageFolderOf(url: string): string {
  let dir = dirname(realpathSync(fileURLToPath(url)));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * A plugin that resolves @tensorflow/tfjs-core to another copy than the host's would register kernels and
 * layers into registries the engine never sees (tfjs #109, #4659). Plugins must use the `tf` they are given.
 */
export function assertNoOwnTfjs(location: PluginLocation, pointer?: string): void {
  let theirs: string;
  try {
    theirs = packageFolderOf(resolveImport('@tensorflow/tfjs-core', location.url));
  } catch {
    return; // the plugin cannot even see a tfjs-core: nothing to clash with
  }
  const ours = hostTfjsCoreFolder();
  if (theirs !== ours) {
    const name = location.packageName ?? location.specifier;
    throw new GanforgeError('GF_PLUGIN_OWN_TFJS', `Plugin ${name} brings its own copy of @tensorflow/tfjs-core (${theirs}); ganforge runs on ${ours}.`, {
      pointer,
      hint: `Two tfjs-core copies keep separate kernel and layer registries. ${name} should list @tensorflow/tfjs-core only as a peer dependency and use the \`tf\` it receives; then reinstall so one copy remains.`,
    });
  }
}
