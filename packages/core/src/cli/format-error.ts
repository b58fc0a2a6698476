/**
 * How an error looks to a person: `file:line:col: error CODE: message` (the form editors and terminals make
 * clickable), the offending line with a caret, then what to do. No stack trace for user errors.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { isGanforgeError } from '../errors.js';
import { pointerToPath } from '../spec/diagnostics.js';

export function formatDiagnostic(diagnostic: Diagnostic, cwd: string, sourceText?: string): string {
  const file = diagnostic.file ? relative(cwd, diagnostic.file) || diagnostic.file : undefined;
  const where = file ? `${file}${diagnostic.line ? `:${diagnostic.line}:${diagnostic.column ?? 1}` : ''}: ` : '';
  const lines = [`${where}error ${diagnostic.code}: ${diagnostic.message}`];
  if (diagnostic.pointer !== undefined) lines.push(`  at ${pointerToPath(diagnostic.pointer)}`);
  const frame = sourceText && diagnostic.line ? codeFrame(sourceText, diagnostic.line, diagnostic.column ?? 1) : undefined;
  if (frame) lines.push(frame);
  if (diagnostic.hint) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.join('\n');
}

function codeFrame(text: string, line: number, column: number): string | undefined {
  const source = text.split(/\r?\n/)[line - 1];
  if (source === undefined) return undefined;
  const gutter = `${line} | `;
  const shown = source.length > 120 ? `${source.slice(0, 117)}...` : source;
  return [`  ${gutter}${shown}`, `  ${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.min(column - 1, 119))}^`].join('\n');
}

/** Render any error for the terminal and pick the exit status: 2 for bad input, 1 for a bug. */
export function renderError(error: unknown, cwd: string): { text: string; exitCode: number } {
  if (isGanforgeError(error)) {
    const texts = new Map<string, string | undefined>();
    const read = (file: string | undefined) => {
      if (!file) return undefined;
      if (!texts.has(file)) {
        try {
          texts.set(file, readFileSync(file, 'utf8'));
        } catch {
          texts.set(file, undefined);
        }
      }
      return texts.get(file);
    };
    const blocks = error.diagnostics.map((d) => formatDiagnostic(d, cwd, read(d.file)));
    if (error.plugin) blocks.push(`  (in plugin ${error.plugin}${error.hook ? `, ${error.hook}` : ''})`);
    if (error.diagnostics.length > 1) blocks.push(`✖ ${error.diagnostics.length} problems`);
    return { text: `${blocks.join('\n\n')}\n`, exitCode: error.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const debug = process.env.GANFORGE_DEBUG ? `\n${(error as Error)?.stack ?? ''}` : '\n(set GANFORGE_DEBUG=1 for the stack trace)';
  return { text: `internal error: ${message}\nThis is a bug in ganforge or a plugin; please report it with the spec that caused it.${debug}\n`, exitCode: 1 };
}
