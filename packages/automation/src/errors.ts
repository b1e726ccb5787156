/**
 * Every way an automation operation can fail. Branch on this, never on the message.
 * docs/errors.md has a row for each code saying when it happens and what to do.
 *
 * - `INVALID_ARGUMENT`: an argument or option that is not what the types and docs say.
 * - `CONFIG_NOT_FOUND`: the config file or directory does not exist or cannot be read.
 * - `INVALID_CONFIG`: the configuration cannot be used as a whole (no automation, a
 *   reference to an object that does not exist); per-file problems are collected instead.
 * - `TEMPLATE_PARSE`: a commit message template does not parse (Go text/template syntax).
 * - `TEMPLATE_EXEC`: a template failed while rendering (a function error, a removed field).
 * - `CREDENTIAL_UNAVAILABLE`: a credential reference (`env:`, `file:`, a helper) gave nothing.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 */
export type AutomationErrorCode =
  | 'INVALID_ARGUMENT'
  | 'CONFIG_NOT_FOUND'
  | 'INVALID_CONFIG'
  | 'TEMPLATE_PARSE'
  | 'TEMPLATE_EXEC'
  | 'CREDENTIAL_UNAVAILABLE'
  | 'ABORTED';

/** Where and how an {@link AutomationError} happened; every field is optional and set only when known. */
export interface AutomationErrorDetails {
  /** The file concerned (a config file, a manifest). */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** The object concerned, as `namespace/name` (an automation, a policy, a repository). */
  object?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The one error class of `@tagsmith/automation`; branch on {@link AutomationError.code}. */
export class AutomationError extends Error {
  override readonly name = 'AutomationError';
  /** What went wrong; see {@link AutomationErrorCode}. */
  readonly code: AutomationErrorCode;
  /** The file concerned, if any. */
  declare readonly file?: string;
  /** 1-based line in `file`, if known. */
  declare readonly line?: number;
  /** 1-based column in `file`, if known. */
  declare readonly column?: number;
  /** The object concerned, as `namespace/name`, if any. */
  declare readonly object?: string;

  /**
   * @param code - Machine-readable reason.
   * @param message - What was wrong, where, and what was expected; free of credentials.
   * @param details - Context fields, set on the error only when given, and `cause`.
   */
  constructor(code: AutomationErrorCode, message: string, details: AutomationErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    if (details.object !== undefined) this.object = details.object;
  }
}
