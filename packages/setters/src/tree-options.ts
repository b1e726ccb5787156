// updateTree's options, checked once at the API boundary: plain JavaScript
// callers (and configs read from YAML or JSON) can pass anything, and a wrong
// value must fail loudly before the walk rather than select the wrong files
// (`include: '**/*.tmpl'` as a string, a glob of `#...` that minimatch reads as
// a comment) or crash deep inside it with a TypeError.
import { isAbsolute } from 'node:path';
import { Minimatch } from 'minimatch';
import { SettersError } from './errors.js';
import type { UpdateTreeOptions } from './types.js';
import { Selection } from './walk.js';

/** {@link UpdateTreeOptions} checked, with defaults applied and globs compiled. */
export interface TreeOptions {
  /** The directory to update, relative to the root; `'.'` when not given. */
  path: string;
  selection: Selection;
  dryRun: boolean;
  signal: AbortSignal | undefined;
}

function invalid(message: string, cause?: unknown): SettersError {
  return new SettersError('INVALID_ARGUMENT', message, { cause });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * Checks `options` and compiles its globs.
 *
 * @throws {SettersError} `INVALID_ARGUMENT` naming the option (and the index of
 * a bad glob) when a value has the wrong type or a glob cannot match.
 */
export function checkTreeOptions(options: unknown): TreeOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`options must be an object, got ${describe(options)}`);
  }
  const { path, include, exclude, dryRun, signal } = options as Record<
    keyof UpdateTreeOptions,
    unknown
  >;
  return {
    path: checkPath(path),
    selection: new Selection(compileGlobs('include', include), compileGlobs('exclude', exclude)),
    dryRun: checkDryRun(dryRun),
    signal: checkSignal(signal),
  };
}

function checkPath(path: unknown): string {
  if (path === undefined || path === '') return '.';
  if (typeof path !== 'string') {
    throw invalid(`options.path must be a string relative to the root, got ${describe(path)}`);
  }
  if (path.includes('\0')) throw invalid('options.path must not contain a NUL character');
  // Flux joins `update.path` under the repository root whatever it says; an
  // absolute path here is ambiguous (the host's, or the root's?), so neither.
  if (isAbsolute(path)) {
    throw invalid(`options.path must be relative to the root, got ${describe(path)}`);
  }
  return path;
}

function compileGlobs(option: 'include' | 'exclude', globs: unknown): Minimatch[] {
  if (globs === undefined) return [];
  if (!Array.isArray(globs)) {
    throw invalid(`options.${option} must be an array of glob strings, got ${describe(globs)}`);
  }
  return globs.map((glob: unknown, index) => {
    const where = `options.${option}[${index}]`;
    if (typeof glob !== 'string') throw invalid(`${where} must be a string, got ${describe(glob)}`);
    let matcher: Minimatch;
    try {
      matcher = new Minimatch(glob, { dot: true });
    } catch (error) {
      // minimatch refuses patterns over 64 KiB and brace expansions past its limit.
      throw invalid(`${where} ${describe(glob.slice(0, 80))} is not a valid glob`, error);
    }
    // minimatch reads "" and a pattern starting with `#` as matching nothing.
    if (matcher.empty || matcher.comment) {
      throw invalid(
        `${where} ${describe(glob)} matches no path (minimatch reads ${
          matcher.comment
            ? 'a leading "#" as a comment; write "\\#" for the character'
            : 'an empty glob as nothing'
        })`,
      );
    }
    return matcher;
  });
}

function checkDryRun(dryRun: unknown): boolean {
  if (dryRun === undefined) return false;
  if (typeof dryRun !== 'boolean') {
    throw invalid(`options.dryRun must be a boolean, got ${describe(dryRun)}`);
  }
  return dryRun;
}

function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  // Node's own APIs accept any object with an `aborted` property as a signal.
  if (typeof signal !== 'object' || signal === null || !('aborted' in signal)) {
    throw invalid(`options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  return signal as AbortSignal;
}
