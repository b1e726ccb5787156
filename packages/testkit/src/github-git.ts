// The GitHub test server keeps no objects of its own: every blob, tree, commit and ref
// lives in a real bare repository, written and read through git plumbing, so what a
// client commits through the API can be cloned and checked with the git CLI. Every
// command goes through testkit's one git runner (argument arrays, no system or global
// config, no prompts), with hooks off and literal pathspecs as well.
import { gitEnv, runGit } from './git-run.js';

/** A tree entry as `git ls-tree -l` prints it. */
export interface TreeEntry {
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  /** Blob size in bytes; absent for trees and submodules. */
  readonly size?: number;
  readonly path: string;
}

/** An identity line of a commit object (`author` or `committer`). */
export interface Signature {
  readonly name: string;
  readonly email: string;
  /** ISO 8601 in UTC, as GitHub shows it: `2024-05-01T12:00:00Z`. */
  readonly date: string;
}

/** A commit object, parsed. */
export interface CommitObject {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: Signature;
  readonly committer: Signature;
  readonly message: string;
  /** The `gpgsig` header, when the commit is signed. */
  readonly signature?: string;
}

/** A mode and object to place at a path of a tree being built. */
export interface IndexEntry {
  readonly mode: string;
  readonly sha: string;
}

/** Git plumbing against one bare repository. */
export class BareRepository {
  readonly dir: string;
  readonly #env: NodeJS.ProcessEnv;
  #zeroSha: string | undefined;

  /** `base` is the environment git starts from (its `GIT_*` variables are dropped). */
  constructor(dir: string, base: NodeJS.ProcessEnv = process.env) {
    this.dir = dir;
    this.#env = { ...gitEnv(base), GIT_DIR: dir, GIT_LITERAL_PATHSPECS: '1' };
  }

  /**
   * Runs git and resolves with its exit code and output when the code is in `okCodes`
   * (Default: `[0]`); rejects with `GIT_FAILED` otherwise, or when git cannot start.
   */
  async run(
    args: readonly string[],
    options: { input?: Buffer | string; env?: NodeJS.ProcessEnv; okCodes?: readonly number[] } = {},
  ): Promise<{ code: number; stdout: Buffer }> {
    const { code, stdout } = await runGit(['-c', 'core.hooksPath=/dev/null', ...args], {
      git: 'git',
      env: { ...this.#env, ...options.env },
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.okCodes === undefined ? {} : { okCodes: options.okCodes }),
    });
    return { code, stdout };
  }

  /** Runs git and returns its stdout; rejects with `GIT_FAILED` on a non-zero exit. */
  async git(
    args: readonly string[],
    options: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<Buffer> {
    return (await this.run(args, options)).stdout;
  }

  /** The all-zero object name of the repository's hash (SHA-1 or SHA-256). */
  async zeroSha(): Promise<string> {
    if (this.#zeroSha === undefined) {
      const format = (await this.git(['rev-parse', '--show-object-format'])).toString().trim();
      this.#zeroSha = '0'.repeat(format === 'sha256' ? 64 : 40);
    }
    return this.#zeroSha;
  }

  /** The branch `HEAD` names, e.g. `main`. */
  async defaultBranch(): Promise<string> {
    const ref = (await this.git(['symbolic-ref', 'HEAD'])).toString().trim();
    return ref.replace(/^refs\/heads\//, '');
  }

  /**
   * The object `revision` names, peeled to `type` when given (`commit`, `tree`), or undefined
   * when there is none. Names starting with `-` are refused so no name can be read as an option.
   */
  async resolve(revision: string, type?: 'commit' | 'tree' | 'blob'): Promise<string | undefined> {
    if (revision === '' || revision.startsWith('-') || revision.includes('\0')) return undefined;
    const spec = type === undefined ? revision : `${revision}^{${type}}`;
    // 1: no such object; 128: a name git cannot even parse. Either way there is none.
    const output = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', spec], {
      okCodes: [0, 1, 128],
    });
    return output.code === 0 ? output.stdout.toString().trim() : undefined;
  }

  /** The commit a full ref points at, or undefined when the ref does not exist. */
  refHead(ref: string): Promise<string | undefined> {
    return this.resolve(ref, 'commit');
  }

  /** Whether `ref` exists as written (no DWIM: `refs/heads/x` only). */
  async refExists(ref: string): Promise<boolean> {
    const output = await this.run(['show-ref', '--verify', '--quiet', ref], { okCodes: [0, 1] });
    return output.code === 0;
  }

  /** The type of an object, or undefined when the repository does not have it. */
  async objectType(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return undefined;
    // 128: git does not have it.
    const output = await this.run(['cat-file', '-t', sha], { okCodes: [0, 128] });
    return output.code === 0 ? output.stdout.toString().trim() : undefined;
  }

  /** Writes a blob and returns its name. */
  async writeBlob(content: Buffer): Promise<string> {
    return (await this.git(['hash-object', '-w', '--stdin'], { input: content })).toString().trim();
  }

  /** A blob's bytes. */
  async readBlob(sha: string): Promise<Buffer> {
    return this.git(['cat-file', 'blob', sha]);
  }

