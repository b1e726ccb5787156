// What a failed git command's output means. git has no machine-readable failure codes,
// so the package runs it with LC_ALL=C and reads the English text it (and ssh, curl,
// the remote's hooks) printed. The patterns are those of git 2.x, OpenSSH and the big
// hosts (GitHub, GitLab, Gitea, Bitbucket); anything unrecognised is COMMAND_FAILED.

import type { GitErrorCode } from './errors.js';

/**
 * A failure's meaning: a {@link GitErrorCode}, or `conflict` for a push the remote
 * refused because it moved (non-fast-forward, fetch first, a lease that no longer
 * holds), which `publish` answers with a retry instead of an error.
 */
export type FailureKind =
  | Extract<
      GitErrorCode,
      | 'AUTH_FAILED'
      | 'HOST_KEY_REJECTED'
      | 'NETWORK'
      | 'NOT_A_REPOSITORY'
      | 'NOT_FOUND'
      | 'PUSH_REJECTED'
    >
  | 'conflict';

// Order matters: ssh prints "Host key verification failed." and then git's generic
// "Could not read from remote repository", and an HTTP 401 arrives wrapped in
// "unable to access", so the specific causes are tried first.
const RULES: ReadonlyArray<readonly [FailureKind, RegExp]> = [
  [
    'HOST_KEY_REJECTED',
    /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known for/,
  ],
  [
    'AUTH_FAILED',
    new RegExp(
      [
        'Authentication failed',
        'could not read (?:Username|Password)',
        'terminal prompts disabled',
        'Permission denied \\(',
        'returned error: 40[13]',
        'HTTP Basic: Access denied',
        'Invalid username or password',
        'Invalid credentials',
      ].join('|'),
      'i',
    ),
  ],
  [
    'NETWORK',
    new RegExp(
      [
        'Could not resolve host',
        'Could not resolve hostname',
        'Connection refused',
        'Connection timed out',
        'Operation timed out',
        'Failed to connect to',
        'Network is unreachable',
        'No route to host',
        'Connection reset by peer',
        'Connection closed by remote host',
        'SSL certificate problem',
        'server certificate verification failed',
        'gnutls_handshake\\(\\) failed',
        'SSL_connect',
      ].join('|'),
      'i',
    ),
  ],
  ['NOT_A_REPOSITORY', /not a git repository|must be run in a work tree/i],
  [
    'NOT_FOUND',
    new RegExp(
      [
        "couldn't find remote ref",
        'Remote branch \\S+ not found',
        'does not appear to be a git repository',
        "repository '[^']*' not found",
        'Repository not found',
        'returned error: 404',
        'not our ref',
        'unadvertised object',
        'src refspec \\S+ does not match any',
      ].join('|'),
      'i',
    ),
  ],
  [
    'conflict',
    /\[rejected\][^\n]*\((?:non-fast-forward|fetch first|stale info)\)|Updates were rejected because the (?:tip|remote)|cannot lock ref '[^']*': is at [0-9a-f]+ but expected|incorrect old value provided/,
  ],
  [
    'PUSH_REJECTED',
    /\[remote rejected\]|\[rejected\]|hook declined|protected branch|GH006|pre-receive hook|shallow update not allowed/i,
  ],
];

/** The meaning of a failed command's output, or `undefined` when no rule knows it. */
export function classifyFailure(output: string): FailureKind | undefined {
  for (const [kind, pattern] of RULES) if (pattern.test(output)) return kind;
  return undefined;
}

/**
 * The lines of git's output worth quoting in an error: the `fatal:`/`error:`/`remote:`
 * lines and ssh's complaints, without `hint:` advice and blank lines, at most `max`.
 */
export function summarizeOutput(output: string, max = 6): string {
  const lines = output
    .split(/\r?\n|\r/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !line.startsWith('hint:'));
  const shown = lines.slice(-max);
  return shown.join('\n');
}
