/**
 * Turning Ajv errors into diagnostics a person can act on: one stable code per kind of mistake, the key
 * path in spec terms, what was expected, and a did-you-mean where a name was misspelled.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic, ErrorCode } from '../errors.js';
import { closestMatch, didYouMean, quoteList } from './did-you-mean.js';

/** "/training/batchSize" → "training.batchSize"; array items as [i]. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '(spec root)';
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`), '');
}

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${text.length > 40 ? `${text.slice(0, 37)}...` : text} (${typeof value === 'number' && Number.isInteger(value) ? 'an integer' : `a ${typeof value}`})`;
}

const TYPE_NOUN: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** Ajv errors on one object → diagnostics, with pointers made absolute by `prefix`. */
export function diagnosticsFromAjv(errors: ErrorObject[], prefix = ''): Diagnostic[] {
  const out: RawDiagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const diagnostic = toDiagnostic(error, prefix);
    if (!diagnostic) continue;
    const key = `${diagnostic.code} ${diagnostic.pointer} ${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  // A misspelled required key is one mistake, not two: keep the "Did you mean" and drop the "missing".
  const misspelled = new Set(out.flatMap((d) => (d.code === 'GF_SPEC_UNKNOWN_KEY' && d.suggestion ? [`${parentOf(d.pointer)}|${d.suggestion}`] : [])));
  return out
    .filter((d) => !(d.code === 'GF_SPEC_MISSING_KEY' && misspelled.has(`${d.pointer}|${d.missing}`)))
    .map(({ suggestion: _s, missing: _m, ...diagnostic }) => diagnostic);
}

function parentOf(pointer = ''): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/** A diagnostic plus what the de-duplication above needs to know. */
type RawDiagnostic = Diagnostic & { suggestion?: string; missing?: string };

function toDiagnostic(error: ErrorObject, prefix: string): RawDiagnostic | undefined {
  const at = prefix + error.instancePath;
  const path = pointerToPath(at);
  const params = error.params as Record<string, unknown>;
  const schema = error.schema as unknown;
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const make = (code: ErrorCode, message: string, pointer = at, hint?: string): RawDiagnostic => ({ code, message, pointer, hint });

  if (error.propertyName !== undefined || error.keyword === 'propertyNames') {
    if (error.keyword === 'propertyNames') return undefined; // reported by the inner keyword, with the name
    const name = String(error.propertyName);
    return make('GF_SPEC_FORMAT', `"${name}" is not a valid name in ${path}: use letters, digits, "_" and "-", starting with a letter.`, `${at}/${escapePointerSegment(name)}`);
  }

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((parentSchema.properties as object | undefined) ?? {});
      const where = at === '' ? 'the spec' : path;
      const suggestion = closestMatch(key, known);
      return {
        ...make(
          'GF_SPEC_UNKNOWN_KEY',
          `Unknown key "${key}" in ${where}.${suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`}`,
          `${at}/${escapePointerSegment(key)}`,
          known.length > 0 ? `Allowed keys: ${quoteList(known)}.` : `${where} takes no keys.`,
        ),
        suggestion,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const property = ((parentSchema.properties as Record<string, { description?: string }> | undefined) ?? {})[key];
      const where = at === '' ? 'the spec' : path;
      return { ...make('GF_SPEC_MISSING_KEY', `Missing required key "${key}" in ${where}.`, at, property?.description), missing: key };
    }
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((t) => TYPE_NOUN[t] ?? t)
        .join(' or ');
      return make('GF_SPEC_TYPE', `${path} must be ${expected}, not ${describeValue(error.data)}.`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const comparison = String(params.comparison);
      const limit = Number(params.limit);
      const tooSmall = comparison.startsWith('>');
      return make(
        'GF_SPEC_RANGE',
        `${path} must be ${comparison} ${limit}, but is ${String(error.data)}.`,
        at,
        tooSmall ? undefined : `${limit} is the largest value that makes sense here; check for an extra digit.`,
      );
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const limit = Number(params.limit);
      const noun = error.keyword.endsWith('Length') ? 'character' : error.keyword.endsWith('Items') ? 'item' : 'entry';
      const bound = error.keyword.startsWith('min') ? 'at least' : 'at most';
      return make('GF_SPEC_RANGE', `${path} must have ${bound} ${limit} ${noun}${limit === 1 ? '' : 's'}.`);
    }
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[]) ?? []).map(String);
      return make('GF_SPEC_ENUM', `${path} must be one of ${quoteList(allowed)}, not ${describeValue(error.data)}.${didYouMean(String(error.data), allowed)}`);
    }
    case 'const':
      return make('GF_SPEC_ENUM', `${path} must be ${JSON.stringify(params.allowedValue)}.`);
    case 'pattern': {
      const isEntryId = (parentSchema.description as string | undefined)?.includes('<namespace>/<entry>');
      return make(
        'GF_SPEC_FORMAT',
        isEntryId
          ? `${path} must be an entry id like "dcgan/generator" (<namespace>/<entry>), not ${describeValue(error.data)}.`
          : `${path} has the wrong form: ${describeValue(error.data)} does not match ${String(schema)}.`,
      );
    }
    case 'uniqueItems':
      return make('GF_SPEC_INVALID', `${path} lists the same item twice (items ${String(params.j)} and ${String(params.i)}).`);
    case 'multipleOf':
      return make('GF_SPEC_RANGE', `${path} must be a multiple of ${String(params.multipleOf)}.`);
    case 'format':
      return make('GF_SPEC_FORMAT', `${path} must be a valid ${String(params.format)}.`);
    case 'if':
    case 'anyOf':
    case 'oneOf':
      // The branches' own errors say more; keep this one only if it is alone.
      return make('GF_SPEC_INVALID', `${path} ${error.message ?? 'is invalid'}.`);
    default:
      return make('GF_SPEC_INVALID', `${path} ${error.message ?? 'is invalid'}.`);
  }
}
