// What the tests of @tagsmith/git share: an independent git runner to check what the
// package did (argument arrays, no user config, the C locale), the bot's identity, a
// logger that keeps its lines, and a gitPath wrapper that records every invocation.
import { execFile } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitTestEnv } from '@tagsmith/test-utils';
import type { Author, Logger } from '../src/index.js';

/** The automation's identity in every test. */
export const BOT: Author = { name: 'tagsmith-bot', email: 'bot@example.com' };

/** A person who is not the automation. */
export const PERSON: Author = { name: 'Pat Person', email: 'pat@example.com' };

/** The controlled environment the checks run git in (see `gitTestEnv`), with `extra` on top. */
export const checkEnv = gitTestEnv;

/** Runs git in `cwd` and resolves with its trimmed stdout; rejects with its stderr when it fails. */
export function git(
  cwd: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: checkEnv(options.env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout.trim());
        else reject(new Error(`git ${args.join(' ')} failed: ${stderr}`));
      },
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

/** Runs any program and resolves with its trimmed stdout; rejects with its stderr when it fails. */
export function run(
  program: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      args,
      { cwd: options.cwd, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout.trim());
        else reject(new Error(`${program} ${args.join(' ')} failed: ${stderr}`));
      },
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

/** A logger that keeps every line, prefixed with its level. */
export function recordingLogger(): { logger: Required<Logger>; lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
  };
  return {
    lines,
    logger: { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') },
  };
}

/**
 * A `gitPath` that appends each invocation's arguments and the names (never the values)
 * of its environment variables to a log file, then runs the real git with them. A
 * recorder, not a fake: git does all the work.
 */
export async function recordingGit(
  dir: string,
): Promise<{ gitPath: string; log: () => Promise<string> }> {
  const gitPath = join(dir, 'git-recorder');
  const log = join(dir, 'git-invocations.log');
  await writeFile(log, '');
  await writeFile(
    gitPath,
    `#!/bin/sh
{
  printf 'argv:'
  for arg in "$@"; do printf ' [%s]' "$arg"; done
  printf '\\nenv:'
  env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/ \\1/p' | tr -d '\\n'
  printf '\\n'
} >> '${log}'
exec git "$@"
`,
  );
  await chmod(gitPath, 0o755);
  return { gitPath, log: () => readFile(log, 'utf8') };
}
