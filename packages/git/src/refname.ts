// Names that end up as git arguments: branch names, full ref names, refspecs, remote
// names, push options. git checks them too, but a name starting with `-` would be read
// as an option, and a clear INVALID_ARGUMENT naming the option beats git's usage text.
// The branch and ref rules are git-check-ref-format(1)'s.

import { GitError } from './errors.js';

// Rules 3-5, 8 and 10 of git-check-ref-format: `..`, `~^:?*[`, `@{` and backslash may
// appear nowhere; nor may control characters and space (hasControlOrSpace).
const FORBIDDEN = /\.\.|[~^:?*[\\]|@\{/;

/** Whether `text` has an ASCII control character (or, with `space`, a space) in it. */
export function hasControlCharacter(text: string, space = false): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || (space && code === 0x20)) return true;
  }
  return false;
}

/** Whether `name` is a valid ref name below `refs/` or a branch name (no `refs/` needed). */
export function isValidRefName(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-')) return false;
  if (FORBIDDEN.test(name) || hasControlCharacter(name, true)) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.includes('//')) {
    return false;
  }
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

function invalid(option: string, value: unknown, expected: string): GitError {
  return new GitError(
    'INVALID_ARGUMENT',
    `\`${option}\` must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`,
  );
}

/** `name` when it is a branch name such as `main` or `tagsmith/update`. */
export function checkBranch(name: unknown, option: string): string {
  if (typeof name !== 'string' || name.startsWith('refs/') || !isValidRefName(name)) {
    throw invalid(option, name, 'a branch name such as `main` (without `refs/heads/`)');
  }
  return name;
}

/** `name` when it is a full ref name such as `refs/heads/x` or `refs/pull/1/head`. */
export function checkFullRef(name: unknown, option: string): string {
  if (typeof name !== 'string' || !name.startsWith('refs/') || !isValidRefName(name)) {
    throw invalid(option, name, 'a full ref name such as `refs/heads/main` or `refs/pull/1/head`');
  }
  return name;
}

/** `name` when it is a tag name such as `v1.2.3` (without `refs/tags/`). */
export function checkTag(name: unknown, option: string): string {
  if (typeof name !== 'string' || name.startsWith('refs/') || !isValidRefName(name)) {
    throw invalid(option, name, 'a tag name such as `v1.2.3` (without `refs/tags/`)');
  }
  return name;
}

/** `name` when it is a remote name such as `origin`. */
export function checkRemoteName(name: unknown, option: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name)) {
    throw invalid(option, name, 'a remote name such as `origin`');
  }
  return name;
}

/**
 * `refspec` when it has the shape `[+]<src>:<dst>` or `[+]<ref>` with no whitespace or
 * control characters and no leading `-`; git checks the refs in it.
 */
export function checkRefspec(refspec: unknown, option: string): string {
  if (
    typeof refspec !== 'string' ||
    refspec === '' ||
    refspec.startsWith('-') ||
    hasControlCharacter(refspec, true)
  ) {
    throw invalid(option, refspec, 'a refspec such as `HEAD:refs/heads/release`');
  }
  return refspec;
}

/** `value` when it is a push option git can send: a string without line breaks or NUL. */
export function checkPushOption(value: unknown, option: string): string {
  if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
    throw invalid(option, value, 'a string without line breaks, e.g. `merge_request.create`');
  }
  return value;
}

/** `sha` when it is a full hex object name (40 hex digits for SHA-1, 64 for SHA-256). */
export function checkObjectName(sha: unknown, option: string): string {
  if (typeof sha !== 'string' || !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(sha)) {
    throw invalid(option, sha, 'a full commit SHA (40 or 64 hex digits)');
  }
  return sha.toLowerCase();
}
