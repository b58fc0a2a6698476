/// <reference lib="dom" />
/**
 * A read-only Storage over HTTP, so a page can open what `ganforge train` exported (served as static files)
 * with the same code that opens run folders on disk. Paths are URL paths on one origin; reads are fetched
 * once and cached; folders cannot be listed, so a run folder needs its artifacts.json (every run since
 * artifacts has one) or the artifact folder itself.
 */
import { isAbsolute, joinPath } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import { GanforgeError } from '../errors.js';

export function urlStorage(origin: string, cwd = '/', fetcher: typeof fetch = (...args) => fetch(...args)): Storage {
  const cache = new Map<string, Promise<Uint8Array | undefined>>();
  const resolve = (...paths: string[]) => paths.reduce((path, p) => (isAbsolute(p) ? p : joinPath(path, p)), cwd);
  const get = (path: string) => {
    const full = resolve(path);
    let entry = cache.get(full);
    if (!entry) {
      entry = fetcher(new URL(full, origin)).then(async (response) => (response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined));
      cache.set(full, entry);
    }
    return entry;
  };
  const readOnly = (what: string) => async () => {
    throw new GanforgeError('GF_USAGE', `Files over HTTP are read-only: cannot ${what}.`);
  };
  return {
    resolve,
    async read(path) {
      const data = await get(path);
      if (!data) throw Object.assign(new Error(`HTTP: ${new URL(resolve(path), origin).href} not found`), { code: 'ENOENT' });
      return data;
    },
    async readText(path) {
      return new TextDecoder().decode(await this.read(path));
    },
    async exists(path) {
      return (await get(path)) !== undefined;
    },
    // A path with a file extension is a file; anything else is taken for a folder.
    async isDirectory(path) {
      return !/\.[A-Za-z0-9]+$/.test(resolve(path));
    },
    async list() {
      return [];
    },
    async modified(path) {
      return (await get(path)) ? 0 : undefined;
    },
    write: readOnly('write'),
    append: readOnly('append'),
    mkdir: readOnly('create folders'),
    rename: readOnly('rename'),
    remove: readOnly('remove'),
  };
}
