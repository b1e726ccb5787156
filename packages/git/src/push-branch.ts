// A push branch as the remote has it: its head, its tree, and the commits on it that
// the automation did not make. The automation owns a push branch (DESIGN section 6):
// it rebuilds it from the base on every run, but a person who pushed a fix onto it
// must not lose that fix, so those commits are found first (as Renovate does).

import type { Commands } from './commands.js';
import type { FailureContext } from './runner.js';

/** The remote push branch. */
export interface RemoteBranch {
  readonly sha: string;
  readonly tree: string;
  /** Commits between the base head and the branch that the automation did not make, newest first. */
  readonly foreignCommits: string[];
}

/** The emails the automation's own commits carry. */
export interface OwnEmails {
  readonly author: string;
  readonly committer: string;
}

/**
 * Fetches `branch` deep enough to see every commit on it that `baseHead` lacks.
 *
 * @returns The branch, or `undefined` when the remote has none.
 */
export async function inspectPushBranch(
  cmd: Commands,
  options: {
    branch: string;
    base: string;
    baseHead: string;
    own: OwnEmails;
    signal: AbortSignal | undefined;
  },
): Promise<RemoteBranch | undefined> {
  const { branch, base, signal } = options;
  const remote = cmd.settings.remote;
  const tracking = `refs/remotes/${remote}/${branch}`;
  const context: FailureContext = {
    action: `publish: fetch ${branch} from ${cmd.remoteUrl}`,
    ref: branch,
  };
  const fetch = (depth: string[]) => [
    'fetch',
    '--no-tags',
    ...depth,
    '--',
    remote,
    `+refs/heads/${branch}:${tracking}`,
  ];
  // In a shallow clone, --shallow-exclude fetches exactly the branch's commits that the
  // base lacks, however many. When it has none (it is inside the base) the remote says
  // "no commits selected", and the tip alone is fetched.
  const shallow = await cmd.isShallow(signal);
  let args = fetch(shallow ? [`--shallow-exclude=refs/heads/${base}`] : []);
  let out = await cmd.network(args, { signal }, context, false);
  let inBase = false;
  if (
    out.exitCode !== 0 &&
    shallow &&
    /no commits selected for shallow requests/.test(out.stderr)
  ) {
    inBase = true;
    args = fetch(['--depth', '1']);
    out = await cmd.network(args, { signal }, context, false);
  }
  if (out.exitCode !== 0) {
    if (/couldn't find remote ref/.test(out.stderr)) return undefined;
    throw cmd.settings.runner.failure(args, out, { remote: cmd.remoteUrl, ...context });
  }
  const [sha, tree] = (
    await cmd.git(['rev-parse', tracking, `${tracking}^{tree}`], { signal }, 'publish')
  ).stdout.split('\n') as [string, string];
  const foreignCommits = inBase ? [] : await foreignCommitsOf(cmd, sha, options);
  return { sha, tree, foreignCommits };
}

// The rule: a commit is the automation's own when its author email is the automation's
// author email and its committer email the committer's (the author's when none is
// given), compared case-insensitively. Anything else on the branch is someone else's.
async function foreignCommitsOf(
  cmd: Commands,
  tip: string,
  options: { baseHead: string; own: OwnEmails; signal: AbortSignal | undefined },
): Promise<string[]> {
  const out = await cmd.git(
    ['log', '--format=%H%x00%ae%x00%ce', tip, `^${options.baseHead}`, '--'],
    { signal: options.signal },
    'publish: list the commits of the push branch',
  );
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
  return out.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\0'))
    .filter(
      ([, author, committer]) =>
        !same(author, options.own.author) || !same(committer, options.own.committer),
    )
    .map(([sha]) => sha!);
}
