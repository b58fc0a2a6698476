/**
 * Transitional: reading a spec file synchronously, for callers that have no Storage yet (they should move to
 * `readSpecFile(host.storage, path)` from spec/parse.ts). Same checks and messages as that one.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GanforgeError } from '../errors.js';
import { MAX_SPEC_BYTES, parseSpecText, specIsFolder, specNotFound, specTooLarge, type SpecSource } from '../spec/parse.js';

export function loadSpecFile(path: string, cwd = process.cwd()): SpecSource {
  const file = resolve(cwd, path);
  let size: number;
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) throw specIsFolder(path, file);
    size = stats.size;
  } catch (error) {
    if (error instanceof GanforgeError) throw error;
    throw specNotFound(path, file, error);
  }
  if (size > MAX_SPEC_BYTES) throw specTooLarge(path, file, size);
  return parseSpecText(readFileSync(file, 'utf8'), file);
}
