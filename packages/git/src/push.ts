// Pushing HEAD to a branch, then an optional refspec as a second push (as Flux does),
// with --porcelain so the outcome of each ref is read, not guessed: a lost race (the
// remote moved) is told apart from a refusal, and the branch's previous head is taken
// from git's `old..new` summary.

import { checkBoolean } from './checks.js';
import type { Commands } from './commands.js';
import { GitError } from './errors.js';
import type { PushOptions } from './local-options.js';
import { isLostRace, parsePushPorcelain, previousObjectOf } from './porcelain.js';
import { redactUrl } from './redact.js';
import {
  checkBranch,
  checkObjectName,
  checkPushOption,
  checkRefspec,
  checkRemoteName,
} from './refname.js';
import type { FailureContext } from './runner.js';
import type { PushResult } from './types.js';

/** What a push did, or that it lost a race for the branch. */
export type PushOutcome =
  | {
      kind: 'pushed';
      result: PushResult;
      /** The remote already had exactly this commit: nothing was sent. */
      upToDate: boolean;
    }
  | { kind: 'conflict'; branch: string };

/**
 * Pushes HEAD to `options.branch` (default: the checked-out branch), then `refspec`.
 *
 * @param known - Commits that may be the branch's previous head (saves a lookup).
 * @throws {GitError} `PUSH_REJECTED` for a refusal (a lost race is the `conflict`
 *   outcome), `INVALID_ARGUMENT`, and what the network throws.
 */
export async function pushHead(
  cmd: Commands,
  options: PushOptions,
  known: readonly string[],
): Promise<PushOutcome> {
  const remote =
    options.remote === undefined ? cmd.settings.remote : checkRemoteName(options.remote, 'remote');
  const force = checkBoolean(options.force, 'force') ?? false;
  const lease = options.forceWithLease;
  if (lease !== undefined && (typeof lease !== 'object' || lease === null)) {
    throw new GitError(
      'INVALID_ARGUMENT',
      '`forceWithLease` must be an object, e.g. `{ expect: sha }`',
    );
  }
  if (force && lease !== undefined) {
    throw new GitError('INVALID_ARGUMENT', 'push: give `force` or `forceWithLease`, not both');
  }
  // An empty `expect` is git's "the ref must not exist yet".
  const expect =
    lease?.expect === undefined || lease.expect === ''
      ? lease?.expect
      : checkObjectName(lease.expect, 'forceWithLease.expect');
  if (options.pushOptions !== undefined && !Array.isArray(options.pushOptions)) {
    throw new GitError('INVALID_ARGUMENT', '`pushOptions` must be an array of strings');
  }
  const pushOptions = (options.pushOptions ?? []).map((value, i) =>
    checkPushOption(value, `pushOptions[${i}]`),
  );
  const refspec =
    options.refspec === undefined ? undefined : checkRefspec(options.refspec, 'refspec');
  const { signal } = options;
  // HEAD, its parents (the usual previous head of a fast-forward) and the branch it is
  // on are read while the push runs, which changes none of them; only a lease on the
  // checked-out branch needs the branch's name before.
  const readHead = cmd
    .git(
      ['rev-parse', 'HEAD', 'HEAD^@', '--symbolic-full-name', 'HEAD'],
      { signal },
      'push: read HEAD',
    )
    .then((out): HeadState => {
      const lines = out.stdout.trim().split('\n');
      return { sha: lines[0]!, parents: lines.slice(1, -1), ref: lines.at(-1)! };
    });
  readHead.catch(() => {});
  let branch = options.branch === undefined ? undefined : checkBranch(options.branch, 'branch');
  if (branch === undefined && lease !== undefined) branch = checkedOutBranch(await readHead);
  const remoteUrl =
    remote === cmd.settings.remote ? cmd.remoteUrl : await urlOf(cmd, remote, signal);
  const common = [
    '--porcelain',
    ...(force ? ['--force'] : []),
    ...pushOptions.map((value) => `--push-option=${value}`),
  ];
  const leaseFlag =
    lease === undefined
      ? []
      : [`--force-with-lease=refs/heads/${branch}${expect === undefined ? '' : `:${expect}`}`];
  const context: FailureContext = {
    action: `push to ${branch ?? 'the checked-out branch'} on ${remoteUrl}`,
    remote: remoteUrl,
    ...(branch === undefined ? {} : { ref: branch }),
  };
  // Plain `HEAD` pushes the checked-out branch to the branch of the same name.
  const source = branch === undefined ? 'HEAD' : `HEAD:refs/heads/${branch}`;
  const args = ['push', ...common, ...leaseFlag, '--', remote, source];
  const [state, out] = await Promise.all([readHead, cmd.network(args, { signal }, context, false)]);
  const head = state.sha;
  branch ??= checkedOutBranch(state);
  const target = `refs/heads/${branch}`;
  const line = parsePushPorcelain(out.stdout).find((ref) => ref.to === target);
  if (out.exitCode !== 0) {
    if (line?.flag === '!' && isLostRace(line.summary, out.stderr)) {
      cmd.settings.logger?.warn?.(`${branch}: push rejected, the remote moved (${line.summary})`);
      return { kind: 'conflict', branch };
    }
    throw cmd.settings.runner.failure(args, out, { ...context, ref: branch });
  }
  const before = await previousHead(
    cmd,
    line,
    head,
    [...(expect ? [expect] : []), ...known, ...state.parents],
    signal,
  );
  if (refspec !== undefined) {
    await cmd.network(
      ['push', ...common, '--', remote, refspec],
      { signal },
      {
        action: `push ${refspec} to ${remoteUrl}`,
        remote: remoteUrl,
        ref: refspec,
      },
    );
  }
  const result: PushResult = {
    remote: remoteUrl,
    branch,
    ...(before === undefined ? {} : { before }),
    after: head,
    forced: line?.flag === '+',
    ...(refspec === undefined ? {} : { refspec }),
  };
  cmd.settings.logger?.info?.(
    `pushed ${head.slice(0, 12)} to ${branch} on ${remoteUrl}${result.forced ? ' (forced)' : ''}${refspec === undefined ? '' : `, then ${refspec}`}`,
  );
  return { kind: 'pushed', result, upToDate: line?.flag === '=' };
}

