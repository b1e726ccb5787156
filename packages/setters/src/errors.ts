/**
 * Why {@link updateTree} threw:
 * - `PATH_OUTSIDE_ROOT`: `options.path` resolves (lexically or through a symlink) outside the root.
 * - `ABORTED`: `options.signal` was aborted; files already written stay written (each write is atomic).
 * - `IO`: the file system refused a read, a walk or a write, or a file changed under the walk
 *   (swapped for a symlink); `cause` holds the underlying error. After a failed write, files
 *   written before it stay written (the message says how many) and the rest are unchanged.
 * - `INVALID_ARGUMENT`: an argument or option is not as documented (e.g. `root` is not a path,
 *   `include` is not an array of usable globs), as plain JavaScript callers can pass.
 */
export type SettersErrorCode = 'PATH_OUTSIDE_ROOT' | 'ABORTED' | 'IO' | 'INVALID_ARGUMENT';

/** The one error class `@tagsmith/setters` throws, for misuse and I/O. Bad YAML is a `Problem`, never this. */
export class SettersError extends Error {
  override readonly name = 'SettersError';
  /** What went wrong; branch on this, never on `message`. */
  readonly code: SettersErrorCode;

  constructor(code: SettersErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
