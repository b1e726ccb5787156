// What the GitHub tests share: a real bare repository seeded through the git CLI, the
// testkit GitHub server in front of it, and git commands to check what landed.
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '@tagsmith/test-utils';
import {
  type GitHubServer,
  type StartGitHubServerOptions,
  startGitHubServer,
} from '@tagsmith/testkit';
import { type Author, GitHubRepository, type GitHubRepositoryOptions } from '../src/index.js';

const run = promisify(execFile);

/** The automation's identity in these tests. */
export const BOT: Author = { name: 'tagsmith-bot', email: 'bot@example.com' };
/** Someone else. */
export const PERSON: Author = { name: 'A Person', email: 'person@example.com' };

const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

/** Runs git in `cwd` and returns its trimmed stdout. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    env: ENV,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** Runs git in the bare repository `bare` with `input` on stdin; its trimmed stdout. */
export function plumbing(bare: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
      env: { ...ENV, GIT_DIR: bare },
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8').trim())
        : reject(new Error(`git ${args[0]} exited ${code}`)),
    );
    child.stdin.end(input);
  });
}

/** Writes `files` (path → content) under `dir`. */
export async function writeFiles(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** A bare repository whose `main` has one commit with `files`, and a scratch directory. */
export async function seedRepository(
  files: Readonly<Record<string, string>>,
): Promise<{ bare: string; scratch: string }> {
  const root = await tempDir('git-github');
  const work = join(root.path, 'seed');
  await git(root.path, 'init', '-q', '-b', 'main', work);
  await writeFiles(work, files);
  await git(work, 'add', '-A');
  await commitAs(work, PERSON, 'seed');
  const bare = join(root.path, 'bare.git');
  await git(root.path, 'clone', '-q', '--bare', work, bare);
  return { bare, scratch: root.path };
}

/** Commits the staged changes in `work` as `who`. */
export async function commitAs(work: string, who: Author, message: string): Promise<void> {
  await git(
    work,
    '-c',
    `user.name=${who.name}`,
    '-c',
    `user.email=${who.email}`,
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    message,
  );
}

/** Pushes a commit by `who` changing `files` onto `branch` of the bare repository, as a person would. */
export async function pushAs(
  bare: string,
  scratch: string,
  who: Author,
  branch: string,
  files: Readonly<Record<string, string>>,
): Promise<string> {
  const work = join(scratch, `clone-${Math.random().toString(36).slice(2)}`);
  await git(scratch, 'clone', '-q', '-b', branch, bare, work);
  await writeFiles(work, files);
  await git(work, 'add', '-A');
  await commitAs(work, who, `change by ${who.name}`);
  await git(work, 'push', '-q', 'origin', `HEAD:${branch}`);
  return git(work, 'rev-parse', 'HEAD');
}

/** A fresh clone of the bare repository at `branch`, for checking files with the git CLI. */
export async function cloneOf(bare: string, scratch: string, branch = 'main'): Promise<string> {
  const work = join(scratch, `check-${Math.random().toString(36).slice(2)}`);
  await git(scratch, 'clone', '-q', '-b', branch, bare, work);
  return work;
}

/** A seeded repository behind a testkit GitHub server. */
export interface GitHubFixture {
  readonly server: GitHubServer;
  readonly bare: string;
  readonly scratch: string;
  /** A new GitHubRepository on the server (writes unpaced: the server has no write limit). */
  repository(options?: Partial<GitHubRepositoryOptions>): GitHubRepository;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Seeds a repository with `files` and starts a GitHub server on it; `await using` closes it. */
export async function githubFixture(
  files: Readonly<Record<string, string>>,
  options: Omit<StartGitHubServerOptions, 'bareRepo'> = {},
): Promise<GitHubFixture> {
  const { bare, scratch } = await seedRepository(files);
  const server = await startGitHubServer({ bareRepo: bare, ...options });
  return {
    server,
    bare,
    scratch,
    repository: (extra = {}) =>
      new GitHubRepository({
        owner: server.owner,
        repo: server.repo,
        baseUrl: server.url,
        writeIntervalMs: 0,
        ...(options.token === undefined ? {} : { auth: options.token }),
        ...extra,
      }),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
