// tagsmith update: the setters alone. Sets every field whose setter marker names a
// policy given with --set, in the YAML files under DIR, and prints each change, a
// diff (--dry-run, nothing written) or JSON; see program.ts for the flags.

import { stat } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { type FileChange, type Problem, SettersError, updateTree } from '@tagsmith/setters';
import { renderDiff } from '../diff.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIo, useColor } from '../io.js';
import { oneLine } from '../one-line.js';
import { createStyle } from '../style.js';
import { failWith } from './error-line.js';
import { parseSetFlags } from './set-flags.js';

/** The flags of `tagsmith update`, as commander parses them. */
export interface UpdateCommandOptions {
  set: string[];
  dryRun?: true;
  json?: true;
  quiet?: true;
}

// Errors in what the user typed (a ref, the directory) are usage errors; a failed
// write or an abort is the work failing.
const USAGE_CODES = new Set(['INVALID_REF', 'INVALID_ARGUMENT', 'PATH_OUTSIDE_ROOT']);

/** Exit 0 when every marked file was updated (or would be), 1 on any problem, 2 on bad arguments. */
export async function updateCommand(
  dir: string,
  options: UpdateCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const policies = parseSetFlags(options.set);
  const root = resolve(io.cwd, dir);
  if (!(await isDirectory(root))) {
    return failWith(io, 'update', `${dir}: no such directory`, ExitCode.usage);
  }
  let result: { files: FileChange[]; problems: Problem[] };
  try {
    result = await updateTree(root, policies, {
      dryRun: options.dryRun === true,
      signal: io.signal,
    });
  } catch (error) {
    if (!(error instanceof SettersError)) throw error;
    const code = USAGE_CODES.has(error.code) ? ExitCode.usage : ExitCode.failed;
    return failWith(io, 'update', error.message, code);
  }
  // Markers of policies not given with --set are someone else's: updating one image
  // of a tree is the point of this command, not a problem.
  const problems = result.problems.filter((problem) => problem.kind !== 'unknown-policy');
  const shown = (path: string) => posix.join(dir.replaceAll('\\', '/'), path);

  if (options.json) {
    const files = result.files.map(({ path, changes }) => ({ path, changes }));
    io.stdout.write(`${JSON.stringify({ files, problems })}\n`);
  } else {
    if (!options.quiet) printFiles(result.files, options.dryRun === true, shown, io);
    for (const problem of problems) io.stderr.write(`${problemLine(problem, shown)}\n`);
  }
  return problems.length === 0 ? ExitCode.ok : ExitCode.failed;
}

function printFiles(
  files: FileChange[],
  dryRun: boolean,
  shown: (path: string) => string,
  io: CliIo,
): void {
  const style = createStyle(useColor(io.stdout, io.env));
  for (const file of files) {
    if (dryRun) {
      io.stdout.write(renderDiff(shown(file.path), file.oldText ?? '', file.newText ?? '', style));
      continue;
    }
    for (const change of file.changes) {
      // An empty value (a digest not set yet, or one that went away) is shown as "".
      const [before, after] = [change.oldValue || '""', change.newValue || '""'];
      io.stdout.write(
        `${shown(file.path)}:${change.line}  ${change.setter}  ${before} -> ${style.green(after)}\n`,
      );
    }
  }
  const count = files.length === 1 ? '1 file' : `${files.length} files`;
  io.stdout.write(`${dryRun ? 'would update' : 'updated'} ${count}\n`);
}

// The setters' messages start with the root-relative `path:line:column: `; the CLI
// names the file as the user can open it from where they ran the command.
function problemLine(problem: Problem, shown: (path: string) => string): string {
  const position = problem.line > 0 ? `:${problem.line}:${problem.column}` : '';
  const prefix = `${problem.path}${position}: `;
  const message = problem.message.startsWith(prefix)
    ? problem.message.slice(prefix.length)
    : problem.message;
  return `${shown(problem.path)}${position}: ${oneLine(message)}`;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
