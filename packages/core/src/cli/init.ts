import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { GanforgeError } from '../errors.js';
import { CORE_VERSION } from '../version.js';
import type { CommandContext } from './command.js';

/** Where editors find the schema: the installed package when there is one, else the published copy. */
export function schemaReference(specFile: string): string {
  for (let dir = dirname(specFile); ; dir = dirname(dir)) {
    const installed = resolve(dir, 'node_modules/@ganforge/core/schema/spec.schema.json');
    if (existsSync(installed)) {
      const path = relative(dirname(specFile), installed).replaceAll('\\', '/');
      return path.startsWith('.') ? path : `./${path}`;
    }
    if (dirname(dir) === dir) return `https://unpkg.com/@ganforge/core@${CORE_VERSION}/schema/spec.schema.json`;
  }
}

/** A DCGAN on MNIST: the smallest spec that trains something a person recognizes. */
export function starterSpec(schema: string, name: string): object {
  return {
    $schema: schema,
    name,
    description: 'DCGAN on MNIST digits. Change data.real to your own images with "core/image-folder".',
    plugins: ['dcgan', 'mnist'],
    data: { real: { use: 'mnist/digits', options: {} } },
    models: {
      generator: { use: 'dcgan/generator', options: {} },
      discriminator: { use: 'dcgan/discriminator', options: {} },
    },
    objective: { use: 'dcgan/dcgan', options: {} },
    training: {
      batchSize: 64,
      steps: 2000,
      seed: 0,
      optimizers: { generator: { lr: 0.0002, beta1: 0.5 }, discriminator: { lr: 0.0002, beta1: 0.5 } },
    },
    output: { sampleEvery: 200, checkpointEvery: 500 },
  };
}

export function registerInit(program: Command, { io }: CommandContext): void {
  program
    .command('init')
    .description('write a starter spec (DCGAN on MNIST) with "$schema" set, so editors complete its keys')
    .argument('[file]', 'where to write it', 'ganforge.spec.json')
    .option('--force', 'overwrite an existing file')
    .action((file: string, options: { force?: boolean }) => {
      const target = resolve(io.cwd, file);
      if (existsSync(target) && !options.force) {
        throw new GanforgeError('GF_USAGE', `${file} already exists; not overwriting it.`, { file: target, hint: 'Pick another name, or pass --force.' });
      }
      const name = (file.split(/[\\/]/).pop() ?? 'my-gan').replace(/(\.spec)?\.json$/i, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'my-gan';
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${JSON.stringify(starterSpec(schemaReference(target), name), null, 2)}\n`);
      io.stdout(
        [
          `✔ wrote ${relative(io.cwd, target) || file}`,
          '  next: install the plugins it names, then',
          `    ganforge validate ${file}`,
          `    ganforge train ${file}`,
          '',
        ].join('\n'),
      );
    });
}
