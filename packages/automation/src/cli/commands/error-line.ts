// The one-line failure every tagsmith command prints: `tagsmith <command>: <message>`
// on stderr, then the exit code the caller returns. One helper, so the prefix and the
// single line (a message with a newline is folded) are the same for every command.

import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { oneLine } from '../one-line.js';

/** Writes `tagsmith <command>: <message>` as one line on stderr and returns `code`. */
export function failWith(io: CliIo, command: string, message: string, code: ExitCode): ExitCode {
  io.stderr.write(`tagsmith ${command}: ${oneLine(message)}\n`);
  return code;
}
