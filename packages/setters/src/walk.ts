import { type Dirent, readdirSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';
import { SettersError } from './errors.js';
import type { Problem } from './types.js';
import { TEMP_SUFFIX } from './write.js';

/** A file the walker selected: where it is reported, and where its bytes really are. */
export interface Candidate {
  /** Relative to the root, `/`-separated. */
  path: string;
  /** Absolute real path (symlinks resolved), always inside the root. */
  real: string;
}

/** Which files a walk takes: Flux's names plus the caller's globs. */
export class Selection {
  readonly #include: Minimatch[];
  readonly #exclude: Minimatch[];

  constructor(include: readonly string[], exclude: readonly string[]) {
    this.#include = include.map((glob) => new Minimatch(glob, { dot: true }));
    this.#exclude = exclude.map((glob) => new Minimatch(glob, { dot: true }));
  }

  /**
   * Whether the file at `path` (relative, `/`-separated) with base name `name` is
   * taken. A temp file left by an interrupted write never is, whatever `include` says.
   */
  takesFile(path: string, name: string): boolean {
    if (name.endsWith(TEMP_SUFFIX) || this.#exclude.some((m) => m.match(path))) return false;
    return (
      name.endsWith('.yaml') ||
      name.endsWith('.yml') ||
      name === 'Kustomization' ||
      this.#include.some((m) => m.match(path))
    );
  }

  /** Whether to descend into the directory at `path`; an exclude glob naming it prunes it. */
  entersDirectory(path: string): boolean {
    return !this.#exclude.some((m) => m.match(path));
  }
}

/** True when `real` is `root` or below it. Both must be absolute real paths. */
export function isInside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsoluteRel(rel));
}

function isAbsoluteRel(rel: string): boolean {
  // On Windows, relative() across drives returns an absolute path.
  return /^[a-zA-Z]:/.test(rel) || rel.startsWith(sep);
}

function joinRel(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

function ioError(what: string, path: string, cause: unknown): SettersError {
  const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
  return new SettersError('IO', `${what} "${path}" failed: ${code}`, { cause });
}

const VANISHED = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

/**
 * Walks `start` (a real directory inside `root`) depth first in name order,
 * yielding the selected files. `.git` is skipped; a symlink is followed only
 * when its real path stays inside the root, otherwise it is reported (when it
 * could matter: a directory, or a file the selection takes); dangling or looping
 * symlinks are skipped silently. Each real file and directory is visited once.
 */
export async function* walkCandidates(
  root: string,
  start: string,
  selection: Selection,
  problems: Problem[],
  signal: AbortSignal | undefined,
): AsyncGenerator<Candidate> {
  const seenDirectories = new Set<string>([start]);
  const seenFiles = new Set<string>();
  const stack: { real: string; path: string }[] = [
    { real: start, path: relative(root, start).split(sep).join('/') },
  ];
  while (stack.length > 0) {
    throwIfAborted(signal);
    const directory = stack.pop()!;
    let entries: Dirent[];
    try {
      // Synchronous for the reason FileReader gives; the caller yields between slices.
      entries = readdirSync(directory.real, { withFileTypes: true });
    } catch (error) {
      if (VANISHED.has((error as NodeJS.ErrnoException).code ?? '')) continue;
      throw ioError('reading directory', directory.path || '.', error);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirectories: { real: string; path: string }[] = [];
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const path = joinRel(directory.path, entry.name);
      // `directory.real` is already absolute and normalized; join() would normalize it again per entry.
      let real = `${directory.real}${directory.real.endsWith(sep) ? '' : sep}${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const resolved = await resolveLink(real, path);
        if (resolved === undefined) continue;
        ({ real, isDirectory, isFile } = resolved);
        if (!isInside(root, real)) {
          if (isDirectory || (isFile && selection.takesFile(path, entry.name))) {
            problems.push({
              path,
              line: 0,
              column: 0,
              kind: 'symlink-outside-root',
              message: `${path}: symlink resolves outside the root and was not followed`,
            });
          }
          continue;
        }
      }
      if (isDirectory) {
        if (seenDirectories.has(real) || !selection.entersDirectory(path)) continue;
        seenDirectories.add(real);
        subdirectories.push({ real, path });
      } else if (isFile && selection.takesFile(path, entry.name) && !seenFiles.has(real)) {
        seenFiles.add(real);
        yield { path, real };
      }
    }
    // Reversed so the stack pops them in name order.
    for (let i = subdirectories.length - 1; i >= 0; i--) stack.push(subdirectories[i]!);
  }
}

async function resolveLink(
  link: string,
  path: string,
): Promise<{ real: string; isDirectory: boolean; isFile: boolean } | undefined> {
  try {
    const real = await realpath(link);
    const stats = await stat(real);
    return { real, isDirectory: stats.isDirectory(), isFile: stats.isFile() };
  } catch (error) {
    if (VANISHED.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw ioError('resolving symlink', path, error);
  }
}

/** Throws `ABORTED` with the signal's reason as the cause. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new SettersError('ABORTED', 'updateTree was aborted', { cause: signal.reason });
  }
}
