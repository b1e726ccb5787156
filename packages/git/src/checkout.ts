// The steps of a clone: pick the ref as Flux's GitRepository `spec.ref` does (commit >
// name > tag > semver > branch, else the remote's HEAD), then `git init`, add the
// remote, set up the sparse cone, fetch only that ref `depth` commits deep, and check
// it out: a branch as a local branch tracking the remote's, anything else detached.
// Fetching one ref into a fresh repository (rather than `git clone`) gives every kind
// of ref the same path, and a tag is never mistaken for a branch of the same name.

import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Commands } from './commands.js';
import { GitError } from './errors.js';
import type { CheckoutRef, CloneOptions } from './local-options.js';
import { checkBranch, checkFullRef, checkObjectName, checkTag } from './refname.js';

/** The ref to check out, after precedence. */
export type Target =
  | { kind: 'commit'; sha: string }
  | { kind: 'ref'; name: string }
  | { kind: 'tag'; name: string }
  | { kind: 'semver'; range: string }
  | { kind: 'branch'; name: string }
  | { kind: 'default' };

type MatchSemver = CloneOptions['matchSemver'];

// The unborn branch of the fresh `git init`. The checkout replaces it, so it never
// becomes a ref; naming it keeps git from printing its init.defaultBranch hint.
const UNBORN = 'tagsmith-unborn';

/**
 * The {@link Target} of `ref`: the first of commit, name, tag, semver, branch that is set.
 *
 * @throws {GitError} `INVALID_ARGUMENT` for a malformed ref, or `semver` without `matchSemver`.
 */
export function pickTarget(ref: CheckoutRef | undefined, matchSemver: MatchSemver): Target {
  if (ref === undefined) return { kind: 'default' };
  if (typeof ref !== 'object' || ref === null) {
    throw new GitError(
      'INVALID_ARGUMENT',
      'clone: `ref` must be an object such as `{ branch: "main" }`',
    );
  }
  if (ref.commit !== undefined) {
    return { kind: 'commit', sha: checkObjectName(ref.commit, 'ref.commit') };
  }
  if (ref.name !== undefined) {
    const name = checkFullRef(ref.name, 'ref.name');
    if (name.startsWith('refs/heads/')) {
      return { kind: 'branch', name: name.slice('refs/heads/'.length) };
    }
    if (name.startsWith('refs/tags/'))
      return { kind: 'tag', name: name.slice('refs/tags/'.length) };
    return { kind: 'ref', name };
  }
  if (ref.tag !== undefined) return { kind: 'tag', name: checkTag(ref.tag, 'ref.tag') };
  if (ref.semver !== undefined) {
    if (typeof ref.semver !== 'string' || ref.semver.trim() === '') {
      throw new GitError(
        'INVALID_ARGUMENT',
        'clone: `ref.semver` must be a semver range such as `^1.2`',
      );
    }
    if (typeof matchSemver !== 'function') {
      throw new GitError(
        'INVALID_ARGUMENT',
        'clone: `ref.semver` needs `matchSemver`, e.g. `matchSemver: (range, tags) => selectTag(tags, { policy: { semver: { range } } })` with selectTag from @tagsmith/policy',
      );
    }
    return { kind: 'semver', range: ref.semver };
  }
  if (ref.branch !== undefined) {
    return { kind: 'branch', name: checkBranch(ref.branch, 'ref.branch') };
  }
  return { kind: 'default' };
}

/** Options of {@link checkOut}. */
export interface CheckOutOptions {
  readonly depth: number;
  readonly sparse: readonly string[] | undefined;
  readonly matchSemver: MatchSemver;
  readonly signal: AbortSignal | undefined;
}

/**
 * Makes the repository in `cmd.dir` (an empty directory) and checks out `target` of `url`.
 *
 * @throws {GitError} `NOT_FOUND` (with `ref`) for a ref the remote lacks; what git throws.
 */
