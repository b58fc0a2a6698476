import type { Command } from 'commander';
import { specSchema } from '../spec/schema.js';
import type { CommandContext } from './command.js';

export function registerSchema(program: Command, { io }: CommandContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of specs (draft-07; also shipped as @ganforge/core/schema.json)')
    .action(() => {
      io.stdout(`${JSON.stringify(specSchema, null, 2)}\n`);
    });
}
