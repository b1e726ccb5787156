// Recording what clients push to a bare repository: a pre-receive hook that
// appends one JSON line per push (its ref updates and push options) to a
// file. The hook is a tiny Node script run by the same Node as the tests, so
// the record needs no shell quoting and reads back with JSON.parse.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One ref a push changed. A created ref has `before` all zeros, a deleted one `after`. */
export interface PushedRefUpdate {
  /** The full ref name, e.g. `'refs/heads/main'`. */
  readonly ref: string;
  /** The sha the ref had before the push. */
  readonly before: string;
  /** The sha the push asked for. */
  readonly after: string;
}

/** One push as the server's pre-receive hook saw it. */
export interface RecordedPush {
  /** Every ref the push updates, in the order the client sent them. */
  readonly updates: readonly PushedRefUpdate[];
  /** The `--push-option` values, in order; empty when none were sent. */
  readonly pushOptions: readonly string[];
}

/** Reads what {@link GitFixture.recordPushes} recorded. */
export interface PushRecorder {
  /**
   * Every push received since the recorder was installed, oldest first. A push
   * is recorded when the server has received it, before it updates the refs:
   * one that then loses a race for a ref (`cannot lock ref`) is recorded too.
   */
  pushes(): Promise<RecordedPush[]>;
}

// The hook's program: stdin holds "<old> <new> <ref>" lines, the push options
// come as GIT_PUSH_OPTION_COUNT and GIT_PUSH_OPTION_<i> (githooks(5)).
const HOOK_PROGRAM = `'use strict';
const fs = require('node:fs');
const lines = fs.readFileSync(0, 'utf8').split('\\n').filter(Boolean);
const updates = lines.map((line) => {
  const [before, after, ref] = line.split(' ');
  return { ref, before, after };
});
const count = Number(process.env.GIT_PUSH_OPTION_COUNT ?? '0');
const pushOptions = [];
for (let i = 0; i < count; i++) pushOptions.push(process.env['GIT_PUSH_OPTION_' + i] ?? '');
fs.appendFileSync(process.argv[2], JSON.stringify({ updates, pushOptions }) + '\\n');
`;

/**
 * Installs the recording pre-receive hook in `bareDir` (replacing one already
 * there) and returns its reader. `node` is the Node executable the hook runs on.
 */
export async function installPushRecorder(bareDir: string, node: string): Promise<PushRecorder> {
  const program = join(bareDir, 'tagsmith-record-pushes.cjs');
  const record = join(bareDir, 'tagsmith-pushes.jsonl');
  await writeFile(program, HOOK_PROGRAM);
  await writeFile(record, '');
  // A bare repository made without templates has no hooks directory.
  await mkdir(join(bareDir, 'hooks'), { recursive: true });
  const hook = join(bareDir, 'hooks', 'pre-receive');
  await writeFile(
    hook,
    `#!/bin/sh\nexec ${shellQuote(node)} ${shellQuote(program)} ${shellQuote(record)}\n`,
  );
  await chmod(hook, 0o755);
  return {
    async pushes() {
      const lines = (await readFile(record, 'utf8')).split('\n').filter(Boolean);
      return lines.map((line) => JSON.parse(line) as RecordedPush);
    },
  };
}

/** One single-quoted sh word, whatever the path holds. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
