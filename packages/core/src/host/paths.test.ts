import { describe, expect, it } from 'vitest';
import { basenameOf, dirnameOf, isAbsolute, joinPath, relativeTo } from './paths.js';

describe('joinPath', () => {
  it('joins with "/", dropping "." and empty segments and extra separators', () => {
    expect(joinPath('runs', 'a', 'spec.json')).toBe('runs/a/spec.json');
    expect(joinPath('a/', 'b')).toBe('a/b');
    expect(joinPath('a/', '.', 'b')).toBe('a/b');
    expect(joinPath('runs/a', '.')).toBe('runs/a');
    expect(joinPath('/abs/runs', '.')).toBe('/abs/runs');
    expect(joinPath('a//b/', '')).toBe('a/b');
    expect(joinPath('a/./b')).toBe('a/b');
    expect(joinPath('/', 'x')).toBe('/x');
    expect(joinPath('/')).toBe('/');
    expect(joinPath('.', '')).toBe('.');
    expect(joinPath('..', 'x')).toBe('../x');
  });
  it('keeps a Windows path\'s backslashes, drive root and UNC prefix', () => {
    expect(joinPath('C:\\runs', 'a', 'spec.json')).toBe('C:\\runs\\a\\spec.json');
    expect(joinPath('C:\\runs\\', 'a')).toBe('C:\\runs\\a');
    expect(joinPath('C:\\runs', '.')).toBe('C:\\runs');
    expect(joinPath('C:\\', '.')).toBe('C:\\');
    expect(joinPath('\\\\server\\share', 'x')).toBe('\\\\server\\share\\x');
  });
});

describe('dirnameOf and basenameOf', () => {
  it.each([
    ['runs/a/spec.json', 'runs/a', 'spec.json'],
    ['runs/a/', 'runs', 'a'],
    ['spec.json', '.', 'spec.json'],
    ['/spec.json', '/', 'spec.json'],
    ['/abs/run', '/abs', 'run'],
    ['C:\\runs\\a', 'C:\\runs', 'a'],
    ['C:\\a', 'C:\\', 'a'],
    ['\\a', '\\', 'a'],
  ])('%s', (path, dir, base) => {
    expect(dirnameOf(path)).toBe(dir);
    expect(basenameOf(path)).toBe(base);
  });
});

describe('isAbsolute and relativeTo', () => {
  it('recognises POSIX and Windows absolute paths', () => {
    expect(['/a', '\\a', 'C:\\a', 'c:/a'].map(isAbsolute)).toEqual([true, true, true, true]);
    expect(['a', './a', 'C:a'].map(isAbsolute)).toEqual([false, false, false]);
  });
  it('gives a path below a folder relative to it, anything else as is', () => {
    expect(relativeTo('/data', '/data/cats/1.png')).toBe('cats/1.png');
    expect(relativeTo('/data/', '/data/1.png')).toBe('1.png');
    expect(relativeTo('C:\\data', 'C:\\data\\1.png')).toBe('1.png');
    expect(relativeTo('/data', '/data')).toBe('');
    expect(relativeTo('/data', '/database/1.png')).toBe('/database/1.png');
    expect(relativeTo('/data//', joinPath('/data//', '1.png'))).toBe('1.png');
  });
});
