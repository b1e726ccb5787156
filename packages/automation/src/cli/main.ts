#!/usr/bin/env node
// The `tagsmith` executable: builds the CliIo from the process, runs the command and
// sets the exit code. The first SIGINT or SIGTERM aborts the command's signal (a cycle
// stops at its next step, a push finishes or is abandoned); a second one exits at once.

import { runCli } from './program.js';

const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (stop.signal.aborted) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  stop.abort(new Error(`stopped by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: stop.signal,
  });
} catch (error) {
  // A bug, not a user error: say so with the stack, exit 1.
  process.stderr.write(
    `tagsmith: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
