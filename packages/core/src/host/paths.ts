/**
 * The little path arithmetic platform-free code needs on paths a Storage handed out ('/'-separated, or
 * Windows paths from the Node host). Resolving against a working folder is Storage.resolve's job.
 */

/** Like node:path's dirname for the absolute, normalised paths Storage.resolve returns. */
export function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (i < 0) return '.';
  if (i === 0) return path.slice(0, 1);
  if (i === 2 && path[1] === ':') return path.slice(0, 3);
  return path.slice(0, i);
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}

/** `folder` + `name`, with the separator `folder` already uses. */
export function join(folder: string, name: string): string {
  const sep = !folder.includes('/') && folder.includes('\\') ? '\\' : '/';
  return folder.endsWith('/') || folder.endsWith('\\') ? `${folder}${name}` : `${folder}${sep}${name}`;
}

/** `path` relative to `folder` when it lies below it (for messages), else `path` itself. */
export function relativeTo(folder: string, path: string): string {
  if (path === folder) return '';
  for (const sep of ['/', '\\']) {
    const prefix = folder.endsWith(sep) ? folder : `${folder}${sep}`;
    if (path.startsWith(prefix)) return path.slice(prefix.length);
  }
  return path;
}
