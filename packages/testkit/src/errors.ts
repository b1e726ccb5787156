/**
 * What went wrong when a testkit helper was misused or its git failed (docs/errors.md has a row for each):
 *
 * - `INVALID_NAME`: a repository name outside the OCI name grammar.
 * - `INVALID_TAG`: a tag outside `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
 * - `INVALID_ARGUMENT`: an argument or option that is not what the types and docs say
 *   (a value the registry cannot honour).
 * - `CLOSED`: the registry was used after `close()`.
 * - `GIT_FAILED`: a git command of the git fixture or git server could not start or
 *   exited with an error; the message quotes git's stderr, `cause` holds it too.
 */
export type TestkitErrorCode =
  | 'INVALID_NAME'
  | 'INVALID_TAG'
  | 'INVALID_ARGUMENT'
  | 'CLOSED'
  | 'GIT_FAILED';

/** Context for a {@link TestkitError}; every field is optional and set only when known. */
export interface TestkitErrorDetails {
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The one error class of `@tagsmith/testkit`; branch on {@link TestkitError.code}. */
export class TestkitError extends Error {
  override readonly name = 'TestkitError';
  /** Machine-readable reason; see {@link TestkitErrorCode}. */
  readonly code: TestkitErrorCode;

  /**
   * @param code - Machine-readable reason.
   * @param message - What was wrong, where, and what was expected.
   * @param details - `cause`, passed through to `Error`.
   */
  constructor(code: TestkitErrorCode, message: string, details: TestkitErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
  }
}
