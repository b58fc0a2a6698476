/**
 * Storage on Node's file system. The calls are synchronous underneath (inside async methods): writes and
 * appends land in the order they were issued even when a caller does not await them, as the direct fs calls
 * this replaces did.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Storage } from '../host/types.js';

let tempCounter = 0;

export function nodeStorage(cwd: string): Storage {
  const at = (path: string): string => resolve(cwd, path);
  // Missing, or under a file (ENOTDIR): either way, nothing is there.
  const stat = (path: string) => {
    try {
      return statSync(at(path), { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };
  return {
    async read(path) {
      return readFileSync(at(path));
    },
    async readText(path) {
      return readFileSync(at(path), 'utf8');
    },
    async write(path, data, options) {
      const file = at(path);
      mkdirSync(dirname(file), { recursive: true });
      if (!options?.durable) {
        writeFileSync(file, data);
        return;
      }
      // Durable: the bytes reach the disk under a temporary name, then the rename swaps them in whole, so a
      // crash leaves the old file or the new one, never a torn one.
      const temp = `${file}.tmp-${process.pid}-${tempCounter++}`;
      const fd = openSync(temp, 'w');
      try {
        if (typeof data === 'string') writeSync(fd, data, null, 'utf8');
        else writeSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    },
    async append(path, text) {
      const file = at(path);
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, text);
    },
    async exists(path) {
      return stat(path) !== undefined;
    },
    async modified(path) {
      return stat(path)?.mtimeMs;
    },
    async isDirectory(path) {
      return stat(path)?.isDirectory() ?? false;
    },
    async list(path) {
      if (!stat(path)?.isDirectory()) return [];
      return readdirSync(at(path)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },
    async mkdir(path) {
      mkdirSync(at(path), { recursive: true });
    },
    async rename(from, to) {
      renameSync(at(from), at(to));
    },
    async remove(path) {
      rmSync(at(path), { recursive: true, force: true });
    },
    resolve(...paths) {
      return resolve(cwd, ...paths);
    },
  };
}
