import type { ImageRef } from './types.js';

/**
 * Why {@link updateTree} or {@link updateText} threw (docs/errors.md has a row for each,
 * saying exactly when):
 * - `PATH_OUTSIDE_ROOT`: `options.path` resolves (lexically or through a symlink) outside the root.
 * - `ABORTED`: `options.signal` was aborted; files already written stay written.
 * - `IO`: the file system refused a read, a walk or a write; `cause` holds the underlying error.
 * - `INVALID_ARGUMENT`: an argument or option is not as documented.
 * - `INVALID_REF`: a policy's ref is not an {@link ImageRef}; `policy` and `field` say where.
 */
export type SettersErrorCode =
  | 'PATH_OUTSIDE_ROOT'
  | 'ABORTED'
  | 'IO'
  | 'INVALID_ARGUMENT'
  | 'INVALID_REF';

/** Where a {@link SettersError} came from; every field is optional and set only when known. */
export interface SettersErrorDetails {
  /** For `INVALID_REF`: the key of the policy whose ref is bad, e.g. `flux-system:app`. */
  policy?: string;
  /** For `INVALID_REF`: the bad part of the ref; absent when the ref itself is not an object. */
  field?: keyof ImageRef;
  /** The underlying error, e.g. Node's `ErrnoException` for `IO` or `signal.reason` for `ABORTED`. */
  cause?: unknown;
}

/** The one error class `@tagsmith/setters` throws, for misuse and I/O. Bad YAML is a `Problem`, never this. */
export class SettersError extends Error {
  override readonly name = 'SettersError';
  /** What went wrong; branch on this, never on `message`. */
  readonly code: SettersErrorCode;
  /** For `INVALID_REF`: the key of the policy whose ref is bad, e.g. `flux-system:app`. */
  declare readonly policy?: string;
  /** For `INVALID_REF`: the bad part of the ref; absent when the ref itself is not an object. */
  declare readonly field?: keyof ImageRef;

  constructor(code: SettersErrorCode, message: string, details: SettersErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.policy !== undefined) this.policy = details.policy;
    if (details.field !== undefined) this.field = details.field;
  }
}
