// tagsmith check: see program.ts for its flags and help.

import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** The flags of `tagsmith check`, as commander parses them. */
export interface CheckCommandOptions {
  json?: true;
  quiet?: true;
}

export async function checkCommand(
  config: string,
  options: CheckCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  throw new Error('tagsmith check: not built yet');
}
