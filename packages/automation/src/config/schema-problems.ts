// Turns TypeBox's validation errors into ConfigProblems a user can act on: the
// field as a dotted path, the file position of that field, what was found and
// what was expected (a schema node's `description`, or its type).
import type { TSchema } from '@sinclair/typebox';
import { Value, type ValueError, ValueErrorType } from '@sinclair/typebox/value';
import type { ConfigProblem } from '../config-types.js';
import type { YamlDocument } from './yaml-file.js';

// Marks schemas whose values may be secrets written by mistake: their value never shows in a
// message. A symbol, because TypeBox copies a schema's own keys (Optional clones) and a
// symbol stays out of the published JSON Schema.
const NEVER_QUOTED = Symbol('tagsmith.neverQuoted');

/** Marks `schema` so a value failing it is never quoted in a problem (a literal secret). */
export function neverQuoted<T extends TSchema>(schema: T): T {
  (schema as unknown as Record<symbol, unknown>)[NEVER_QUOTED] = true;
  return schema;
}

/** How to report what {@link schemaProblems} finds. */
export interface SchemaCheck {
  /**
   * `error`: an unknown field is an error (tagsmith.yaml). `warning`: it is
   * ignored with a warning, as the API server prunes unknown fields of a Flux
   * object. Default: `error`.
   */
  unknownFields?: 'error' | 'warning';
  /** Said after an unknown field, e.g. `not in image.toolkit.fluxcd.io/v1beta1 ImagePolicy`. */
  unknownFieldNote?: string;
}

/** A problem and the JSON path (segments) of the field it is about. */
export interface PathProblem {
  readonly path: readonly string[];
  readonly problem: ConfigProblem;
}

/** What `value` gets wrong against `schema`, one problem per field, positioned in `doc`. */
export function schemaProblems(
  schema: TSchema,
  value: unknown,
  doc: YamlDocument,
  check: SchemaCheck = {},
): ConfigProblem[] {
  return schemaPathProblems(schema, value, doc, check).map((p) => p.problem);
}

/** {@link schemaProblems} with each problem's field path. */
export function schemaPathProblems(
  schema: TSchema,
  value: unknown,
  doc: YamlDocument,
  check: SchemaCheck = {},
): PathProblem[] {
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    // A missing field also fails its type check; one problem per field is enough.
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    const path = pointerSegments(error.path);
    // A record whose key fails its pattern reports the key as an additional property.
    const badKey =
      error.type === ValueErrorType.ObjectAdditionalProperties &&
      error.schema.patternProperties !== undefined;
    const unknown = error.type === ValueErrorType.ObjectAdditionalProperties && !badKey;
    const severity = unknown && check.unknownFields === 'warning' ? 'warning' : 'error';
    const problem: ConfigProblem = {
      severity,
      kind: 'schema',
      message: badKey
        ? `${dotted(path.slice(0, -1))} has the key ${JSON.stringify(path.at(-1))}; expected ${expected(error.schema)}`
        : unknown
          ? `unknown field ${dotted(path)}${check.unknownFieldNote === undefined ? '' : ` (${check.unknownFieldNote})`}${severity === 'warning' ? '; ignored' : ''}`
          : describeError(error, path),
      location: doc.locate(path, unknown || badKey ? 'key' : 'value'),
    };
    problems.push({ path, problem });
  }
  return problems;
}

/** JSON pointer (`/spec/policy/semver`) to segments, unescaping `~1` and `~0`. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `spec.policy.semver.range`, `spec.exclusionList[0]`; `(document)` for the root. */
export function dotted(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(document)' : out;
}

function describeError(error: ValueError, path: readonly string[]): string {
  const where = dotted(path);
  if (error.type === ValueErrorType.ObjectRequiredProperty) {
    return `${where} is required; expected ${expected(error.schema)}`;
  }
  const what =
    (error.schema as unknown as Record<symbol, unknown>)[NEVER_QUOTED] === true
      ? 'holds something that is not a reference (the value is not shown)'
      : `is ${found(error.value)}`;
  return `${where} ${what}; expected ${expected(error.schema)}`;
}

function expected(schema: TSchema): string {
  if (typeof schema.description === 'string') return schema.description;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf) && schema.anyOf.every((s: TSchema) => s.const !== undefined)) {
    return `one of ${schema.anyOf.map((s: TSchema) => JSON.stringify(s.const)).join(', ')}`;
  }
  if (typeof schema.pattern === 'string') return `a string matching ${schema.pattern}`;
  if (schema.type === 'object') return 'a mapping';
  if (schema.type === 'array') return 'a list';
  if (typeof schema.type === 'string') return `a ${schema.type}`;
  return 'a valid value';
}

function found(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
