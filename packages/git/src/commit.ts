// A commit of exactly the named files. Flux stages every change in the worktree; an
// automation that templated two files must not sweep in a third that something else
// touched, so: update-index stages the named paths (literally, a missing one as a
// deletion), and `commit --only` commits them from a temporary index built on HEAD,
// leaving anything else that was staged staged and out of the commit; one `git show`
// then reads what was committed. Three git processes, as few as `git add`, `git
// commit` and a read. Signing (signing.ts) is set up for the one commit and removed
// after it.

import { checkAuthor, checkMessage } from './checks.js';
import type { Commands } from './commands.js';
import type { CommitOptions } from './local-options.js';
import { checkRepositoryPaths } from './paths.js';
import { parseShownCommit } from './porcelain.js';
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

/** What staging and committing need, checked and set up by `commitFiles`. */
interface CommitStep {
  message: string;
  author: Author;
  committer: Author;
  setup: SigningSetup | undefined;
  scrubber: Scrubber;
  signal: AbortSignal | undefined;
}

async function stageAndCommit(
  cmd: Commands,
  files: readonly string[],
  options: CommitStep,
): Promise<CommitResult | undefined> {
  const { signal, scrubber } = options;
  await cmd.git(
    ['update-index', '--add', '--remove', '-z', '--stdin'],
    { signal, input: `${files.join('\0')}\0`, scrubber },
    'commit: stage the files',
  );
  let committed = await commitOnly(cmd, files, options);
  // A named path git has never seen (not in HEAD, the index or the tree) makes
  // `commit --only` refuse the whole list; commit the ones that differ from HEAD instead.
  if (committed === 'unknown-path') {
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
    committed = changed.length === 0 ? 'nothing' : await commitOnly(cmd, changed, options);
  }
  if (committed !== 'committed') return undefined;
  // One read for all the result needs: the raw headers (a gpgsig header is a
  // signature, read without verifying it), the message, and the paths it changed.
  const shown = await cmd.git(
    ['show', '--no-renames', '--name-only', '-z', '--format=raw', 'HEAD', '--'],
    { signal, scrubber },
    'commit: read the commit',
  );
  const object = parseShownCommit(shown.stdout);
  const result: CommitResult = {
    sha: object.sha,
    tree: object.tree,
    ...(object.parents[0] === undefined ? {} : { parent: object.parents[0] }),
    message: object.message,
    files: [...object.files].sort(),
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

// `commit --only` commits these paths from a temporary index built on HEAD, so what
// else was staged stays staged and out of the commit; -uno spares it the scan for
// untracked files, which a commit of named paths never needs.
async function commitOnly(
  cmd: Commands,
  paths: readonly string[],
  options: CommitStep,
): Promise<'committed' | 'nothing' | 'unknown-path'> {
  const { setup, scrubber } = options;
  const args = [
    '--literal-pathspecs',
    'commit',
    '-q',
    '--only',
    '--untracked-files=no',
    '--no-verify',
    '--cleanup=whitespace',
    '-F',
    '-',
    ...(setup?.args ?? []),
    '--',
    ...paths,
  ];
  const out = await cmd.exec(args, {
    signal: options.signal,
    scrubber,
    input: options.message,
    env: { ...identity(options.author, options.committer), ...setup?.env },
    ...(setup === undefined ? {} : { config: setup.config }),
  });
  if (out.exitCode === 0) return 'committed';
  if (out.exitCode === 1) {
    // git's status summary when the paths equal HEAD (LC_ALL=C).
    if (
      /^(?:nothing to commit|nothing added to commit|no changes added to commit)/m.test(out.stdout)
    ) {
      return 'nothing';
    }
    if (/pathspec '.*' did not match any file\(s\) known to git/.test(out.stderr))
      return 'unknown-path';
  }
  throw cmd.settings.runner.failure(
    args,
    out,
    { action: 'commit', fallback: setup === undefined ? 'COMMAND_FAILED' : 'SIGNING_FAILED' },
    scrubber,
  );
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
