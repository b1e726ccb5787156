// ImageRepository `exclusionList`: tags matching any pattern are never listed.
import { assertIterable, assertPatterns } from './arguments.js';
import { compilePattern } from './filter.js';

/** Flux's default exclusion list: cosign signature tags (`sha256-....sig`). */
export const DEFAULT_EXCLUSIONS: readonly string[] = Object.freeze(['^.*\\.sig$']);

/**
 * Drops every tag that matches any of `patterns` (RE2, unanchored), keeping the
 * order of the rest. `patterns` default: {@link DEFAULT_EXCLUSIONS}; a given
 * list replaces the default, as in Flux, and `[]` excludes nothing. Throws
 * `PolicyError` `INVALID_PATTERN` for a pattern RE2 rejects, and
 * `INVALID_ARGUMENT` when `tags` is not iterable or `patterns` not an array of strings.
 */
export function excludeTags(
  tags: Iterable<string>,
  patterns: readonly string[] = DEFAULT_EXCLUSIONS,
): string[] {
  assertIterable(tags, 'tags');
  assertPatterns(patterns);
  const compiled = patterns.map((pattern, i) => compilePattern(pattern, `exclusionList[${i}]`));
  const kept: string[] = [];
  for (const tag of tags) {
    let excluded = false;
    for (const re of compiled) {
      if (re.test(tag)) {
        excluded = true;
        break;
      }
    }
    if (!excluded) kept.push(tag);
  }
  return kept;
}
