/**
 * A Storage in memory (a Map of path → bytes), for pages and workers: run folders, checkpoints and
 * exported models live here, and `persist` mirrors every change to IndexedDB (indexeddb-storage.ts) so
 * they survive a reload. Folders exist implicitly (a file's parents) or explicitly (mkdir).
 */
import { dirnameOf, isAbsolute, joinPath } from '../host/paths.js';
import type { Storage } from '../host/types.js';

export interface MemoryStorage extends Storage {
  /** Every file, by absolute path. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Called after each change, with the files that changed (undefined: removed). */
export type ChangeListener = (changes: Map<string, Uint8Array | undefined>) => void | Promise<void>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function memoryStorage(cwd = '/', initial: Iterable<[string, Uint8Array]> = [], onChange?: ChangeListener): MemoryStorage {
  const files = new Map<string, Uint8Array>();
  const folders = new Set<string>(['/']);
  const times = new Map<string, number>();
  const resolve = (...paths: string[]): string => {
    let path = cwd;
    for (const p of paths) path = isAbsolute(p) ? p : joinPath(path, p);
    // Normalise "a/../b".
    const parts: string[] = [];
    for (const segment of path.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') parts.pop();
      else parts.push(segment);
    }
    return `/${parts.join('/')}`;
  };
  const addParents = (path: string) => {
    for (let dir = dirnameOf(path); !folders.has(dir); dir = dirnameOf(dir)) folders.add(dir);
  };
  const notFound = (path: string) => Object.assign(new Error(`ENOENT: no such file, '${path}'`), { code: 'ENOENT' });
  const changed = async (changes: Map<string, Uint8Array | undefined>) => {
    if (onChange) await onChange(changes);
  };
  const under = (folder: string) => (path: string) => path === folder || path.startsWith(`${folder === '/' ? '' : folder}/`);
  for (const [path, data] of initial) {
    files.set(resolve(path), data);
    addParents(resolve(path));
  }

  return {
    files,
    resolve,
    async read(path) {
      const data = files.get(resolve(path));
      if (!data) throw notFound(path);
      return data;
    },
    async readText(path) {
      return decoder.decode(await this.read(path));
    },
    async write(path, data) {
      const file = resolve(path);
      const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
      files.set(file, bytes);
      times.set(file, Date.now());
      addParents(file);
      await changed(new Map([[file, bytes]]));
    },
    async append(path, text) {
      const file = resolve(path);
      const old = files.get(file) ?? new Uint8Array(0);
      const add = encoder.encode(text);
      const bytes = new Uint8Array(old.length + add.length);
      bytes.set(old);
      bytes.set(add, old.length);
      files.set(file, bytes);
      times.set(file, Date.now());
      addParents(file);
      await changed(new Map([[file, bytes]]));
    },
    async exists(path) {
      const p = resolve(path);
      return files.has(p) || folders.has(p);
    },
    async isDirectory(path) {
      return folders.has(resolve(path));
    },
    async list(path) {
      const dir = resolve(path);
      const prefix = dir === '/' ? '/' : `${dir}/`;
      const names = new Set<string>();
      for (const p of [...files.keys(), ...folders]) if (p.startsWith(prefix) && p !== dir) names.add(p.slice(prefix.length).split('/')[0]!);
      return [...names].sort();
    },
    async mkdir(path) {
      const dir = resolve(path);
      folders.add(dir);
      addParents(dir);
    },
    async rename(from, to) {
      const [source, target] = [resolve(from), resolve(to)];
      const inside = under(source);
      const changes = new Map<string, Uint8Array | undefined>();
      for (const [path, data] of [...files]) {
        if (!inside(path)) continue;
        files.delete(path);
        changes.set(path, undefined);
        const moved = target + path.slice(source.length);
        files.set(moved, data);
        times.set(moved, times.get(path) ?? Date.now());
        times.delete(path);
        addParents(moved);
        changes.set(moved, data);
      }
      for (const folder of [...folders]) {
        if (!inside(folder)) continue;
        folders.delete(folder);
        folders.add(target + folder.slice(source.length));
      }
      addParents(target);
      if (changes.size === 0 && !folders.has(target)) throw notFound(from);
      await changed(changes);
    },
    async modified(path) {
      const p = resolve(path);
      if (files.has(p)) return times.get(p) ?? 0;
      if (!folders.has(p)) return undefined;
      // A folder: its newest file.
      let newest = 0;
      for (const [file, time] of times) if (under(p)(file)) newest = Math.max(newest, time);
      return newest;
    },
    async remove(path) {
      const inside = under(resolve(path));
      const changes = new Map<string, Uint8Array | undefined>();
      for (const p of [...files.keys()]) {
        if (inside(p)) {
          files.delete(p);
          changes.set(p, undefined);
        }
      }
      for (const f of [...folders]) if (inside(f) && f !== '/') folders.delete(f);
      if (changes.size > 0) await changed(changes);
    },
  };
}
