import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { candidatePackageNames } from '../../packages/core/src/plugin/names.js';
import { installCommand, resolvePlugin } from '../../packages/core/src/node/resolve-plugin.js';

const project = fileURLToPath(new URL('../fixtures/packages/toy-project/', import.meta.url));

describe('plugin names', () => {
  it.each([
    ['dcgan', ['@ganforge/plugin-dcgan', 'ganforge-plugin-dcgan', 'dcgan']],
    ['foo', ['@ganforge/plugin-foo', 'ganforge-plugin-foo', 'foo']],
    ['ganforge-plugin-foo', ['ganforge-plugin-foo']],
    ['@acme/foo', ['@acme/ganforge-plugin-foo', '@acme/foo']],
    ['@acme/ganforge-plugin-foo', ['@acme/ganforge-plugin-foo']],
    ['@acme', ['@acme/ganforge-plugin']],
    ['@ganforge/plugin-dcgan', ['@ganforge/plugin-dcgan']],
    ['@ganforge/dcgan', ['@ganforge/plugin-dcgan', '@ganforge/dcgan']],
  ])('%s → %j', (specifier, names) => {
    expect(candidatePackageNames(specifier)).toEqual(names);
  });

  it('resolves from the spec folder first, then the working directory', () => {
    const fromProject = resolvePlugin('toy', { specDir: `${project}specs/nested/deeper`, cwd: '/' });
    expect(fromProject.packageName).toBe('ganforge-plugin-toy');
    const fromCwd = resolvePlugin('toy', { specDir: '/', cwd: project });
    expect(fromCwd.file).toBe(fromProject.file);
  });

  it('resolves relative files and folders from the spec folder', () => {
    const file = resolvePlugin('./plugins/toy-clone.js', { specDir: `${project}specs/bad`, cwd: '/' });
    expect(file.file).toMatch(/specs\/bad\/plugins\/toy-clone\.js$/);
    const folder = resolvePlugin('./plugins/own-tfjs', { specDir: `${project}specs/bad`, cwd: '/' });
    expect(folder.file).toMatch(/own-tfjs\/index\.js$/);
  });

  it('suggests the install command of the project\'s package manager', () => {
    expect(installCommand(project, 'x')).toBe('pnpm add -D x');
    expect(installCommand('/', 'x')).toBe('npm install -D x');
  });
});
