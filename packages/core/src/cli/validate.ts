import { relative } from 'node:path';
import type { Command } from 'commander';
import { validateSpecFile } from '../spec/validate.js';
import type { CommandContext } from './command.js';

export function registerValidate(program: Command, { io }: CommandContext): void {
  program
    .command('validate')
    .description('check a spec: its JSON, its shape, its plugins and every entry\'s options (exit 0 valid, 2 invalid)')
    .argument('<spec>', 'path of the spec file')
    .option('--print', 'print the resolved spec (defaults applied) as JSON')
    .action(async (specPath: string, options: { print?: boolean }) => {
      const { spec, file, registry } = await validateSpecFile(specPath, { cwd: io.cwd });
      if (options.print) {
        io.stdout(`${JSON.stringify(spec, null, 2)}\n`);
        return;
      }
      const plugins = registry.plugins.filter((p) => p.plugin.meta.namespace !== 'core').map((p) => `${p.plugin.meta.name}@${p.plugin.meta.version}`);
      io.stdout(
        [
          `✔ ${relative(io.cwd, file ?? specPath) || specPath} is valid`,
          `  name       ${spec.name}`,
          `  objective  ${spec.objective.use}`,
          `  models     ${Object.entries(spec.models).map(([name, m]) => `${name} (${m.use})`).join(', ')}`,
          `  data       ${Object.entries(spec.data).map(([name, d]) => `${name} (${d.use})`).join(', ')}`,
          `  plugins    ${plugins.length > 0 ? plugins.join(', ') : '(none)'}`,
          '',
        ].join('\n'),
      );
    });
}
