// tagsmith run: see program.ts for its flags and help.

import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** The flags of `tagsmith run`, as commander parses them. */
export interface RunCommandOptions {
  /** `NAME=URL` pairs, in order. */
  host?: string[];
  dryRun?: true;
  json?: true;
  interval?: string;
  automation?: string[];
  quiet?: true;
}

export async function runCommand(
  config: string,
  options: RunCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  throw new Error('tagsmith run: not built yet');
}
