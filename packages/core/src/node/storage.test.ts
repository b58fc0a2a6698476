import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeStorage } from './storage.js';

const root = mkdtempSync(join(tmpdir(), 'ganforge-storage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('nodeStorage', () => {
  const storage = nodeStorage(root);

  it('writes (durably or not), appends, lists sorted, renames and removes, relative to its folder', async () => {
    await storage.write('a/b/plain.txt', 'one');
    await storage.write('a/b/durable.bin', new Uint8Array([1, 2, 3]), { durable: true });
    await storage.append('a/log.txt', 'x\n');
    await storage.append('a/log.txt', 'y\n');
    expect(readFileSync(join(root, 'a/b/plain.txt'), 'utf8')).toBe('one');
    expect([...(await storage.read('a/b/durable.bin'))]).toEqual([1, 2, 3]);
    expect(await storage.readText('a/log.txt')).toBe('x\ny\n');
    expect(readdirSync(join(root, 'a/b'))).not.toContain(expect.stringMatching(/\.tmp-/)); // no temp file left
    expect(await storage.list('a/b')).toEqual(['durable.bin', 'plain.txt']);
    expect(await storage.list('missing')).toEqual([]);
    expect([await storage.exists('a'), await storage.isDirectory('a'), await storage.isDirectory('a/log.txt'), await storage.exists('nope')]).toEqual([true, true, false, false]);
    await storage.rename('a/b', 'a/c');
    expect(await storage.list('a')).toEqual(['c', 'log.txt']);
    await storage.remove('a');
    await storage.remove('a');
    expect(await storage.exists('a')).toBe(false);
    expect(storage.resolve('x', '../y')).toBe(join(root, 'y'));
  });
});
