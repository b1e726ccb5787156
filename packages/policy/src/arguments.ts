// Checks for the plain function arguments (tags, exclusion patterns). A bad spec is
// the policy's own domain (INVALID_POLICY and friends); a wrong JS value passed by
// the caller is misuse, INVALID_ARGUMENT, the one misuse code of every package.
import { PolicyError } from './errors.js';

/** Throws `INVALID_ARGUMENT` naming `name` unless `value` can be iterated with `for...of`. */
export function assertIterable(value: unknown, name: string): asserts value is Iterable<unknown> {
  if (
    typeof (value as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator] !==
    'function'
  ) {
    throw new PolicyError(
      'INVALID_ARGUMENT',
      `${name} must be an iterable of strings, got ${describe(value)}`,
    );
  }
}

/** Throws `INVALID_ARGUMENT` naming the index unless `patterns` is an array of strings. */
export function assertPatterns(patterns: unknown): asserts patterns is readonly string[] {
  if (!Array.isArray(patterns)) {
    throw new PolicyError(
      'INVALID_ARGUMENT',
      `patterns must be an array of RE2 patterns, got ${describe(patterns)}`,
    );
  }
  patterns.forEach((pattern: unknown, i) => {
    if (typeof pattern !== 'string') {
      throw new PolicyError(
        'INVALID_ARGUMENT',
        `patterns[${i}] must be a string, got ${describe(pattern)}`,
      );
    }
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
