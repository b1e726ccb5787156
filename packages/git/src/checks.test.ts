// checkUrl: which remote URLs a clone takes. A secret must never reach .git/config, so an
// HTTP(S) URL with any user info (a token often sits in the user name) is refused, as is a
// password in any URL; an ssh user name is no secret and stays allowed.
import { expectCode, SECRET_CANARY } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { checkUrl } from './checks.js';
import { GitError } from './errors.js';

describe('checkUrl', () => {
  it.each([
    `http://${SECRET_CANARY}@example.com/r.git`,
    `https://${SECRET_CANARY}@example.com/r.git`,
    `HTTPS://${SECRET_CANARY}@example.com/r.git`,
    `https://bot:${SECRET_CANARY}@example.com/r.git`,
    `ssh://git:${SECRET_CANARY}@example.com/r.git`,
    `http://@example.com/r.git`,
  ])('refuses %s with INVALID_ARGUMENT, the secret not in the message', (url) => {
    const error = expectCode(() => checkUrl(url), GitError, 'INVALID_ARGUMENT');
    expect(error.message).not.toContain(SECRET_CANARY);
  });

  it.each([
    'https://example.com/r.git',
    'http://example.com:8080/r.git',
    'https://example.com/r@v2.git',
    'ssh://git@example.com/r.git',
    'git@github.com:org/r.git',
    '/srv/git/r.git',
  ])('takes %s as it is', (url) => {
    expect(checkUrl(url)).toBe(url);
  });

  it.each([
    ['an empty string', ''],
    ['an option', '--upload-pack=x'],
    ['a newline', 'https://h/r\n'],
    ['a number', 7],
  ])('refuses %s with INVALID_ARGUMENT', (_, url) => {
    expectCode(() => checkUrl(url), GitError, 'INVALID_ARGUMENT');
  });
});
