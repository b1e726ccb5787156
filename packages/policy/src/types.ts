import type { PolicyError } from './errors.js';

/** Sort direction of an alphabetical or numerical policy; case-insensitive like Flux. */
export type PolicyOrder = 'asc' | 'desc' | 'ASC' | 'DESC';

/**
 * Which tag wins: exactly one of `semver`, `alphabetical` or `numerical`, as
 * under `spec.policy` of a Flux ImagePolicy.
 */
export type PolicyChoice =
  | {
      /** The highest version inside `range` (Masterminds/semver v3 syntax) wins. */
      semver: { range: string };
    }
  | {
      /** Byte-wise string order. `order` default: `'asc'` (the greatest string wins). */
      alphabetical: { order?: PolicyOrder };
    }
  | {
      /** Values parsed as Go float64. `order` default: `'asc'` (the largest number wins). */
      numerical: { order?: PolicyOrder };
    };

/** `spec.filterTags` of a Flux ImagePolicy. */
export interface TagFilter {
  /**
   * RE2 regular expression (Go syntax, `(?P<name>...)` groups), unanchored; tags
   * that do not match are dropped. Default: none (every tag is a candidate).
   */
  pattern?: string;
  /**
   * Template expanded over the first match like Go's `Regexp.ExpandString`
   * (`$1`, `$name`, `${name}`, `$$`); the policy compares the expansion but
   * returns the original tag. Requires `pattern`. Default: none (compare the tag).
   */
  extract?: string;
}

/** The subset of a Flux ImagePolicy `.spec` that selects a tag. */
export interface ImagePolicySpec {
  /** How to pick the winner. */
  policy: PolicyChoice;
  /** Which tags take part, and what of them is compared. Default: all tags, compared whole. */
  filterTags?: TagFilter;
}

/** The `kind` of a {@link TagExplanation}: why a tag did or did not win. */
export type TagExplanationKind =
  | 'selected'
  | 'beaten'
  | 'filtered'
  | 'unparseable'
  | 'out-of-range'
  | 'prerelease'
  | 'blocked';

/** What happened to one input tag in {@link Policy.explain}. */
export type TagExplanation =
  | {
      tag: string;
      /** The winner. Duplicates of the winning tag are each `selected`. */
      kind: 'selected';
      /** The compared value: the `extract` expansion, or the tag itself. */
      value: string;
      /**
       * Semver only, and only when the value has fewer than three numeric parts:
       * the version Flux reads it as, missing parts filled in as 0 (Masterminds'
       * coercing NewVersion), printed like Masterminds' `String()`:
       * `1.2.0-rc.1` for `1.2-rc.1`, `2.0.0+1.sha.abc` for `2+1.sha.abc`.
       */
      coerced?: string;
      reason: string;
    }
  | {
      tag: string;
      /** A valid candidate that lost to `by`. */
      kind: 'beaten';
      value: string;
      /** The winning original tag. */
      by: string;
      /**
       * Semver only, and only when the value has fewer than three numeric parts:
       * the version Flux reads it as, missing parts filled in as 0 (Masterminds'
       * coercing NewVersion), printed like Masterminds' `String()`:
       * `1.2.0-rc.1` for `1.2-rc.1`, `2.0.0+1.sha.abc` for `2+1.sha.abc`.
       */
      coerced?: string;
      reason: string;
    }
  | {
      tag: string;
      /** Dropped because `filterTags.pattern` does not match it. */
      kind: 'filtered';
      reason: string;
    }
  | {
      tag: string;
      /** Not a semver tag (semver policy), or not a number (numerical policy). */
      kind: 'unparseable';
      value: string;
      reason: string;
    }
  | {
      tag: string;
      /** A version outside the semver range. */
      kind: 'out-of-range';
      value: string;
      /**
       * Semver only, and only when the value has fewer than three numeric parts:
       * the version Flux reads it as, missing parts filled in as 0 (Masterminds'
       * coercing NewVersion), printed like Masterminds' `String()`:
       * `1.2.0-rc.1` for `1.2-rc.1`, `2.0.0+1.sha.abc` for `2+1.sha.abc`.
       */
      coerced?: string;
      reason: string;
    }
  | {
      tag: string;
      /**
       * A prerelease that satisfies the comparators of an AND group, but no
       * comparator of that group has a prerelease part (Masterminds' rule), so
       * it is not a candidate. One outside the range anyway is `out-of-range`.
       */
      kind: 'prerelease';
      value: string;
      /**
       * Semver only, and only when the value has fewer than three numeric parts:
       * the version Flux reads it as, missing parts filled in as 0 (Masterminds'
       * coercing NewVersion), printed like Masterminds' `String()`:
       * `1.2.0-rc.1` for `1.2-rc.1`, `2.0.0+1.sha.abc` for `2+1.sha.abc`.
       */
      coerced?: string;
      reason: string;
    }
  | {
      tag: string;
      /** A valid number, but another candidate is not, which fails the selection. */
      kind: 'blocked';
      value: string;
      reason: string;
    };

/** The result of {@link Policy.explain}. */
export interface Explanation {
  /** What {@link Policy.select} returns for the same tags (undefined if it would throw). */
  selected: string | undefined;
  /** The error {@link Policy.select} would throw (`INVALID_NUMBER`), if any. */
  error?: PolicyError;
  /** One entry per input tag, in input order. */
  tags: TagExplanation[];
  /** One sentence for humans: the winner, or why there is none. */
  summary: string;
}

/** A validated, compiled ImagePolicy. Pure and synchronous; reuse it freely. */
export interface Policy {
  /** The spec this policy was compiled from. */
  readonly spec: ImagePolicySpec;
  /**
   * The winning ORIGINAL tag (never the extracted value), or undefined when no
   * candidate is left. Independent of input order. Throws `PolicyError`
   * `INVALID_NUMBER` when a numerical candidate is not a number, and
   * `INVALID_ARGUMENT` when `tags` is not iterable.
   */
  select(tags: Iterable<string>): string | undefined;
  /**
   * Why each tag was kept, dropped or beaten, and the winner. Throws only
   * `PolicyError` `INVALID_ARGUMENT`, when `tags` is not iterable.
   */
  explain(tags: Iterable<string>): Explanation;
}
