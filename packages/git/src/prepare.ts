// Laying out a branch's head in the working tree for an `apply` step. The tree is the
// automation's: a reset is `checkout -f -B` plus `clean -ffdx`, so nothing a previous
// attempt (or anyone) left in it survives. A shallow clone stays shallow: the base is
// fetched one commit deep.

import type { Commands } from './commands.js';

/**
 * HEAD when the working tree can be used as it is: the local `base` branch, tracking the
 * remote's, even with it (a fresh clone, or the state after a push), and clean (no change,
 * no untracked file: nothing a failed attempt left behind). `undefined` when anything
 * else is checked out and a reset is needed. One `git status`, no network.
 */
export async function unchangedHead(
  cmd: Commands,
  base: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const status = await cmd.exec(
    ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all', '--ignore-submodules'],
    { signal },
  );
  if (status.exitCode !== 0) return undefined;
  const headers = new Map<string, string>();
  for (const entry of status.stdout.split('\0')) {
    if (entry === '') continue;
    // Anything but a `# branch.*` header is a changed or untracked path.
    if (!entry.startsWith('# ')) return undefined;
    const [key, ...value] = entry.slice(2).split(' ');
    headers.set(key!, value.join(' '));
  }
  const clean =
    headers.get('branch.head') === base &&
    headers.get('branch.upstream') === `${cmd.settings.remote}/${base}` &&
    headers.get('branch.ab') === '+0 -0';
  return clean ? headers.get('branch.oid') : undefined;
}

/**
 * Fetches `base` and makes the working tree exactly its remote head, on a local branch
 * named `branch`.
 *
 * @returns The head.
 * @throws {GitError} `NOT_FOUND` when the remote has no `base`; what fetch throws.
 */
export async function resetTo(
  cmd: Commands,
  branch: string,
  base: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const remote = cmd.settings.remote;
  const tracking = `refs/remotes/${remote}/${base}`;
  const shallow = await cmd.isShallow(signal);
  await cmd.network(
    [
      'fetch',
      '--no-tags',
      ...(shallow ? ['--depth', '1'] : []),
      '--',
      remote,
      `+refs/heads/${base}:${tracking}`,
    ],
    { signal },
    { action: `prepare: fetch ${base} from ${cmd.remoteUrl}`, ref: base },
  );
  const head = (
    await cmd.git(['rev-parse', '--verify', tracking], { signal }, 'prepare')
  ).stdout.trim();
  await cmd.git(
    ['checkout', '-q', '-f', '-B', branch, head],
    { signal },
    `prepare: check out ${base}`,
  );
  await cmd.git(['clean', '-q', '-ffdx'], { signal }, 'prepare: clean the working tree');
  return head;
}
