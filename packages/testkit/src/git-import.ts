// Commits written as one `git fast-import` stream: a fixture's whole history
// (any number of files and commits) costs one git process instead of a
// hash-object per file, and the refs are updated with fast-import's own
// fast-forward check, so a commit cannot silently drop one that a concurrent
// push made. The stream format is git-fast-import(1).
import { TestkitError } from './errors.js';
import { type GitIdentity, type GitRunOptions, runGit } from './git-run.js';

/** File changes of one commit: path → new content, or `null` to delete it. */
export type FileChanges = Readonly<Record<string, string | null>>;

/** One commit of a fast-import stream. */
export interface ImportCommit {
  /** Full ref the commit goes onto, e.g. `refs/heads/main`. */
  readonly ref: string;
  /** The parent: `:<mark>` of an earlier commit in the stream, or a sha. Default: none (a root commit). */
  readonly from?: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
  /** Seconds since the epoch, for both author and committer. */
  readonly time: number;
  readonly message: string;
  readonly files: FileChanges;
  /** Tag to put on this commit. Default: none. */
  readonly tag?: { readonly name: string; readonly annotated: boolean; readonly message: string };
}

/**
 * Writes `commits` in order with one `git fast-import` in `gitDir` and
 * resolves with each commit's sha, in the same order. Every ref moves only
 * forward: a ref that moved meanwhile to something the new commit does not
 * contain makes git fail (`GIT_FAILED`) and stay where it is.
 */
export async function importCommits(
  gitDir: string,
  commits: readonly ImportCommit[],
  run: GitRunOptions,
): Promise<string[]> {
  const parts: Buffer[] = [];
  const text = (line: string): void => {
    parts.push(Buffer.from(line, 'utf8'));
  };
  const data = (content: string) => {
    const bytes = Buffer.from(content, 'utf8');
    text(`data ${bytes.length}\n`);
    parts.push(bytes);
    text('\n');
  };
  commits.forEach((commit, index) => {
    const mark = index + 1;
    text(`commit ${commit.ref}\nmark :${mark}\n`);
    text(`author ${ident(commit.author)} ${commit.time} +0000\n`);
    text(`committer ${ident(commit.committer)} ${commit.time} +0000\n`);
    data(commit.message);
    if (commit.from !== undefined) text(`from ${commit.from}\n`);
    for (const [path, content] of Object.entries(commit.files)) {
      assertFilePath(path);
      if (content === null) {
        text(`D ${path}\n`);
      } else {
        text(`M 100644 inline ${path}\n`);
        data(content);
      }
    }
    text('\n');
    if (commit.tag?.annotated === true) {
      text(`tag ${commit.tag.name}\nfrom :${mark}\n`);
      text(`tagger ${ident(commit.committer)} ${commit.time} +0000\n`);
      data(commit.tag.message);
    } else if (commit.tag !== undefined) {
      text(`reset refs/tags/${commit.tag.name}\nfrom :${mark}\n\n`);
    }
  });
  for (let mark = 1; mark <= commits.length; mark++) text(`get-mark :${mark}\n`);
  text('done\n');
  const { stdout } = await runGit(
    ['--git-dir', gitDir, 'fast-import', '--quiet', '--done', '--date-format=raw'],
    { ...run, input: Buffer.concat(parts) },
  );
  return stdout.toString('utf8').split('\n').filter(Boolean);
}

/** `Name <email>` for a fast-import header line. */
function ident(identity: GitIdentity): string {
  assertIdentity(identity);
  return `${identity.name} <${identity.email}>`;
}

/** Refuses a name or address that would end git's `Name <email>` field or its line early. */
export function assertIdentity(identity: GitIdentity): void {
  for (const value of [identity.name, identity.email]) {
    if (typeof value !== 'string' || /[<>\n\0]/.test(value)) {
      throw new TestkitError(
        'INVALID_ARGUMENT',
        `author ${JSON.stringify(identity)}: name and email must be strings without '<', '>', newlines or NUL`,
      );
    }
  }
}

/**
 * A path a fixture may write: relative, `/`-separated, no empty, `.` or `..`
 * segment, nothing inside `.git`, and nothing fast-import would read as a
 * quoted path (a leading `"`) or the end of the line.
 */
export function assertFilePath(path: string): void {
  const segments = path.split('/');
  const bad =
    path === '' ||
    path.startsWith('"') ||
    /[\n\0]/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git');
  if (bad) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `file path ${JSON.stringify(path)}: expected a relative path like 'deploy/app.yaml' (no empty, '.', '..' or '.git' segment, no newline)`,
    );
  }
}
