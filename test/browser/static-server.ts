/** A static file server for browser tests: URL prefixes mapped to folders, correct types for wasm and models. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
};

export async function serveFolders(routes: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const prefix = prefixes.find((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
    const file = prefix === undefined ? undefined : join(routes[prefix]!, normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, ''));
    const target = file && existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
    if (!target || !existsSync(target)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
