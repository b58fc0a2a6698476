/**
 * Reading a spec: the raw text is kept so every later error can point at file:line:col. jsonc-parser gives a
 * syntax tree with offsets; the spec language itself is strict JSON (no comments, no trailing commas).
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { GanforgeError } from '../errors.js';
import type { Storage } from '../host/types.js';

/** A spec is a few KiB; anything past this is a mistake (a dataset or a model passed by accident). */
export const MAX_SPEC_BYTES = 1024 * 1024;

export interface Position {
  line: number;
  column: number;
}

/** A parsed spec with its source, able to locate any JSON pointer in the text. */
export interface SpecSource {
  /** Absolute path, when read from a file. */
  file?: string;
  text: string;
  value: Record<string, unknown>;
  /** Position of the value at `pointer`; for a key that does not exist, its nearest existing ancestor. */
  locate(pointer: string, target?: 'key' | 'value'): Position | undefined;
}

/**
 * Reads and parses a spec file through `storage` (path relative to `cwd`, default the storage's working folder). Checked before
 * parsing: the file exists, is not a folder, and is at most MAX_SPEC_BYTES.
 */
export async function readSpecFile(storage: Storage, path: string, cwd?: string): Promise<SpecSource> {
  const file = cwd === undefined ? storage.resolve(path) : storage.resolve(cwd, path);
  if (!(await storage.exists(file))) throw specNotFound(path, file);
  if (await storage.isDirectory(file)) throw specIsFolder(path, file);
  const bytes = await storage.read(file);
  if (bytes.byteLength > MAX_SPEC_BYTES) throw specTooLarge(path, file, bytes.byteLength);
  // ignoreBOM keeps a byte-order mark in the text: parseSpecText skips it and still counts columns from it.
  return parseSpecText(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), file);
}

export function specIsFolder(path: string, file: string): GanforgeError {
  return new GanforgeError('GF_SPEC_NOT_FOUND', `${path} is a folder, not a spec file.`, { file, hint: 'Pass the path of a .json spec file.' });
}

export function specNotFound(path: string, file: string, cause?: unknown): GanforgeError {
  return new GanforgeError('GF_SPEC_NOT_FOUND', `Cannot read spec file ${path}: it does not exist.`, {
    file,
    hint: 'Check the path, or create a starter spec with `ganforge init`.',
    cause,
  });
}

export function specTooLarge(path: string, file: string, size: number): GanforgeError {
  return new GanforgeError('GF_SPEC_TOO_LARGE', `${path} is ${formatBytes(size)}; a spec is at most ${formatBytes(MAX_SPEC_BYTES)}.`, {
    file,
    hint: 'A spec describes a run; data and weights belong in files that the spec points to (e.g. a dataset folder option).',
  });
}

export function parseSpecText(text: string, file?: string): SpecSource {
  if (text.length > MAX_SPEC_BYTES) {
    throw new GanforgeError('GF_SPEC_TOO_LARGE', `The spec is ${formatBytes(text.length)}; a spec is at most ${formatBytes(MAX_SPEC_BYTES)}.`, { file });
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    throw new GanforgeError('GF_SPEC_EMPTY', 'The spec file is empty.', {
      file,
      line: 1,
      column: 1,
      hint: 'Write a spec object, or run `ganforge init <file>` for a starter spec.',
    });
  }
  const lines = lineStarts(text);
  const at = (offset: number): Position => positionOf(lines, offset);

  const errors: ParseError[] = [];
  const root = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !root) {
    const offset = (first?.offset ?? 0) + (text.length - body.length);
    throw new GanforgeError('GF_SPEC_PARSE', `Invalid JSON: ${describeParseError(body, first)}.`, {
      file,
      ...at(offset),
      hint: 'Specs are strict JSON: double-quoted keys and strings, no comments, no trailing commas.',
    });
  }
  const value = getNodeValue(root) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new GanforgeError('GF_SPEC_NOT_OBJECT', `The spec must be a JSON object, but this file holds ${kind}.`, {
      file,
      ...at(root.offset),
      pointer: '',
      hint: 'A spec looks like { "name": ..., "data": ..., "models": ..., "objective": ..., "training": ... }.',
    });
  }
  const bomShift = text.length - body.length;
  return {
    file,
    text,
    value: value as Record<string, unknown>,
    locate(pointer, target = 'value') {
      const node = nearestNode(root, pointerSegments(pointer));
      if (!node) return undefined;
      const keyNode = target === 'key' && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      return at((keyNode ?? node).offset + bomShift);
    },
  };
}

/** "/a/b~1c/0" → ["a", "b/c", 0]. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment;
    });
}

/** The node at the path, or the deepest existing ancestor when part of the path is missing. */
function nearestNode(root: Node, segments: (string | number)[]): Node | undefined {
  for (let length = segments.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, segments.slice(0, length));
    if (node) return node;
  }
  return root;
}

function describeParseError(text: string, error: ParseError | undefined): string {
  if (!error) return 'no JSON value found';
  const next = text.slice(error.offset).trimStart()[0];
  const before = text.slice(0, error.offset).trimEnd();
  switch (printParseErrorCode(error.error)) {
    case 'PropertyNameExpected':
    case 'ValueExpected':
      if (before.endsWith(',') && (next === '}' || next === ']')) return 'trailing comma before the closing bracket';
      if (next === '/' ) return 'comments are not allowed';
      if (next === "'") return 'strings and keys need double quotes, not single quotes';
      if (next === undefined) return 'the file ends where a value was expected';
      return printParseErrorCode(error.error) === 'PropertyNameExpected'
        ? `expected a double-quoted key, found ${JSON.stringify(next)}`
        : `expected a value, found ${JSON.stringify(next)}`;
    case 'CommaExpected':
      return 'missing comma between items';
    case 'ColonExpected':
      return 'missing ":" after a key';
    case 'CloseBraceExpected':
      return next === undefined ? 'the file ends before the closing "}"' : 'missing "}" or a comma';
    case 'CloseBracketExpected':
      return next === undefined ? 'the file ends before the closing "]"' : 'missing "]" or a comma';
    case 'EndOfFileExpected':
      return 'unexpected content after the end of the spec object';
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'comments are not allowed';
    case 'InvalidSymbol':
      return next === "'" ? 'strings and keys need double quotes, not single quotes' : `unexpected character ${JSON.stringify(next)}`;
    case 'UnexpectedEndOfString':
      return 'a string is not closed';
    case 'InvalidEscapeCharacter':
    case 'InvalidUnicode':
      return 'invalid escape sequence in a string';
    case 'InvalidCharacter':
      return 'a control character (e.g. a raw line break) inside a string';
    default:
      return printParseErrorCode(error.error);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionOf(starts: number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
