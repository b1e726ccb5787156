// What git's (and ssh's, curl's, a host's) failure output means, on samples of the
// real text, LC_ALL=C.
import { describe, expect, it } from 'vitest';
import { classifyFailure, summarizeOutput } from './classify.js';

describe('classifyFailure', () => {
  it.each([
    [
      'Host key verification failed.\nfatal: Could not read from remote repository.',
      'HOST_KEY_REJECTED',
    ],
    ['@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @', 'HOST_KEY_REJECTED'],
    [
      'No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.',
      'HOST_KEY_REJECTED',
    ],
    [
      "remote: authentication required\nfatal: Authentication failed for 'http://h/r.git/'",
      'AUTH_FAILED',
    ],
    [
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      'AUTH_FAILED',
    ],
    [
      'git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.',
      'AUTH_FAILED',
    ],
    [
      "fatal: unable to access 'https://h/r.git/': The requested URL returned error: 403",
      'AUTH_FAILED',
    ],
    ['remote: HTTP Basic: Access denied', 'AUTH_FAILED'],
    ["fatal: unable to access 'https://nohost/r.git/': Could not resolve host: nohost", 'NETWORK'],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused', 'NETWORK'],
    [
      "fatal: unable to access 'https://h/': Failed to connect to h port 443 after 2 ms: Couldn't connect to server",
      'NETWORK',
    ],
    ['ssh: Could not resolve hostname nohost: Name or service not known', 'NETWORK'],
    [
      "fatal: unable to access 'https://h/': SSL certificate problem: self-signed certificate",
      'NETWORK',
    ],
    ['fatal: not a git repository (or any of the parent directories): .git', 'NOT_A_REPOSITORY'],
    ['fatal: this operation must be run in a work tree', 'NOT_A_REPOSITORY'],
    ["fatal: couldn't find remote ref refs/heads/nope", 'NOT_FOUND'],
    [
      'warning: Could not find remote branch nope to clone.\nfatal: Remote branch nope not found in upstream origin',
      'NOT_FOUND',
    ],
    ["fatal: '/tmp/missing.git' does not appear to be a git repository", 'NOT_FOUND'],
    [
      "remote: Repository not found.\nfatal: repository 'https://github.com/o/r.git/' not found",
      'NOT_FOUND',
    ],
    [
      'fatal: remote error: upload-pack: not our ref ffffffffffffffffffffffffffffffffffffffff',
      'NOT_FOUND',
    ],
    ['error: src refspec refs/heads/zzz does not match any', 'NOT_FOUND'],
    ['!\tHEAD:refs/heads/main\t[rejected] (fetch first)', 'conflict'],
    ['!\tHEAD:refs/heads/main\t[rejected] (non-fast-forward)', 'conflict'],
    ['!\tHEAD:refs/heads/main\t[rejected] (stale info)', 'conflict'],
    [
      "remote: error: cannot lock ref 'refs/heads/main': is at 1111111 but expected 2222222",
      'conflict',
    ],
    ['!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)', 'PUSH_REJECTED'],
    ['remote: error: GH006: Protected branch update failed for refs/heads/main.', 'PUSH_REJECTED'],
    ['!\tv1:refs/tags/v1\t[rejected] (already exists)', 'PUSH_REJECTED'],
    ['!\tHEAD:refs/heads/x\t[remote rejected] (shallow update not allowed)', 'PUSH_REJECTED'],
  ] as const)('%j is %s', (output, kind) => {
    expect(classifyFailure(output)).toBe(kind);
  });

  it('leaves anything else to COMMAND_FAILED', () => {
    expect(classifyFailure('fatal: bad object HEAD')).toBe(undefined);
    expect(classifyFailure('')).toBe(undefined);
  });
});

describe('summarizeOutput', () => {
  it('keeps the last meaningful lines, without hints or blank lines', () => {
    const output = 'one\n\nhint: do this\nhint: or that\ntwo\r\nthree  \n';
    expect(summarizeOutput(output)).toBe('one\ntwo\nthree');
    expect(summarizeOutput('a\nb\nc\nd', 2)).toBe('c\nd');
  });
});
