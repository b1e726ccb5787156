// tagsmith select: see program.ts for its flags and help.

import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** The flags of `tagsmith select`, as commander parses them. */
export interface SelectCommandOptions {
  semver?: string;
  /** `true` when given without a value (asc). */
  alphabetical?: 'asc' | 'desc' | true;
  numerical?: 'asc' | 'desc' | true;
  pattern?: string;
  extract?: string;
  image?: string;
  /** `NAME=URL` pairs, in order. */
  host?: string[];
  explain?: true;
  json?: true;
}

export async function selectCommand(options: SelectCommandOptions, io: CliIo): Promise<ExitCode> {
  throw new Error('tagsmith select: not built yet');
}