export async function checkOut(
  cmd: Commands,
  url: string,
  target: Target,
  options: CheckOutOptions,
): Promise<void> {
  const { signal } = options;
  const remote = cmd.settings.remote;
  await cmd.git(['init', '-q', `--initial-branch=${UNBORN}`], { signal }, 'clone: git init');
  await cmd.git(['remote', 'add', '--', remote, url], { signal }, 'clone: git remote add');
  if (options.sparse !== undefined) {
    await cmd.git(
      ['sparse-checkout', 'set', '--cone', '--stdin'],
      { signal, input: `${options.sparse.join('\n')}\n` },
      'clone: sparse checkout',
    );
  }
  const depth = options.depth > 0 ? ['--depth', String(options.depth)] : [];
  const fetch = (refspec: string, ref: string) =>
    cmd.network(
      ['fetch', '--no-tags', ...depth, '--', remote, refspec],
      { signal },
      { action: `clone: fetch ${ref} from ${cmd.remoteUrl}`, ref },
    );
  let resolved = target;
  if (resolved.kind === 'default')
    resolved = { kind: 'branch', name: await remoteHead(cmd, signal) };
  if (resolved.kind === 'semver') {
    const tag = await semverTag(cmd, resolved.range, options.matchSemver!, signal);
    resolved = { kind: 'tag', name: tag };
  }
  switch (resolved.kind) {
    case 'branch': {
      const { name } = resolved;
      await fetch(`+refs/heads/${name}:refs/remotes/${remote}/${name}`, name);
      await cmd.git(
        ['checkout', '-q', '-b', name, '--track', `${remote}/${name}`],
        { signal },
        `clone: check out ${name}`,
      );
      return;
    }
    case 'tag': {
      const { name } = resolved;
      await fetch(`+refs/tags/${name}:refs/tags/${name}`, name);
      await cmd.git(
        ['checkout', '-q', '--detach', `refs/tags/${name}`],
        { signal },
        `clone: check out tag ${name}`,
      );
      return;
    }
    case 'ref':
    case 'commit': {
      const ref = resolved.kind === 'ref' ? resolved.name : resolved.sha;
      await fetch(ref, ref);
      await cmd.git(
        ['checkout', '-q', '--detach', 'FETCH_HEAD'],
        { signal },
        `clone: check out ${ref}`,
      );
      return;
    }
  }
}

// The remote's default branch, from the symref its HEAD advertises.
async function remoteHead(cmd: Commands, signal: AbortSignal | undefined): Promise<string> {
  const out = await cmd.network(
    ['ls-remote', '--symref', '--', cmd.settings.remote, 'HEAD'],
    { signal },
    { action: `clone: ask ${cmd.remoteUrl} for its default branch` },
  );
  const branch = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out.stdout)?.[1];
  if (branch === undefined) {
    throw new GitError(
      'NOT_FOUND',
      `clone: ${cmd.remoteUrl} has no default branch (an empty repository?); name a ref to check out`,
      { remote: cmd.remoteUrl, ref: 'HEAD' },
    );
  }
  return branch;
}

// The tag `matchSemver` picks from the remote's tags (`git ls-remote --tags`).
async function semverTag(
  cmd: Commands,
  range: string,
  matchSemver: NonNullable<MatchSemver>,
  signal: AbortSignal | undefined,
): Promise<string> {
  const out = await cmd.network(
    ['ls-remote', '--tags', '--refs', '--', cmd.settings.remote],
    { signal },
    { action: `clone: list the tags of ${cmd.remoteUrl}` },
  );
  const tags = out.stdout
    .split('\n')
    .map((line) => /\trefs\/tags\/(.+)$/.exec(line)?.[1])
    .filter((tag): tag is string => tag !== undefined);
  const tag = matchSemver(range, tags);
  if (tag === undefined || tag === null) {
    throw new GitError(
      'NOT_FOUND',
      `clone: no tag of ${cmd.remoteUrl} matches the semver range ${JSON.stringify(range)} (${tags.length} tags)`,
      { remote: cmd.remoteUrl, ref: range },
    );
  }
  if (typeof tag !== 'string' || !tags.includes(tag)) {
    throw new GitError(
      'INVALID_ARGUMENT',
      `clone: \`matchSemver\` returned ${JSON.stringify(tag)}, which is not one of the tags it was given`,
    );
  }
  return tag;
}

/**
 * Makes `dir` if needed and says whether it existed.
 *
 * @throws {GitError} `INVALID_ARGUMENT` for a directory with files in it, or a file.
 */
export async function claimEmptyDirectory(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new GitError(
        'INVALID_ARGUMENT',
        `clone: ${dir} is not a directory that can be cloned into`,
      );
    }
    await mkdir(dir, { recursive: true });
    return false;
  }
  if (entries.length > 0) {
    throw new GitError(
      'INVALID_ARGUMENT',
      `clone: ${dir} is not empty; clone into a new or empty directory`,
    );
  }
  return true;
}

/** Undoes {@link claimEmptyDirectory} after a failed clone: empties a directory that existed, removes one it made. */
export async function releaseDirectory(dir: string, existed: boolean): Promise<void> {
  if (!existed) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  const entries = await readdir(dir).catch(() => []);
  await Promise.all(entries.map((entry) => rm(join(dir, entry), { recursive: true, force: true })));
}
