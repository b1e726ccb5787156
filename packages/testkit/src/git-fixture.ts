// A real bare git repository with the history a test describes, working
// clones of it, and "another writer" that commits straight onto its branches,
// for testing code that clones, commits and pushes. Everything is the git CLI;
// the history is written with one fast-import stream (git-import.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestkitError } from './errors.js';
import {
  assertFilePath,
  assertIdentity,
  type FileChanges,
  type ImportCommit,
  importCommits,
} from './git-import.js';
import { installPushRecorder, type PushRecorder } from './git-pushes.js';
import { type GitIdentity, type GitRunOptions, gitEnv, runGit } from './git-run.js';

/** A tag on a {@link FixtureCommit}. */
export interface FixtureTag {
  /** The tag name, e.g. `'v1.2.3'`. */
  readonly name: string;
  /** An annotated tag object rather than a lightweight ref. Default: `false`. */
  readonly annotated?: boolean;
  /** The annotated tag's message. Default: the tag name. */
  readonly message?: string;
}

/** One commit of {@link GitFixtureOptions.history}. */
export interface FixtureCommit {
  /** The commit message. */
  readonly message: string;
  /** Files to write (path → content) or delete (`null`); the rest stay as they were. Default: none. */
  readonly files?: FileChanges;
  /**
   * The branch the commit goes onto; a branch that does not exist yet starts
   * at the default branch's head at that point of the history. Default: the
   * default branch.
   */
  readonly branch?: string;
  /** A tag to put on the commit: a name (lightweight) or a {@link FixtureTag}. Default: none. */
  readonly tag?: string | FixtureTag;
  /** The commit's author (the committer stays the fixture's). Default: {@link GitFixtureOptions.author}. */
  readonly author?: GitIdentity;
}

