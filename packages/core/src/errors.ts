/**
 * The error catalogue. Every failure a user can cause has a stable code listed here, so messages can be
 * reworded without breaking people who match on codes (like Node's ERR_* codes).
 * The CLI prints a GanforgeError without a stack trace. Most codes mean "the user's input is wrong" (exit 2);
 * the few in NOT_THE_USERS mean a plugin or ganforge itself failed on valid input (exit 1).
 */

export const ERROR_CODES = {
  // spec file
  GF_SPEC_NOT_FOUND: 'The spec file does not exist or cannot be read.',
  GF_SPEC_EMPTY: 'The spec file is empty.',
  GF_SPEC_TOO_LARGE: 'The spec file is larger than a spec can sensibly be.',
  GF_SPEC_PARSE: 'The spec file is not valid JSON.',
  GF_SPEC_NOT_OBJECT: 'The spec is JSON, but not an object.',
  GF_SPEC_UNKNOWN_KEY: 'A key the schema does not know (often a misspelling).',
  GF_SPEC_MISSING_KEY: 'A required key is missing.',
  GF_SPEC_TYPE: 'A value has the wrong type.',
  GF_SPEC_RANGE: 'A number is outside its allowed range.',
  GF_SPEC_ENUM: 'A value is not one of the allowed choices.',
  GF_SPEC_FORMAT: 'A string does not have the required form.',
  GF_SPEC_INVALID: 'A value does not satisfy the schema.',
  GF_SPEC_CONFLICT: 'Two settings contradict each other.',
  GF_SPEC_REFERENCE: 'A name refers to something the spec does not define.',
  // plugins and entries
  GF_PLUGIN_NOT_FOUND: 'A plugin package named in the spec is not installed.',
  GF_PLUGIN_LOAD: 'A plugin package was found but failed to load.',
  GF_PLUGIN_SHAPE: 'A plugin module does not export a ganforge plugin.',
  GF_PLUGIN_VERSION: "The running core's version is outside the plugin's supported range.",
  GF_PLUGIN_API_VERSION: 'The plugin was written for another plugin API version.',
  GF_PLUGIN_DUPLICATE_NAMESPACE: 'Two plugins claim the same namespace.',
  GF_PLUGIN_OWN_TFJS: 'A plugin brings its own copy of @tensorflow/tfjs-core.',
  GF_PLUGIN_SCHEMA: "A plugin entry's options schema is not a valid strict JSON schema.",
  GF_PLUGIN_HOOK: 'A plugin entry threw while the engine called it.',
  GF_ENTRY_UNKNOWN: 'An entry id "<namespace>/<entry>" does not name a known entry.',
  GF_ENTRY_KIND: 'An entry exists but is of another kind than the place it is used in.',
  // engine
  GF_BACKEND_UNAVAILABLE: 'The requested tfjs backend cannot be loaded here.',
  GF_BACKEND_MISSING_KERNEL: 'The backend lacks a kernel that training needs.',
  GF_DATA: 'A dataset cannot be read or is malformed.',
  GF_TRAIN_NONFINITE: 'A loss became NaN or Inf.',
  GF_CHECKPOINT: 'A checkpoint is missing, truncated or corrupted.',
  GF_RUN_DIR: 'A run folder is missing or not a ganforge run.',
  GF_USAGE: 'The command line is wrong.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes that are not the user's doing, so the CLI exits 1 (a bug to report) instead of 2 (fix your input):
 * a plugin entry threw a plain error (the plugin driver tags it), training diverged on input the spec
 * validated, or the backend lacks a kernel the engine needs.
 */
export const NOT_THE_USERS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['GF_PLUGIN_HOOK', 'GF_TRAIN_NONFINITE', 'GF_BACKEND_MISSING_KERNEL']);

/** Process exit status for an error code: 2 for bad input, 1 for a plugin's or ganforge's failure. */
export function exitCodeOf(code: ErrorCode): 1 | 2 {
  return NOT_THE_USERS.has(code) ? 1 : 2;
}

/** One located problem. A spec validation collects many of these before failing. */
export interface Diagnostic {
  code: ErrorCode;
  message: string;
  /** JSON pointer into the spec, e.g. "/training/batchSize". */
  pointer?: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** What to do about it. */
  hint?: string;
}

export interface GanforgeErrorDetails extends Partial<Omit<Diagnostic, 'code' | 'message'>> {
  diagnostics?: Diagnostic[];
  /** Plugin and hook that threw, Rollup-style, when the error comes from plugin code. */
  plugin?: string;
  hook?: string;
  cause?: unknown;
  [extra: string]: unknown;
}

export class GanforgeError extends Error {
  override readonly name = 'GanforgeError';
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly pointer?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly plugin?: string;
  readonly hook?: string;
  /** Every problem found; a single-problem error has one entry describing itself. */
  readonly diagnostics: Diagnostic[];
  /** Process exit status the CLI uses for this error: 2 for bad input, 1 for a plugin's or ganforge's failure. */
  readonly exitCode: 1 | 2;

  constructor(code: ErrorCode, message: string, details: GanforgeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.exitCode = exitCodeOf(code);
    this.hint = details.hint;
    this.pointer = details.pointer;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.plugin = details.plugin;
    this.hook = details.hook;
    this.diagnostics = details.diagnostics ?? [
      { code, message, pointer: details.pointer, file: details.file, line: details.line, column: details.column, hint: details.hint },
    ];
  }
}

export function isGanforgeError(error: unknown): error is GanforgeError {
  return error instanceof GanforgeError || (error instanceof Error && error.name === 'GanforgeError' && 'code' in error);
}
