/**
 * Every way a policy can be rejected. Branch on these, never on message text.
 * docs/errors.md has a row for each code saying what throws it, when, and what to do.
 */
export type PolicyErrorCode =
  | 'INVALID_POLICY'
  | 'INVALID_RANGE'
  | 'INVALID_ORDER'
  | 'INVALID_PATTERN'
  | 'INVALID_FILTER'
  | 'INVALID_NUMBER'
  | 'INVALID_ARGUMENT';

/** Where a {@link PolicyError} came from, for callers that report it. */
export interface PolicyErrorDetails {
  /** The semver range that failed to parse (`INVALID_RANGE`). */
  range?: string;
  /**
   * 1-based column of `range` where parsing failed (`INVALID_RANGE`). A range is
   * one line: a tab or newline in it counts as one column, like any character.
   */
  column?: number;
  /** The regular expression RE2 rejected (`INVALID_PATTERN`). */
  pattern?: string;
  /** The original tag whose value is not a number (`INVALID_NUMBER`). */
  tag?: string;
  /** The underlying error, e.g. RE2's syntax exception. */
  cause?: unknown;
}

/** The one error class of `@tagsmith/policy`. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  /** What went wrong; see {@link PolicyErrorCode}. */
  readonly code: PolicyErrorCode;
  /** The semver range that failed to parse (`INVALID_RANGE` only). */
  declare readonly range?: string;
  /**
   * 1-based column of {@link PolicyError.range} where parsing failed (`INVALID_RANGE`
   * only), like every position tagsmith reports.
   */
  declare readonly column?: number;
  /** The regular expression RE2 rejected (`INVALID_PATTERN` only). */
  declare readonly pattern?: string;
  /** The original tag that is not a number (`INVALID_NUMBER` only). */
  declare readonly tag?: string;

  constructor(code: PolicyErrorCode, message: string, details: PolicyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.range !== undefined) this.range = details.range;
    if (details.column !== undefined) this.column = details.column;
    if (details.pattern !== undefined) this.pattern = details.pattern;
    if (details.tag !== undefined) this.tag = details.tag;
  }
}
