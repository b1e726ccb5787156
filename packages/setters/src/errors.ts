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

/** The one error class `@tagsmith/setters` throws, for misuse and I/O. Bad YAML is a `Problem`, never this. */
export class SettersError extends Error {
  override readonly name = 'SettersError';
  /** What went wrong; branch on this, never on `message`. */
  readonly code: SettersErrorCode;
  /** For `INVALID_REF`: the key of the policy whose ref is bad, e.g. `flux-system:app`. */
  readonly policy?: string;
  /** For `INVALID_REF`: the bad part of the ref; absent when the ref itself is not an object. */
  readonly field?: keyof ImageRef;

  constructor(
    code: SettersErrorCode,
    message: string,
    options?: { cause?: unknown; policy?: string; field?: keyof ImageRef },
  ) {
    super(message, options);
    this.code = code;
    if (options?.policy !== undefined) this.policy = options.policy;
    if (options?.field !== undefined) this.field = options.field;
  }
}
