// tagsmith tags: see program.ts for its flags and help.

import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** The flags of `tagsmith tags`, as commander parses them. */
export interface TagsCommandOptions {
  /** `NAME=URL` pairs, in order. */
  host?: string[];
  json?: true;
}

export async function tagsCommand(
  image: string,
  options: TagsCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  throw new Error('tagsmith tags: not built yet');
}
