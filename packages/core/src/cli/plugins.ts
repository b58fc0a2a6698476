import type { Command } from 'commander';
import { GanforgeError } from '../errors.js';
import { loadPlugins } from '../plugin/load.js';
import { KIND_NOUN } from '../plugin/registry.js';
import { ENTRY_KINDS, type EntryBase } from '../plugin/types.js';
import { validateCoreShape } from '../spec/ajv.js';
import { diagnosticsFromAjv } from '../spec/diagnostics.js';
import { loadSpecFile } from '../spec/load.js';
import { dirname } from 'node:path';
import type { CommandContext } from './command.js';

export function registerPlugins(program: Command, { io }: CommandContext): void {
  program
    .command('plugins')
    .description("list the plugins a spec uses: versions, where they were found, and every entry with its description and options")
    .argument('<spec>', 'path of the spec file')
    .action(async (specPath: string) => {
      const source = loadSpecFile(specPath, io.cwd);
      const plugins = (source.value as { plugins?: unknown }).plugins;
      if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
        // Let the full shape check explain what is wrong with the list.
        const diagnostics = diagnosticsFromAjv(validateCoreShape(structuredClone(source.value))).filter((d) => d.pointer?.startsWith('/plugins'));
        const first = diagnostics[0];
        throw new GanforgeError(first?.code ?? 'GF_SPEC_TYPE', first?.message ?? '"plugins" must be an array of package names.', {
          ...first,
          file: source.file,
          ...source.locate('/plugins'),
        });
      }
      const registry = await loadPlugins((plugins as string[] | undefined) ?? [], {
        specDir: dirname(source.file!),
        cwd: io.cwd,
        specFile: source.file,
      });
      const out: string[] = [];
      for (const { plugin, origin } of registry.plugins) {
        const { meta } = plugin;
        out.push(`${meta.name}@${meta.version}  namespace "${meta.namespace}"  core ${meta.core}`);
        out.push(`  from ${origin.file ?? origin.specifier}`);
        for (const kind of ENTRY_KINDS) {
          for (const [name, entry] of Object.entries((plugin[kind] ?? {}) as Record<string, EntryBase>)) {
            out.push(`  ${KIND_NOUN[kind].padEnd(12)} ${`${meta.namespace}/${name}`.padEnd(28)} ${entry.description}`);
            const options = describeOptions(entry.optionsSchema);
            if (options) out.push(`  ${' '.repeat(12)} ${' '.repeat(28)} options: ${options}`);
          }
        }
        out.push('');
      }
      io.stdout(`${out.join('\n')}\n`);
    });
}

/** "width=64, depth=2, conditional" — option names with their defaults. */
function describeOptions(schema: unknown): string {
  const properties = (schema as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties ?? {};
  return Object.entries(properties)
    .map(([name, property]) => (property.default === undefined ? name : `${name}=${JSON.stringify(property.default)}`))
    .join(', ');
}
