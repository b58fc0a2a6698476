/**
 * The one Ajv instance of the process (strict, all errors, defaults applied) and its validator caches:
 * the core schema compiles once; each plugin entry's options schema compiles once per entry object.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { GanforgeError } from '../errors.js';
import { specSchema } from './schema.js';

const ajv = new Ajv({
  strict: true,
  allErrors: true,
  useDefaults: true,
  verbose: true,
  // Editors read these annotation keywords; Ajv must not reject them in plugin schemas.
  keywords: ['markdownDescription', 'enumDescriptions', 'deprecationMessage', 'defaultSnippets'],
});

let specValidator: ValidateFunction | undefined;

export function validateCoreShape(value: unknown): ErrorObject[] {
  specValidator ??= ajv.compile(specSchema);
  return specValidator(value) ? [] : [...(specValidator.errors ?? [])];
}

const NO_OPTIONS = { type: 'object', additionalProperties: false } as const;
const entryValidators = new WeakMap<object, ValidateFunction>();

/** Validate (and default) an entry's options in place. Errors are Ajv's, relative to the options object. */
export function validateEntryOptions(
  entry: { optionsSchema?: unknown },
  options: unknown,
  owner: { plugin: string; id: string; pointer: string },
): ErrorObject[] {
  let validate = entryValidators.get(entry);
  if (!validate) {
    try {
      validate = ajv.compile((entry.optionsSchema ?? NO_OPTIONS) as object);
    } catch (error) {
      throw new GanforgeError('GF_PLUGIN_SCHEMA', `The options schema of ${owner.id} (plugin ${owner.plugin}) is invalid: ${(error as Error).message}`, {
        pointer: owner.pointer,
        plugin: owner.plugin,
        hint: `This is a bug in ${owner.plugin}; report it to its author. Schemas must pass Ajv strict mode (draft-07).`,
        cause: error,
      });
    }
    entryValidators.set(entry, validate);
  }
  return validate(options) ? [] : [...(validate.errors ?? [])];
}
