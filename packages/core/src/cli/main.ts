/**
 * The `ganforge` command line. Each command lives in its own file and registers itself here; errors from
 * any command are rendered once, below, so every failure looks the same and sets the same exit status.
 */
import { Command, CommanderError } from 'commander';
import { CORE_VERSION } from '../version.js';
import type { CommandContext } from './command.js';
import { renderError } from './format-error.js';
import { processIO, type CliIO } from './io.js';
import { registerInit } from './init.js';
import { registerPlugins } from './plugins.js';
import { registerEval } from './eval.js';
import { registerSample } from './sample.js';
import { registerSchema } from './schema.js';
import { registerScore } from './score.js';
import { registerTrain } from './train.js';
import { registerTranslate } from './translate.js';
import { registerUpscale } from './upscale.js';
import { registerValidate } from './validate.js';

const COMMANDS: ((program: Command, context: CommandContext) => void)[] = [registerValidate, registerTrain, registerSample, registerTranslate, registerUpscale, registerScore, registerEval, registerPlugins, registerSchema, registerInit];

/** Run the CLI; resolves to the process exit status (0 ok, 2 bad input, 1 internal error). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  const program = new Command('ganforge')
    .description('Train generative adversarial networks from declarative JSON specs.')
    .version(CORE_VERSION, '-v, --version', 'print the @ganforge/core version')
    .helpCommand(true)
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`error GF_USAGE: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(run with --help for usage)');
  const context: CommandContext = { io, setExitCode: (code) => (exitCode = code) };
  for (const register of COMMANDS) register(program, context);

  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const { text, exitCode: code } = renderError(error, io.cwd);
    io.stderr(text);
    return code;
  }
  return exitCode;
}
