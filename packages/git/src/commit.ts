// A commit of exactly the named files. Flux stages every change in the worktree; an
// automation that templated two files must not sweep in a third that something else
// touched, so: update-index stages the named paths (literally, a missing one as a
// deletion), diff --cached tells which of them differ from HEAD, and `commit --only`
// commits those from a temporary index built on HEAD, leaving anything else that was
// staged staged and out of the commit. Signing (signing.ts) is set up for the one
// commit and removed after it.

import { checkAuthor, checkMessage } from './checks.js';
import type { Commands } from './commands.js';
import type { CommitOptions } from './local-options.js';
import { checkRepositoryPaths } from './paths.js';
import { parseCommitObject } from './porcelain.js';
import type { Scrubber } from './redact.js';
import { checkSigningKey, type SigningSetup, setUpSigning, signingSecrets } from './signing.js';
import type { Author, CommitResult } from './types.js';

/**
 * Commits exactly `options.files` onto HEAD; see {@link LocalRepository.commit}.
 *
 * @returns The commit, or `undefined` when the files equal HEAD's.
 */
export async function commitFiles(
  cmd: Commands,
  options: CommitOptions,
): Promise<CommitResult | undefined> {
  const message = checkMessage(options.message);
  const author = checkAuthor(options.author, 'author');
  const committer =
    options.committer === undefined ? author : checkAuthor(options.committer, 'committer');
  const signing = options.signing === undefined ? undefined : checkSigningKey(options.signing);
  const files = await checkRepositoryPaths(cmd.dir, options.files);
  if (files.length === 0) return undefined;
  const { settings } = cmd;
  const scrubber =
    signing === undefined ? settings.scrubber : settings.scrubber.with(signingSecrets(signing));
  // Before anything is staged: a key that cannot be imported fails here.
  const setup =
    signing === undefined
      ? undefined
      : await setUpSigning(signing, {
          tmp: settings.tmp,
          env: settings.env,
          scrubber,
          signal: options.signal,
        });
  try {
    return await stageAndCommit(cmd, files, {
      message,
      author,
      committer,
      setup,
      scrubber,
      signal: options.signal,
    });
  } finally {
    await setup?.dispose();
  }
}

async function stageAndCommit(
  cmd: Commands,
  files: readonly string[],
  options: {
    message: string;
    author: Author;
    committer: Author;
    setup: SigningSetup | undefined;
    scrubber: Scrubber;
    signal: AbortSignal | undefined;
  },
): Promise<CommitResult | undefined> {
  const { signal, scrubber, setup } = options;
  await cmd.git(
    ['update-index', '--add', '--remove', '-z', '--stdin'],
    { signal, input: `${files.join('\0')}\0`, scrubber },
    'commit: stage the files',
  );
  // Without a commit argument, `diff --cached` compares with HEAD, or with nothing on
  // an unborn branch; --no-renames keeps both sides of a move in the list.
  const diff = await cmd.git(
    [
      '--literal-pathspecs',
      'diff',
      '--cached',
      '--name-only',
      '-z',
      '--no-renames',
      '--',
      ...files,
    ],
    { signal, scrubber },
    'commit: compare the files with HEAD',
  );
  const changed = diff.stdout.split('\0').filter((path) => path !== '');
  if (changed.length === 0) return undefined;
  const args = [
    '--literal-pathspecs',
    'commit',
    '-q',
    '--only',
    '--no-verify',
    '--cleanup=whitespace',
    '-F',
    '-',
    ...(setup?.args ?? []),
    '--',
    ...changed,
  ];
  const committed = await cmd.exec(args, {
    signal,
    scrubber,
    input: options.message,
    env: { ...identity(options.author, options.committer), ...setup?.env },
    ...(setup === undefined ? {} : { config: setup.config }),
  });
  if (committed.exitCode !== 0) {
    throw cmd.settings.runner.failure(
      args,
      committed,
      { action: 'commit', fallback: setup === undefined ? 'COMMAND_FAILED' : 'SIGNING_FAILED' },
      scrubber,
    );
  }
  const raw = await cmd.git(
    ['cat-file', '--batch'],
    { signal, input: 'HEAD\n' },
    'commit: read the commit',
  );
  const object = parseCommitObject(raw.stdout);
  const result: CommitResult = {
    sha: object.sha,
    tree: object.tree,
    ...(object.parents[0] === undefined ? {} : { parent: object.parents[0] }),
    message: object.message,
    files: [...changed].sort(),
    signed: object.signed,
  };
  const subject = result.message.split('\n', 1)[0];
  cmd.settings.logger?.info?.(
    scrubber.scrub(
      `committed ${result.sha.slice(0, 12)}${result.signed ? ' (signed)' : ''}: ${subject} (${result.files.length} file(s))`,
    ),
  );
  return result;
}

// Author and committer through the environment, so no config is read or written.
function identity(author: Author, committer: Author): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}
