import type { Command } from 'commander';
import { GanforgeError } from '../errors.js';
import { KIND_NOUN } from '../plugin/registry.js';
import { ENTRY_KINDS, type EntryBase } from '../plugin/types.js';
import { validateCoreShape } from '../spec/ajv.js';
import { diagnosticsFromAjv } from '../spec/diagnostics.js';
import { nodeHost } from '../node/index.js';
import { readSpecFile } from '../spec/parse.js';
import { locateErrors } from '../spec/validate.js';
import { dirname } from 'node:path';
import type { CommandContext } from './command.js';

export function registerPlugins(program: Command, { io }: CommandContext): void {
  program
    .command('plugins')
    .description("list the plugins a spec uses: versions, where they were found, and every entry with its description and options")
    .argument('<spec>', 'path of the spec file')
    .action(async (specPath: string) => {
      const host = nodeHost({ cwd: io.cwd });
      const registry = await locateErrors(
        () => readSpecFile(host.storage, specPath, io.cwd),
        async (source) => {
          // Only the plugins list needs to be right to list plugins; report its problems like validate does.
          const problems = diagnosticsFromAjv(validateCoreShape(structuredClone(source.value))).filter((d) => d.pointer?.startsWith('/plugins'));
          if (problems[0]) throw new GanforgeError(problems[0].code, problems[0].message, { ...problems[0], diagnostics: problems });
          const plugins = ((source.value as { plugins?: string[] }).plugins ?? []);
          return host.plugins.load(plugins, { specDir: dirname(source.file!), cwd: io.cwd, specFile: source.file });
        },
      );
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
