import type { CliIO } from './io.js';

/** What every command gets: where to write, and a way to set the exit status without exiting. */
export interface CommandContext {
  io: CliIO;
  setExitCode(code: number): void;
}