/** Options of {@link createGitFixture}. */
export interface GitFixtureOptions {
  /** The files of the first commit on the default branch. Default: `{ 'README.md': '# fixture\n' }`. */
  readonly files?: Readonly<Record<string, string>>;
  /** The first commit's message. Default: `'initial commit'`. */
  readonly message?: string;
  /** Later commits, in order. Default: none. */
  readonly history?: readonly FixtureCommit[];
  /**
   * No commit at all, not even the first: a bare repository whose default
   * branch does not exist yet. Cannot be combined with `files` or `history`.
   * Default: `false`.
   */
  readonly empty?: boolean;
  /** The default branch (the bare repository's `HEAD`). Default: `'main'`. */
  readonly branch?: string;
  /** The bare repository's directory name without `.git` (it is `<name>.git`). Default: `'repo'`. */
  readonly name?: string;
  /** The directory to make the fixture's own fresh directory in. Default: the OS temp dir. */
  readonly dir?: string;
  /** Author and committer of the fixture's commits and clones. Default: `tagsmith-fixture <fixture@example.com>`. */
  readonly author?: GitIdentity;
  /**
   * Whether the bare repository accepts `git push --push-option` (sets
   * `receive.advertisePushOptions`, as GitHub and GitLab do). Default: `true`.
   */
  readonly advertisePushOptions?: boolean;
  /** The environment git runs in, minus every `GIT_*` variable. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** The git executable. Default: `'git'` (found on `PATH`). */
  readonly git?: string;
  /** The Node executable that runs the {@link GitFixture.recordPushes} hook. Default: `process.execPath`. */
  readonly node?: string;
  /** Milliseconds since the epoch, for the date of {@link GitFixture.commit}'s commits. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Options of {@link GitFixture.clone}. */
export interface FixtureCloneOptions {
  /** The branch to check out. Default: the bare repository's `HEAD` (the default branch). */
  readonly branch?: string;
  /** The clone's directory name inside the fixture's directory. Default: `'clone-<n>'`. */
  readonly name?: string;
}

/** Options of {@link GitFixture.commit}. */
export interface FixtureCommitOptions {
  /** The branch to commit onto; a missing branch starts at the default branch's head. Default: the default branch. */
  readonly branch?: string;
  /** The commit's author (the committer stays the fixture's). Default: {@link GitFixtureOptions.author}. */
  readonly author?: GitIdentity;
}

/** One commit as {@link GitFixture.log} reads it. */
export interface FixtureLogEntry {
  /** The commit's sha. */
  readonly sha: string;
  /** The full message, without trailing newlines. */
  readonly message: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
  /** Parent shas, first parent first; empty for a root commit. */
  readonly parents: readonly string[];
}

/** A bare repository with history, and helpers to clone, inspect and change it; remove it (or `await using` it) when done. */
export interface GitFixture extends AsyncDisposable {
  /** The fixture's own directory, holding the bare repository and every clone. */
  readonly dir: string;
  /** The bare repository, `<dir>/remote/<name>.git`. */
  readonly bareDir: string;
  /** The bare repository's `file://` URL, for `git clone` and remotes. */
  readonly url: string;
  /** The default branch. */
  readonly branch: string;
  /** Author and committer of the fixture's commits, and the identity its clones have in their config. */
  readonly author: GitIdentity;
  /**
   * Clones the bare repository (through its `file://` URL, like any remote)
   * into a fresh directory inside {@link GitFixture.dir} and resolves with its
   * path. The clone has `user.name` and `user.email` set to the fixture's
   * author in its own config, so it can commit with no global git identity.
   */
  clone(options?: FixtureCloneOptions): Promise<string>;
  /** The sha at the tip of `branch`, or `undefined` if it does not exist. Default `branch`: the default branch. */
  head(branch?: string): Promise<string | undefined>;
  /**
   * Another writer: commits `files` (content, or `null` to delete) straight
   * onto the bare repository's branch, on top of whatever is there, and
   * resolves with the new sha. If a push moves the branch meanwhile, it
   * commits again on top of that, so it never discards a push.
   */
  commit(files: FileChanges, message: string, options?: FixtureCommitOptions): Promise<string>;
  /**
   * A file's content at `ref` (a branch, tag or sha), or `undefined` if the
   * ref or a file at that path does not exist. Default `ref`: the default branch.
   */
  readFile(path: string, ref?: string): Promise<string | undefined>;
  /** The commits reachable from `ref`, newest first; empty if the ref does not exist. Default `ref`: the default branch. */
  log(ref?: string): Promise<FixtureLogEntry[]>;
  /** Every file path in `ref`'s tree, in git's order; empty if the ref does not exist. Default `ref`: the default branch. */
  files(ref?: string): Promise<string[]>;
  /** Every ref of the bare repository (full name → sha; an annotated tag's is the tag object's). */
  refs(): Promise<Record<string, string>>;
  /**
   * Installs a pre-receive hook in the bare repository that records every
   * push from now on (its ref updates and push options) and turns on
   * `receive.advertisePushOptions`. Calling it again starts a new, empty record.
   */
  recordPushes(): Promise<PushRecorder>;
  /** Removes the fixture's directory and everything in it; safe to call twice. */
  remove(): Promise<void>;
}

const DEFAULT_AUTHOR: GitIdentity = { name: 'tagsmith-fixture', email: 'fixture@example.com' };
const DEFAULT_FILES: Readonly<Record<string, string>> = { 'README.md': '# fixture\n' };
// History commits are dated one minute apart from here, so a fixture built
// from the same options has the same shas on every run.
const HISTORY_EPOCH = 1_704_067_200; // 2024-01-01T00:00:00Z
// How often commit() starts over because a push moved the branch under it.
const COMMIT_ATTEMPTS = 10;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Makes a bare repository whose default branch holds `files` in a first
 * commit and then `history`, in a fresh directory. Rejects with
 * `INVALID_ARGUMENT` for a bad path, name or identity, and `GIT_FAILED` when
 * git fails.
 */
export async function createGitFixture(options: GitFixtureOptions = {}): Promise<GitFixture> {
  const branch = options.branch ?? 'main';
  const name = options.name ?? 'repo';
  const author = options.author ?? DEFAULT_AUTHOR;
  const history = options.history ?? [];
  const clock = options.clock ?? Date.now;
  const node = options.node ?? process.execPath;
  const run: GitRunOptions = {
    git: options.git ?? 'git',
    env: gitEnv(options.env ?? process.env, author),
  };
  if (options.empty === true && (options.files !== undefined || history.length > 0)) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      'empty: true cannot be combined with files or history',
    );
  }
  assertName('name', name);
  assertIdentity(author);
  const commits = options.empty === true ? [] : planHistory(options, branch, author);
  await assertRefNames(refNamesOf(branch, commits), run);

  const dir = await mkdtemp(join(options.dir ?? tmpdir(), 'tagsmith-git-')).catch((cause) => {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `dir ${JSON.stringify(options.dir ?? tmpdir())}: cannot make the fixture's directory in it (${(cause as Error).message})`,
      { cause },
    );
  });
  const bareDir = join(dir, 'remote', `${name}.git`);
  const url = pathToFileURL(bareDir).href;
  const git = (args: readonly string[], okCodes?: readonly number[]) =>
    runGit(['--git-dir', bareDir, ...args], okCodes === undefined ? run : { ...run, okCodes });
  try {
    await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, bareDir], run);
    // Fetching a commit by sha and partial clones work here as on GitHub and GitLab.
    await git(['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
    await git(['config', 'uploadpack.allowFilter', 'true']);
    if (options.advertisePushOptions !== false) {
      await git(['config', 'receive.advertisePushOptions', 'true']);
    }
    if (commits.length > 0) await importCommits(bareDir, commits, run);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let clones = 0;
  const resolve = async (ref: string): Promise<string | undefined> => {
    const { code, stdout } = await git(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
      [0, 1, 128],
    );
    return code === 0 ? stdout.toString('utf8').trim() : undefined;
  };
  const head = (of: string = branch) => resolve(`refs/heads/${of}`);

  const fixture: GitFixture = {
    dir,
    bareDir,
    url,
    branch,
    author,
    async clone(cloneOptions = {}) {
      clones += 1;
      const cloneName = cloneOptions.name ?? `clone-${clones}`;
      assertName('clone name', cloneName);
      const target = join(dir, cloneName);
      const args = ['clone', '--quiet', '--config', `user.name=${author.name}`];
      args.push('--config', `user.email=${author.email}`);
      if (cloneOptions.branch !== undefined) args.push('--branch', cloneOptions.branch);
      await runGit([...args, '--', url, target], run);
      return target;
    },
    head,
    async commit(files, message, commitOptions = {}) {
      const onto = commitOptions.branch ?? branch;
      await assertRefNames([`refs/heads/${onto}`], run);
      for (const path of Object.keys(files)) assertFilePath(path);
      if (commitOptions.author !== undefined) assertIdentity(commitOptions.author);
      let lastError: unknown;
      for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        const current = await head(onto);
        const from = current ?? (await head());
        const commit: ImportCommit = {
          ref: `refs/heads/${onto}`,
          author: commitOptions.author ?? author,
          committer: author,
          time: Math.floor(clock() / 1000),
          message,
          files,
          ...(from === undefined ? {} : { from }),
        };
        try {
          const [sha] = await importCommits(bareDir, [commit], run);
          return sha!;
        } catch (error) {
          // fast-import refuses to move a ref that a push moved meanwhile;
          // anything else is a real failure.
          if ((await head(onto)) === current) throw error;
          lastError = error;
        }
      }
      throw new TestkitError(
        'GIT_FAILED',
        `commit onto ${onto}: the branch moved under each of ${COMMIT_ATTEMPTS} attempts`,
        { cause: lastError },
      );
    },
    async readFile(path, ref = branch) {
      assertFilePath(path);
      const sha = await resolve(ref);
      if (sha === undefined) return undefined;
      // One `cat-file --batch` tells a missing path, a directory and a file apart.
      const { stdout } = await runGit(['--git-dir', bareDir, 'cat-file', '--batch'], {
        ...run,
        input: `${sha}:${path}\n`,
      });
      const headerEnd = stdout.indexOf(0x0a);
      const [, type, size] = stdout.subarray(0, headerEnd).toString('utf8').split(' ');
      if (type !== 'blob') return undefined;
      return stdout.subarray(headerEnd + 1, headerEnd + 1 + Number(size)).toString('utf8');
    },
    async log(ref = branch) {
      const sha = await resolve(ref);
      if (sha === undefined) return [];
      const { stdout } = await git([
        'log',
        '--topo-order',
        '-z',
        '--format=%H%n%P%n%an%n%ae%n%cn%n%ce%n%B',
        sha,
      ]);
      return stdout
        .toString('utf8')
        .split('\0')
        .filter((record) => record !== '')
        .map(parseLogRecord);
    },
    async files(ref = branch) {
      const sha = await resolve(ref);
      if (sha === undefined) return [];
      const { stdout } = await git(['ls-tree', '-r', '-z', '--name-only', '--full-tree', sha]);
      return stdout
        .toString('utf8')
        .split('\0')
        .filter((path) => path !== '');
    },
    async refs() {
      const { stdout } = await git(['for-each-ref', '--format=%(objectname) %(refname)']);
      const refs: Record<string, string> = {};
      for (const line of stdout.toString('utf8').split('\n')) {
        const space = line.indexOf(' ');
        if (space > 0) refs[line.slice(space + 1)] = line.slice(0, space);
      }
      return refs;
    },
    async recordPushes() {
      await git(['config', 'receive.advertisePushOptions', 'true']);
      return installPushRecorder(bareDir, node);
    },
    remove() {
      return rm(dir, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]() {
      return fixture.remove();
    },
  };

  return fixture;
}

/** The fast-import commits of the first commit and `history`, each branch starting where the docs say. */
function planHistory(
  options: GitFixtureOptions,
  branch: string,
  author: GitIdentity,
): ImportCommit[] {
  const files = options.files ?? DEFAULT_FILES;
  const steps: FixtureCommit[] = [
    { message: options.message ?? 'initial commit', files },
    ...(options.history ?? []),
  ];
  // Where each branch's next commit goes on from: the mark of its last commit.
  const tips = new Map<string, string>();
  return steps.map((step, index) => {
    const onto = step.branch ?? branch;
    const from = tips.get(onto) ?? tips.get(branch);
    tips.set(onto, `:${index + 1}`);
    for (const path of Object.keys(step.files ?? {})) assertFilePath(path);
    const tag = typeof step.tag === 'string' ? { name: step.tag } : step.tag;
    return {
      ref: `refs/heads/${onto}`,
      author: step.author ?? author,
      committer: author,
      time: HISTORY_EPOCH + index * 60,
      message: step.message,
      files: step.files ?? {},
      ...(from === undefined ? {} : { from }),
      ...(tag === undefined
        ? {}
        : {
            tag: {
              name: tag.name,
              annotated: tag.annotated === true,
              message: tag.message ?? tag.name,
            },
          }),
    };
  });
}

/** Every full ref name the fixture will create, for one validity check up front. */
function refNamesOf(branch: string, commits: readonly ImportCommit[]): string[] {
  const names = new Set([`refs/heads/${branch}`]);
  for (const commit of commits) {
    names.add(commit.ref);
    if (commit.tag !== undefined) names.add(`refs/tags/${commit.tag.name}`);
  }
  return [...names];
}

/** Rejects with `INVALID_ARGUMENT` unless git accepts each full ref name (git-check-ref-format(1)). */
async function assertRefNames(refs: readonly string[], run: GitRunOptions): Promise<void> {
  const answers = await Promise.all(
    refs.map((ref) => runGit(['check-ref-format', ref], { ...run, okCodes: [0, 1] })),
  );
  const bad = refs.filter((_, index) => answers[index]!.code !== 0);
  if (bad.length > 0) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `not a valid branch or tag name: ${bad.map((ref) => JSON.stringify(ref.replace(/^refs\/(heads|tags)\//, ''))).join(', ')}`,
    );
  }
}

/** Rejects a directory name that is not one plain path segment. */
function assertName(what: string, value: string): void {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `${what} ${JSON.stringify(value)}: expected letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
}

/** One `git log -z` record in the format `log` asks for. */
function parseLogRecord(record: string): FixtureLogEntry {
  const lines = record.split('\n');
  const [
    sha = '',
    parents = '',
    authorName = '',
    authorEmail = '',
    committerName = '',
    committerEmail = '',
  ] = lines;
  return {
    sha,
    parents: parents === '' ? [] : parents.split(' '),
    author: { name: authorName, email: authorEmail },
    committer: { name: committerName, email: committerEmail },
    message: lines.slice(6).join('\n').replace(/\n+$/, ''),
  };
}