/** HEAD as a push reads it. */
interface HeadState {
  readonly sha: string;
  readonly parents: readonly string[];
  /** `refs/heads/<branch>`, or `HEAD` when detached. */
  readonly ref: string;
}

// The branch HEAD is on, for a push that names none.
function checkedOutBranch({ ref }: HeadState): string {
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  throw new GitError(
    'INVALID_ARGUMENT',
    'push: HEAD is detached (a tag or commit checkout); name the `branch` to push to',
  );
}

// The branch's head before the push, from git's abbreviated `old..new`: one of the
// commits the caller knows, or the local object the abbreviation names.
async function previousHead(
  cmd: Commands,
  line: { flag: string; summary: string } | undefined,
  head: string,
  known: readonly string[],
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  if (line === undefined || line.flag === '*') return undefined;
  if (line.flag === '=') return head;
  const short = previousObjectOf(line.summary);
  if (short === undefined) return undefined;
  const match = known.find((sha) => sha.startsWith(short));
  if (match !== undefined) return match;
  const out = await cmd.exec(['rev-parse', '--verify', '-q', `${short}^{commit}`], { signal });
  // A forced push over history this clone never fetched: git's abbreviation is all there is.
  return out.exitCode === 0 ? out.stdout.trim() : short;
}

async function urlOf(
  cmd: Commands,
  remote: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const out = await cmd.exec(['remote', 'get-url', '--', remote], { signal });
  return out.exitCode === 0 ? redactUrl(out.stdout.trim()) : remote;
}
