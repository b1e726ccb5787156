/**
 * What went wrong when a testkit helper was misused (docs/errors.md has a row for each):
 *
 * - `INVALID_NAME`: a repository name outside the OCI name grammar.
 * - `INVALID_TAG`: a tag outside `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
 * - `INVALID_OPTIONS`: an option with a value the registry cannot honour.
 * - `CLOSED`: the registry was used after `close()`.
 */
export type TestkitErrorCode = 'INVALID_NAME' | 'INVALID_TAG' | 'INVALID_OPTIONS' | 'CLOSED';

/** The one error class of `@tagsmith/testkit`; branch on {@link TestkitError.code}. */
export class TestkitError extends Error {
  /** Machine-readable reason; see {@link TestkitErrorCode}. */
  readonly code: TestkitErrorCode;

  /**
   * @param code - Machine-readable reason.
   * @param message - What was wrong, where, and what was expected.
   * @param options - `cause`, passed through to `Error`.
   */
  constructor(code: TestkitErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TestkitError';
    this.code = code;
  }
}
