import { relative } from 'node:path';
import type { Command } from 'commander';
import { isGanforgeError } from '../errors.js';
import { validateSpecFile } from '../spec/validate.js';
import type { CommandContext } from './command.js';

export function registerValidate(program: Command, { io, setExitCode }: CommandContext): void {
  program
    .command('validate')
    .description('check a spec: its JSON, its shape, its plugins and every entry\'s options (exit 0 valid, 2 invalid)')
    .argument('<spec>', 'path of the spec file')
    .option('--print', 'print the resolved spec (defaults applied) as JSON')
    .option('--json', 'print { valid, diagnostics: [{ code, message, pointer, line, column, hint }] } (for editors and CI); exit 2 when invalid')
    .action(async (specPath: string, options: { print?: boolean; json?: boolean }) => {
      if (options.json) {
        try {
          await validateSpecFile(specPath, { cwd: io.cwd });
          io.stdout(`${JSON.stringify({ valid: true, diagnostics: [] }, null, 2)}\n`);
        } catch (error) {
          if (!isGanforgeError(error)) throw error;
          const diagnostics = error.diagnostics.map(({ code, message, pointer, file, line, column, hint }) => ({ code, message, pointer, file, line, column, hint }));
          io.stdout(`${JSON.stringify({ valid: false, diagnostics }, null, 2)}\n`);
          setExitCode(error.exitCode);
        }
        return;
      }
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
