// What updateTree does, with its surroundings (clock, yielding, writes) passed
// in: the walk, the checks on root and path, reading, patching and writing.
import { realpath, stat } from 'node:fs/promises';
import { normalize, sep } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { SettersError } from './errors.js';
import { checkPolicies } from './policies.js';
import { FileReader } from './read.js';
import { childOf, fromBytes, isInside, type RealPath } from './real-path.js';
import { checkTreeOptions } from './tree-options.js';
import type { FileChange, Policies, Problem, TreeUpdate, UpdateTreeOptions } from './types.js';
import { updateText } from './update-text.js';
import { bytePosition, firstInvalidUtf8 } from './utf8.js';
import { type Candidate, throwIfAborted, walkCandidates } from './walk.js';
import { replaceFile } from './write.js';

// The cheap test DESIGN allows: a file without these bytes has no marker, so it
// is never decoded or parsed. Searching the raw Buffer avoids a UTF-8 decode.
const NEEDLE = Buffer.from('"$imagepolicy"');

// Longest stretch of synchronous reading before yielding to the event loop.
const SLICE_MS = 10;

/**
 * What `updateTree` takes from its surroundings besides the file system it
 * walks. Internal: tests replace it to drive slicing and write failures
 * deterministically, without timing.
 */
export interface TreeRuntime {
  /** A monotonic clock in milliseconds. */
  now(): number;
  /** Hands the event loop back; resolves on a later turn. */
  yieldToLoop(): Promise<void>;
  /** Atomically replaces a file (an absolute real path, bytes when not UTF-8) with new text. */
  replaceFile(target: RealPath, text: string): Promise<void>;
}

/** The real surroundings. Internal; exported for tests. */
export const RUNTIME: TreeRuntime = {
  now: () => performance.now(),
  yieldToLoop: () => setImmediate(),
  replaceFile,
};

/** `updateTree` with its surroundings passed in. Internal; `updateTree` and tests call it. */
export async function updateTreeWith(
  runtime: TreeRuntime,
  root: string,
  policies: Policies,
  options: UpdateTreeOptions,
): Promise<TreeUpdate> {
  const { path, selection, dryRun, signal } = checkTreeOptions(options);
  if (typeof root !== 'string' || root === '') {
    throw new SettersError(
      'INVALID_ARGUMENT',
      `root must be a non-empty path, got ${String(root)}`,
    );
  }
  // Every ref is checked once, before any file is read; files get the checked snapshot.
  const checked = checkPolicies(policies);
  throwIfAborted(signal);
  const realRoot = await realDirectory(root, root);
  const start = await startDirectory(realRoot, root, path);

  const files: FileChange[] = [];
  const problems: Problem[] = [];
  const reader = new FileReader();
  let sliceStart = runtime.now();
  // The walk and the reads are synchronous (see FileReader): hand the event
  // loop back once the slice is used up. Checked without an `await` when it
  // is not, since even an already-settled await costs a microtask per file.
  const sliceOver = () => runtime.now() - sliceStart >= SLICE_MS;
  const nextSlice = async () => {
    await runtime.yieldToLoop();
    sliceStart = runtime.now();
  };
  for (const directoryFiles of walkCandidates(realRoot, start, selection, problems)) {
    // After a file the clock was just checked; a directory without one still
    // took time to list, and a tree can hold thousands of them.
    if (directoryFiles.length === 0 && sliceOver()) {
      await nextSlice();
      throwIfAborted(signal);
    }
    for (const candidate of directoryFiles) {
      // The signal can only have fired during an await (a write, a yield);
      // checking per file costs one property read.
      throwIfAborted(signal);
      const update = updateFile(candidate, reader, checked, problems);
      if (update !== undefined) {
        if (dryRun) files.push(update);
        else {
          await write(runtime, candidate, update, files.length);
          files.push({ path: update.path, changes: update.changes });
        }
      }
      if (sliceOver()) await nextSlice();
    }
  }
  files.sort((a, b) => compare(a.path, b.path));
  problems.sort((a, b) => compare(a.path, b.path) || a.line - b.line || a.column - b.column);
  return { files, problems };
}

/** Reads and patches one file; returns its change with both texts, or nothing to write. */
function updateFile(
  file: Candidate,
  reader: FileReader,
  policies: Policies,
  problems: Problem[],
): Required<FileChange> | undefined {
  let bytes: Buffer;
  try {
    bytes = reader.read(file.real);
  } catch (error) {
    // Deleted between the walk and the read: nothing left to update.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SettersError('IO', `reading "${file.path}" failed: ${errorText(error)}`, {
      cause: error,
    });
  }
  if (bytes.indexOf(NEEDLE) === -1) return undefined;
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== -1) {
    const { line, column } = bytePosition(bytes, invalid);
    problems.push({
      path: file.path,
      line,
      column,
      kind: 'parse-error',
      message: `${file.path}:${line}:${column}: not valid UTF-8 at byte ${invalid}, left untouched`,
    });
    return undefined;
  }
  const text = bytes.toString('utf8');
  const result = updateText(text, policies, { path: file.path });
  problems.push(...result.problems);
  if (result.changes.length === 0) return undefined;
  return { path: file.path, changes: result.changes, oldText: text, newText: result.text };
}

async function write(
  runtime: TreeRuntime,
  file: Candidate,
  update: Required<FileChange>,
  written: number,
): Promise<void> {
  try {
    await runtime.replaceFile(file.real, update.newText);
  } catch (error) {
    // Earlier files are complete (each write is atomic) and stay written; a
    // second run after the cause is fixed finishes the job.
    const earlier = written === 1 ? '1 file' : `${written} files`;
    throw new SettersError(
      'IO',
      `writing "${file.path}" failed (${earlier} written before it stay written; this one is unchanged): ${errorText(error)}`,
      { cause: error },
    );
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code ? code : error.message;
}

async function realDirectory(path: RealPath, shown: string): Promise<RealPath> {
  try {
    // As bytes: a root below a directory whose name is not UTF-8 is still reachable.
    const real = fromBytes(await realpath(path, { encoding: 'buffer' }));
    if (!(await stat(real)).isDirectory()) {
      throw new SettersError('IO', `"${shown}" is not a directory`);
    }
    return real;
  } catch (error) {
    if (error instanceof SettersError) throw error;
    throw new SettersError('IO', `opening directory "${shown}" failed`, { cause: error });
  }
}

/** `root/path` (`path` relative), checked twice: as written, and after resolving symlinks. */
async function startDirectory(realRoot: RealPath, root: string, path: string): Promise<RealPath> {
  const outside = () =>
    new SettersError('PATH_OUTSIDE_ROOT', `path "${path}" is outside the root "${root}"`);
  const lexical = normalize(path);
  if (lexical === '..' || lexical.startsWith(`..${sep}`)) throw outside();
  const real = await realDirectory(lexical === '.' ? realRoot : childOf(realRoot, lexical), path);
  if (!isInside(realRoot, real)) throw outside();
  return real;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
