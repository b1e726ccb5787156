/**
 * The image a policy currently selects: Flux's `ImagePolicy.status.latestRef`.
 * Checked before anything is written; a bad one throws `SettersError` `INVALID_REF`.
 *
 * @example `{ name: 'ghcr.io/acme/app', tag: 'v1.4.2', digest: 'sha256:…' }`
 */
export interface ImageRef {
  /**
   * Image name without tag or digest: an optional registry `host[:port]/`, then
   * lowercase path components (`[a-z0-9]+` joined by `.`, `_`, `__` or dashes)
   * separated by `/`; at most 255 characters. E.g. `ghcr.io/acme/app`, `nginx`.
   */
  name: string;
  /** The selected tag, matching `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`, e.g. `v1.4.2`. */
  tag: string;
  /**
   * The tag's manifest digest: `sha256:` + 64, `sha512:` + 128 or `blake3:` + 64
   * lowercase hex digits. Default: absent (`''` means absent too, as in Flux's
   * status), and `:digest` markers are set to `""`.
   */
  digest?: string;
}

/**
 * The policies markers may name, keyed `namespace:name` exactly as a marker writes
 * them (`# {"$imagepolicy": "flux-system:app"}` looks up `flux-system:app`).
 */
export type Policies = Readonly<Record<string, ImageRef>> | ReadonlyMap<string, ImageRef>;

/**
 * Which part of an {@link ImageRef} a setter writes: `ref` for the bare
 * `namespace:name` form (writes `name:tag`, plus `@digest` when the ref has one),
 * otherwise the suffix after the policy name.
 */
export type SetterField = 'ref' | 'tag' | 'name' | 'digest';

/** The document a change happened in, as Flux's commit templates group changes. */
export interface ChangedObject {
  /** The document's top-level `apiVersion`, when it is a string. */
  apiVersion?: string;
  /** The document's top-level `kind`, when it is a string. */
  kind?: string;
  /** The document's `metadata.namespace`, when it is a string. */
  namespace?: string;
  /** The document's `metadata.name`, when it is a string. */
  name?: string;
}

/** One marked value that was (or, in a dry run, would be) rewritten. */
export interface Change {
  /** The marker's setter text, e.g. `flux-system:app:tag`. */
  setter: string;
  /** The value before, as a string (the scalar's text for plain non-strings such as `1.2`). */
  oldValue: string;
  /** The value written. */
  newValue: string;
  /** 1-based line of the value's first character. */
  line: number;
  /** 1-based column (UTF-16 code units, a byte-order mark not counted) of the value's first character. */
  column: number;
  /** The enclosing document's identity. Absent when the document has none of the four fields. */
  object?: ChangedObject;
}

/**
 * What kind of thing went wrong in one file (docs/errors.md has a row for each):
 * - `parse-error`: the file is not valid YAML (or not valid UTF-8); it is left untouched.
 * - `unknown-policy`: a marker names a policy that is not in `policies`; its value is left alone.
 * - `not-a-scalar`: a marker sits on a line whose value is a map, a list, an alias or a block
 *   scalar, or alone above a list item that is an alias or a block scalar.
 * - `verify-failed`: the patched text did not re-parse to the old data with only the marked
 *   values changed; the file is left untouched.
 * - `symlink-outside-root`: a symlink under the root points outside it and was not followed.
 */
export type ProblemKind =
  | 'parse-error'
  | 'unknown-policy'
  | 'not-a-scalar'
  | 'verify-failed'
  | 'symlink-outside-root';

/** Something that stopped a value or a file from being updated. Returned, never thrown. */
export interface Problem {
  /** The file, relative to the tree root with `/` separators (for `updateText`, `options.path`). */
  path: string;
  /** 1-based line, or 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based column, or 0 when the problem concerns the whole file. */
  column: number;
  /** What went wrong; branch on this, not on `message`. */
  kind: ProblemKind;
  /** A sentence for humans saying what, where and what was expected. */
  message: string;
  /** The marker's setter text, for `unknown-policy`, `not-a-scalar` and `verify-failed` problems on a marker. */
  setter?: string;
}

/** The result of {@link updateText}. */
export interface TextUpdate {
  /** The new text; identical (`===`) to the input when nothing changed or verification failed. */
  text: string;
  /** Changed values, in the order they appear in the text. */
  changes: Change[];
  /** Problems, in the order they appear in the text. */
  problems: Problem[];
}

/** Options for {@link updateText}. */
export interface UpdateTextOptions {
  /** The file name to put in problems. Default: `''`. */
  path?: string;
}

/** One file whose values changed (or would change, in a dry run). */
export interface FileChange {
  /**
   * The file, relative to the tree root with `/` separators. A name that is not
   * valid UTF-8 is shown decoded with U+FFFD (the file itself is written by its bytes).
   */
  path: string;
  /** Changed values, in file order. */
  changes: Change[];
  /** The file's text before; present only in a dry run, so callers can print a diff. */
  oldText?: string;
  /** The file's text after; present only in a dry run. */
  newText?: string;
}

/** The result of {@link updateTree}. */
export interface TreeUpdate {
  /** Changed files, sorted by path. */
  files: FileChange[];
  /** Problems from every file, sorted by path, then line. */
  problems: Problem[];
}

/** Options for {@link updateTree}. */
export interface UpdateTreeOptions {
  /**
   * The directory to update, relative to the root (Flux's `update.path`; `''` is
   * the root). It must stay inside the root, even after resolving symlinks; an
   * absolute path is refused (`INVALID_ARGUMENT`). Default: `'.'`.
   */
  path?: string;
  /**
   * Extra files to consider beyond `*.yaml`, `*.yml` and `Kustomization`: minimatch globs
   * matched against paths relative to the root, `/`-separated, dotfiles included. A glob
   * that matches nothing (`""`, or one starting with `#`, a minimatch comment) is refused.
   * Default: `[]`.
   */
  include?: string[];
  /** Files to leave out, as minimatch globs relative to the root. Wins over `include`. Default: `[]`. */
  exclude?: string[];
  /** Compute everything, write nothing, and return `oldText`/`newText` on each file. Default: `false`. */
  dryRun?: boolean;
  /**
   * Checked before every file; once aborted the call rejects with `SettersError`
   * `ABORTED` (`cause`: the signal's reason) and files already written stay written. Default: none.
   */
  signal?: AbortSignal;
}

/** A setter marker found by {@link findMarkers}. */
export interface Marker {
  /** The setter text, e.g. `flux-system:app:tag`. */
  setter: string;
  /** The policy key the setter names, e.g. `flux-system:app`. */
  policy: string;
  /** Which part of the image the setter writes. */
  field: SetterField;
  /**
   * Where the marker sits, in go-yaml's terms: `line` after the value on its line
   * (`image: app:v1 # {…}`), `head` alone on the line directly above it
   * (`# {…}` over `- app:v1`).
   */
  placement: 'line' | 'head';
  /** 1-based line of the marker comment's `#`. */
  line: number;
  /** 1-based column of the marker comment's `#`. */
  column: number;
  /**
   * The marked scalar's current value; absent when the marker sits on something that
   * cannot be set (a map, a list, an alias, a block scalar).
   */
  value?: string;
}