  /** The entries of a tree, one level or (`recursive`) every blob, submodule and tree below it. */
  async listTree(treeish: string, recursive: boolean, path?: string): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), treeish];
    if (path !== undefined) args.push('--', path);
    const out = (await this.git(args)).toString('utf8');
    return out
      .split('\0')
      .filter((line) => line !== '')
      .map(parseTreeLine);
  }

  /**
   * Writes the tree holding exactly `entries` (path → mode and object) through a throwaway
   * index, so git itself builds the nested trees and sorts them.
   */
  async writeTree(entries: ReadonlyMap<string, IndexEntry>, indexFile: string): Promise<string> {
    const env = { GIT_INDEX_FILE: indexFile };
    await this.git(['read-tree', '--empty'], { env });
    const lines = [...entries].map(([path, entry]) => `${entry.mode} ${entry.sha}\t${path}\0`);
    await this.git(['update-index', '-z', '--index-info'], { input: lines.join(''), env });
    return (await this.git(['write-tree'], { env })).toString().trim();
  }

  /** Writes a commit object; `author` and `committer` dates are `<epoch seconds> +0000`. */
  async writeCommit(commit: {
    tree: string;
    parents: readonly string[];
    message: string;
    author: { name: string; email: string; date: string };
    committer: { name: string; email: string; date: string };
  }): Promise<string> {
    const args = ['commit-tree', '--no-gpg-sign', commit.tree];
    for (const parent of commit.parents) args.push('-p', parent);
    const env = {
      GIT_AUTHOR_NAME: commit.author.name,
      GIT_AUTHOR_EMAIL: commit.author.email,
      GIT_AUTHOR_DATE: commit.author.date,
      GIT_COMMITTER_NAME: commit.committer.name,
      GIT_COMMITTER_EMAIL: commit.committer.email,
      GIT_COMMITTER_DATE: commit.committer.date,
    };
    return (await this.git(args, { input: commit.message, env })).toString().trim();
  }

  /** Reads commit objects in one `cat-file --batch`; a name that is not a commit is left out. */
  async readCommits(shas: readonly string[]): Promise<Map<string, CommitObject>> {
    const commits = new Map<string, CommitObject>();
    if (shas.length === 0) return commits;
    const out = await this.git(['cat-file', '--batch'], { input: `${shas.join('\n')}\n` });
    let offset = 0;
    while (offset < out.length) {
      const end = out.indexOf(10, offset);
      const header = out.subarray(offset, end).toString('utf8').split(' ');
      offset = end + 1;
      if (header[1] === 'missing') continue;
      const size = Number(header[2]);
      const body = out.subarray(offset, offset + size).toString('utf8');
      offset += size + 1;
      if (header[1] === 'commit') commits.set(header[0]!, parseCommit(header[0]!, body));
    }
    return commits;
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const output = await this.run(['merge-base', '--is-ancestor', ancestor, descendant], {
      okCodes: [0, 1],
    });
    return output.code === 0;
  }

  /** The commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = await this.git(['rev-list', '--reverse', head, `^${base}`]);
    return out
      .toString()
      .split('\n')
      .filter((line) => line !== '');
  }

  /** The best common ancestor of two commits, or undefined when their histories are unrelated. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const output = await this.run(['merge-base', a, b], { okCodes: [0, 1] });
    return output.code === 0 ? output.stdout.toString().trim() : undefined;
  }

  /**
   * Moves `ref` from `expected` to `sha` atomically: git's compare-and-swap under the ref's
   * lock. `expected` of the zero name means "must not exist yet". False when the ref was
   * not at `expected` (another writer won).
   */
  async compareAndSwap(ref: string, sha: string, expected: string): Promise<boolean> {
    // 128: the ref was not at `expected`, or another update held its lock.
    const output = await this.run(['update-ref', '-m', 'testkit github api', ref, sha, expected], {
      okCodes: [0, 128],
    });
    return output.code === 0;
  }

  /** Whether `name` is a valid full ref name (`refs/heads/x`). */
  async isValidRefName(name: string): Promise<boolean> {
    if (name.startsWith('-')) return false;
    const output = await this.run(['check-ref-format', name], { okCodes: [0, 1] });
    return output.code === 0;
  }
}

function parseTreeLine(line: string): TreeEntry {
  const tab = line.indexOf('\t');
  const [mode, type, sha, size] = line.slice(0, tab).split(/ +/);
  const entry = {
    mode: mode!,
    type: type as TreeEntry['type'],
    sha: sha!,
    path: line.slice(tab + 1),
  };
  return size === undefined || size === '-' ? entry : { ...entry, size: Number(size) };
}

function parseCommit(sha: string, raw: string): CommitObject {
  const split = raw.indexOf('\n\n');
  const headers = split === -1 ? raw : raw.slice(0, split);
  const message = split === -1 ? '' : raw.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  let signature: string | undefined;
  const lines = headers.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseSignature(value);
    else if (key === 'committer') committer = parseSignature(value);
    else if (key === 'gpgsig') {
      // A multi-line header: continuation lines start with one space.
      const parts = [value];
      while (lines[i + 1]?.startsWith(' ')) parts.push(lines[++i]!.slice(1));
      signature = parts.join('\n');
    }
  }
  const unknown = { name: '', email: '', date: new Date(0).toISOString() };
  return {
    sha,
    tree,
    parents,
    author: author ?? unknown,
    committer: committer ?? unknown,
    message,
    ...(signature === undefined ? {} : { signature }),
  };
}

function parseSignature(value: string): Signature {
  const match = /^(.*) <([^>]*)> (\d+) [+-]\d{4}$/.exec(value);
  if (match === null) return { name: value, email: '', date: new Date(0).toISOString() };
  const date = new Date(Number(match[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { name: match[1]!, email: match[2]!, date };
}
