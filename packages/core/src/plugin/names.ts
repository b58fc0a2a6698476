/**
 * The package names a plugin specifier may mean, most conventional first (ESLint's naming.js convention):
 *   "dcgan"       → @ganforge/plugin-dcgan, then ganforge-plugin-dcgan
 *   "@acme/foo"   → @acme/ganforge-plugin-foo, then @acme/foo
 *   "@acme"       → @acme/ganforge-plugin
 * Pure string work, shared by Node's package resolution and loaders that are handed plugin objects.
 */
const CORE_SCOPE = '@ganforge';

export function candidatePackageNames(specifier: string): string[] {
  if (specifier.startsWith('@')) {
    const [scope, name] = specifier.split('/', 2) as [string, string | undefined];
    if (!name) return [`${scope}/ganforge-plugin`];
    if (scope === CORE_SCOPE) return name.startsWith('plugin-') ? [specifier] : [`${scope}/plugin-${name}`, specifier];
    return name.startsWith('ganforge-plugin') ? [specifier] : [`${scope}/ganforge-plugin-${name}`, specifier];
  }
  if (specifier.startsWith('ganforge-plugin-')) return [specifier];
  return [`${CORE_SCOPE}/plugin-${specifier}`, `ganforge-plugin-${specifier}`, specifier];
}
