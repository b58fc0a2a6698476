/**
 * The little path arithmetic platform-free code needs (node:path is Node's). Storage paths are '/'-separated;
 * the Node host also hands out Windows paths ('\'-separated, with drive letters), so every helper here accepts
 * either separator. Resolving against a working folder is Storage.resolve's job.
 */

const isSeparator = (c: string | undefined): boolean => c === '/' || c === '\\';

/** '\' for a path written with backslashes only ("C:\runs"), else '/'. */
function separatorOf(path: string): '/' | '\\' {
  return !path.includes('/') && path.includes('\\') ? '\\' : '/';
}

/** Length of the root a path starts with: 3 for "C:\" or "C:/", 1 for "/" or "\", else 0. */
function rootLength(path: string): number {
  if (/^[A-Za-z]:[\\/]/.test(path)) return 3;
  return isSeparator(path[0]) ? 1 : 0;
}

/**
 * Join segments with the first segment's separator ('/' unless it is written with '\' only), collapsing
 * repeated and trailing separators and "." segments: ("a/", ".", "b") → "a/b", ("runs", ".") → "runs",
 * ("C:\runs", "a") → "C:\runs\a". A Windows UNC prefix ("\\server") is kept.
 */
export function joinPath(...parts: string[]): string {
  const kept = parts.filter((p) => p !== '' && p !== '.');
  if (kept.length === 0) return '.';
  const sep = separatorOf(kept[0]!);
  const s = sep === '/' ? '/' : '\\\\'; // the separator, escaped for a RegExp
  let joined = kept.join(sep).replace(new RegExp(`${s}\\.(?=${s}|$)`, 'g'), '');
  const unc = sep === '\\' && joined.startsWith('\\\\');
  joined = joined.replace(new RegExp(`${s}{2,}`, 'g'), sep);
  if (unc) joined = `\\${joined}`;
  if (/^[A-Za-z]:[\\/]$/.test(joined)) return joined; // a drive root keeps its separator
  return joined.replace(new RegExp(`(.)${s}$`), '$1');
}

/** The folder part of a path ("runs/a/spec.json" → "runs/a"; "runs/a/" → "runs"; "spec.json" → "."; "C:\a" → "C:\"). */
export function dirnameOf(path: string): string {
  const root = rootLength(path);
  let end = path.length;
  while (end > root && isSeparator(path[end - 1])) end--;
  const trimmed = path.slice(0, end);
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (i < root) return root > 0 ? path.slice(0, root) : '.';
  return trimmed.slice(0, i);
}

/** The last segment of a path ("runs/a/" → "a"; "C:\runs\b" → "b"). */
export function basenameOf(path: string): string {
  let end = path.length;
  while (end > 0 && isSeparator(path[end - 1])) end--;
  const trimmed = path.slice(0, end);
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}

/**
 * `path` relative to `folder` when it lies below it (for messages), else `path` itself; "" for the folder
 * itself. Both are compared as joinPath writes them, so a path joined onto `folder` is always found below it.
 */
export function relativeTo(folder: string, path: string): string {
  const base = joinPath(folder);
  const full = joinPath(path);
  if (full === base) return '';
  for (const sep of ['/', '\\']) {
    const prefix = base.endsWith(sep) ? base : `${base}${sep}`;
    if (full.startsWith(prefix)) return full.slice(prefix.length);
  }
  return path;
}
