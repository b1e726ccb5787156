// tagsmith update: see program.ts for its flags and help.

import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** The flags of `tagsmith update`, as commander parses them. */
export interface UpdateCommandOptions {
  set: string[];
  dryRun?: true;
  json?: true;
  quiet?: true;
}

export async function updateCommand(
  dir: string,
  options: UpdateCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  throw new Error('tagsmith update: not built yet');
}
