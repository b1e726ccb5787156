// The names that become git arguments, after git-check-ref-format(1).
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { GitError } from './errors.js';
import {
  checkBranch,
  checkFullRef,
  checkObjectName,
  checkPushOption,
  checkRefspec,
  checkRemoteName,
  isValidRefName,
} from './refname.js';

describe('isValidRefName', () => {
  it.each(['main', 'tagsmith/update', 'release-1.2', 'a.b/c_d', 'refs/pull/1/head', 'v1.2.3'])(
    'accepts %j',
    (name) => {
      expect(isValidRefName(name)).toBe(true);
    },
  );
  it.each([
    '',
    '@',
    '-x',
    'a..b',
    'a b',
    'a\tb',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[',
    'a\\b',
    'a@{1}',
    '/a',
    'a/',
    'a//b',
    'a.',
    '.a',
    'a/.b',
    'a.lock',
    'a/b.lock/c',
  ])('refuses %j', (name) => {
    expect(isValidRefName(name)).toBe(false);
  });
});

describe('option checks', () => {
  it('accept what git takes and refuse the rest with INVALID_ARGUMENT', () => {
    expect(checkBranch('main', 'branch')).toBe('main');
    expectCode(() => checkBranch('refs/heads/main', 'branch'), GitError, 'INVALID_ARGUMENT');
    expectCode(() => checkBranch(1, 'branch'), GitError, 'INVALID_ARGUMENT');
    expect(checkFullRef('refs/pull/1/head', 'ref.name')).toBe('refs/pull/1/head');
    expectCode(() => checkFullRef('main', 'ref.name'), GitError, 'INVALID_ARGUMENT');
    expect(checkRemoteName('origin', 'remote')).toBe('origin');
    expectCode(() => checkRemoteName('-o', 'remote'), GitError, 'INVALID_ARGUMENT');
    expect(checkRefspec('+HEAD:refs/heads/x', 'refspec')).toBe('+HEAD:refs/heads/x');
    expectCode(() => checkRefspec('--mirror', 'refspec'), GitError, 'INVALID_ARGUMENT');
    expectCode(() => checkRefspec('a b', 'refspec'), GitError, 'INVALID_ARGUMENT');
    expect(checkPushOption('merge_request.target=main', 'pushOptions[0]')).toBe(
      'merge_request.target=main',
    );
    expectCode(() => checkPushOption('a\nb', 'pushOptions[0]'), GitError, 'INVALID_ARGUMENT');
    expect(checkObjectName('A'.repeat(40), 'ref.commit')).toBe('a'.repeat(40));
    expect(checkObjectName('b'.repeat(64), 'ref.commit')).toBe('b'.repeat(64));
    const short = expectCode(
      () => checkObjectName('abc123', 'ref.commit'),
      GitError,
      'INVALID_ARGUMENT',
    );
    expect(short.message).toContain('ref.commit');
  });
});
