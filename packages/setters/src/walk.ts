import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import type { Minimatch } from 'minimatch';
import { SettersError } from './errors.js';
import {
  baseNameOf,
  childOf,
  displayPath,
  fromBytes,
  isInside,
  parentOf,
  pathKey,
  type RealPath,
  samePath,
} from './real-path.js';
import type { Problem } from './types.js';
import { TEMP_SUFFIX } from './write.js';

/** A file the walker selected: where it is reported, and where its bytes really are. */
export interface Candidate {
  /**
   * Relative to the root, `/`-separated. A name that is not valid UTF-8 is
   * decoded lossily (U+FFFD), so this is for people, not for opening.
   */
  path: string;
  /** Absolute real path (symlinks resolved), always inside the root; exact bytes when not UTF-8. */
  real: RealPath;
}

/** Which files a walk takes: Flux's names plus the caller's globs, compiled once. */
export class Selection {
  readonly #include: readonly Minimatch[];
  readonly #exclude: readonly Minimatch[];

  constructor(include: readonly Minimatch[], exclude: readonly Minimatch[]) {
    this.#include = include;
    this.#exclude = exclude;
  }

  /**
   * Whether the file at `path` (relative, `/`-separated) with base name `name` is
   * taken. A temp file left by an interrupted write never is, whatever `include` says.
   */
  takesFile(path: string, name: string): boolean {
    if (name.endsWith(TEMP_SUFFIX)) return false;
    if (this.#exclude.length > 0 && this.#exclude.some((m) => m.match(path))) return false;
    return (
      name.endsWith('.yaml') ||
      name.endsWith('.yml') ||
      name === 'Kustomization' ||
      (this.#include.length > 0 && this.#include.some((m) => m.match(path)))
    );
  }

  /** Whether to descend into the directory at `path`; an exclude glob naming it prunes it. */
  entersDirectory(path: string): boolean {
    return this.#exclude.length === 0 || !this.#exclude.some((m) => m.match(path));
  }
}

/** A directory entry: a `Dirent` as listed, or one whose name had to be read as bytes. */
interface Entry {
  /** The name as reported: lossy when it is not valid UTF-8. */
  readonly name: string;
  /** The exact name, present only when `name` is lossy. */
  readonly bytes?: Buffer | undefined;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** An entry listed as bytes: reported by its lossy name, opened by its bytes. */
class ByteNamedEntry implements Entry {
  readonly name: string;
  readonly bytes: Buffer | undefined;
  readonly #dirent: Dirent<Buffer>;

  constructor(dirent: Dirent<Buffer>) {
    this.#dirent = dirent;
    ({ name: this.name, bytes: this.bytes } = nameEntry(fromBytes(dirent.name)));
  }

  isFile(): boolean {
    return this.#dirent.isFile();
  }

  isDirectory(): boolean {
    return this.#dirent.isDirectory();
  }

  isSymbolicLink(): boolean {
    return this.#dirent.isSymbolicLink();
  }
}

interface Directory {
  real: RealPath;
  path: string;
}

function joinRel(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

function ioError(what: string, path: string, cause: unknown): SettersError {
  const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
  return new SettersError('IO', `${what} "${path}" failed: ${code}`, { cause });
}

const VANISHED = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

/** The name and, when that is lossy, the bytes of a path's last component. */
function nameEntry(name: string | Buffer): Pick<Entry, 'name' | 'bytes'> {
  return typeof name === 'string' ? { name } : { name: name.toString('utf8'), bytes: name };
}

function byName(a: Pick<Entry, 'name' | 'bytes'>, b: Pick<Entry, 'name' | 'bytes'>): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  // Two names that differ only in bytes that are not UTF-8 decode alike.
  return Buffer.compare(a.bytes ?? Buffer.from(a.name), b.bytes ?? Buffer.from(b.name));
}

/**
 * The entries of one directory in name order, or `undefined` when it vanished.
 * Synchronous for the reason FileReader gives; the caller yields between slices.
 */
function listDirectory(directory: Directory): readonly Entry[] | undefined {
  try {
    const entries: Entry[] = readdirSync(directory.real, { withFileTypes: true });
    // Node decodes a name that is not UTF-8 with U+FFFD, and that string names
    // no file. Only then is the listing read again as bytes: listing every
    // directory as bytes costs a Buffer per name.
    const listed = entries.some((entry) => entry.name.includes('\ufffd'))
      ? readdirSync(directory.real, { withFileTypes: true, encoding: 'buffer' }).map(
          (dirent) => new ByteNamedEntry(dirent),
        )
      : entries;
    return listed.sort(byName);
  } catch (error) {
    if (VANISHED.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw ioError('reading directory', directory.path || '.', error);
  }
}

/**
 * Walks `start` (a real directory inside `root`) depth first in name order and
 * yields, per directory, the files it selected (possibly none), so the caller
 * can check its clock and signal even in directories without candidates.
 * `.git` is skipped; a symlink is followed only when its real path stays
 * inside the root, otherwise it is reported (when it could matter: a
 * directory, or a file the selection takes); dangling or looping symlinks are
 * skipped silently. Each real file and directory is visited once, under the
 * first path the walk meets it by.
 *
 * Regular files cost no system call and no bookkeeping here: the entry type
 * comes from the listing (`d_type`), the real path of a file in a real
 * directory is that directory's real path plus its name, and as each real
 * directory is listed once, so is each file in it. Only symlinks are resolved,
 * and only files reached through one are remembered, so the walk's memory
 * grows with directories and symlinks, not files.
 */
export function walkCandidates(
  root: RealPath,
  start: RealPath,
  selection: Selection,
  problems: Problem[],
): Generator<Candidate[], void, undefined> {
  return new TreeWalk(root, selection, problems).directories(start);
}

class TreeWalk {
  readonly #root: RealPath;
  readonly #selection: Selection;
  readonly #problems: Problem[];
  /** Real directories listed or queued: each is listed once. */
  readonly #seenDirectories = new Set<string>();
  /** The path each listed real directory was reported under. */
  readonly #listed = new Map<string, string>();
  /** Real files already reached through a symlink. */
  readonly #linkedFiles = new Set<string>();

  constructor(root: RealPath, selection: Selection, problems: Problem[]) {
    this.#root = root;
    this.#selection = selection;
    this.#problems = problems;
  }

  *directories(start: RealPath): Generator<Candidate[], void, undefined> {
    this.#seenDirectories.add(pathKey(start));
    const stack: Directory[] = [{ real: start, path: displayPath(this.#root, start) }];
    while (stack.length > 0) {
      const directory = stack.pop()!;
      const entries = listDirectory(directory);
      if (entries === undefined) continue;
      this.#listed.set(pathKey(directory.real), directory.path);
      const files: Candidate[] = [];
      const subdirectories: Directory[] = [];
      for (const entry of entries) {
        const name = entry.name;
        if (name === '.git') continue;
        const path = joinRel(directory.path, name);
        if (entry.isFile()) {
          if (!this.#selection.takesFile(path, name)) continue;
          const real = childOf(directory.real, entry.bytes ?? name);
          if (this.#linkedFiles.size > 0 && this.#linkedFiles.has(pathKey(real))) continue;
          files.push({ path, real });
        } else if (entry.isDirectory()) {
          const real = childOf(directory.real, entry.bytes ?? name);
          if (this.#entersDirectory(real, path)) subdirectories.push({ real, path });
        } else if (entry.isSymbolicLink()) {
          const target = this.#followLink(directory, entry, path);
          if (target === undefined) continue;
          if (target.isDirectory) subdirectories.push({ real: target.real, path });
          else files.push({ path, real: target.real });
        }
      }
      // Reversed so the stack pops them in name order.
      for (let i = subdirectories.length - 1; i >= 0; i--) stack.push(subdirectories[i]!);
      yield files;
    }
  }

  /** Whether to list the real directory `real`, met at `path`; marks it seen if so. */
  #entersDirectory(real: RealPath, path: string): boolean {
    const key = pathKey(real);
    if (this.#seenDirectories.has(key) || !this.#selection.entersDirectory(path)) return false;
    this.#seenDirectories.add(key);
    return true;
  }

  /**
   * Where the symlink `entry` of `directory` leads when the walk should go
   * there: a directory to list, or a selected file not visited yet.
   */
  #followLink(
    directory: Directory,
    entry: Entry,
    path: string,
  ): { real: RealPath; isDirectory: boolean } | undefined {
    const resolved = resolveLink(childOf(directory.real, entry.bytes ?? entry.name), path);
    if (resolved === undefined) return undefined;
    const { real, isDirectory, isFile } = resolved;
    if (!isInside(this.#root, real)) {
      if (isDirectory || (isFile && this.#selection.takesFile(path, entry.name))) {
        this.#problems.push({
          path,
          line: 0,
          column: 0,
          kind: 'symlink-outside-root',
          message: `${path}: symlink resolves outside the root and was not followed`,
        });
      }
      return undefined;
    }
    if (isDirectory) return this.#entersDirectory(real, path) ? { real, isDirectory } : undefined;
    if (!isFile || !this.#selection.takesFile(path, entry.name)) return undefined;
    const key = pathKey(real);
    const visited = this.#linkedFiles.has(key) || this.#visitedDirectly(real, directory, entry);
    if (visited) return undefined;
    this.#linkedFiles.add(key);
    return { real, isDirectory };
  }

  /**
   * Whether the regular file `real` was already visited by its own name: its
   * directory was listed (up to `current`, when that is the one being listed)
   * and the selection took it there.
   */
  #visitedDirectly(real: RealPath, directory: Directory, current: Entry): boolean {
    const parent = parentOf(real);
    const parentPath = this.#listed.get(pathKey(parent));
    if (parentPath === undefined) return false;
    const own = nameEntry(baseNameOf(real));
    if (samePath(parent, directory.real) && byName(own, current) > 0) return false;
    return this.#selection.takesFile(joinRel(parentPath, own.name), own.name);
  }
}

/**
 * Where a symlink leads, and what is there. Synchronous like the rest of the
 * walk; one `realpath` and one `stat`, for symlinks only.
 */
function resolveLink(
  link: RealPath,
  path: string,
): { real: RealPath; isDirectory: boolean; isFile: boolean } | undefined {
  try {
    // As bytes, so a target whose name is not UTF-8 is reached too.
    const real = fromBytes(realpathSync.native(link, { encoding: 'buffer' }));
    const stats = statSync(real);
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
