/**
 * '/'-separated path helpers for the platform-free core (node:path is Node's). Storage paths are always
 * '/'-separated; a Node host accepts them on Windows too.
 */

/** Join segments with '/', collapsing repeated and trailing separators and "." segments ("a/", ".", "b" → "a/b"). */
export function joinPath(...parts: string[]): string {
  const kept = parts.filter((p) => p !== '' && p !== '.');
  if (kept.length === 0) return '.';
  const joined = kept.join('/').replace(/\/\.(?=\/|$)/g, '');
  return joined.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

/** The folder part of a path ("runs/a/spec.json" → "runs/a"; "spec.json" → "."). */
export function dirnameOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : trimmed.slice(0, i);
}

/** The last segment of a path ("runs/a/" → "a"). */
export function basenameOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
