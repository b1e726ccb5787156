// Checks of the plain option values of LocalRepository (names and refs are in
// refname.ts, paths in paths.ts, credentials and keys beside their setup). Each throws
// INVALID_ARGUMENT naming the option; none quotes a value that could be a secret.

import { posix } from 'node:path';
import { GitError } from './errors.js';
import { redactUrl } from './redact.js';
import { hasControlCharacter } from './refname.js';
import type { Author } from './types.js';

function invalid(message: string): GitError {
  return new GitError('INVALID_ARGUMENT', message);
}

/** `value` when it is an object (an options bag), or `{}` for `undefined`. */
export function checkOptions<T extends object>(value: T | undefined, method: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null) {
    throw invalid(`${method}: the options must be an object`);
  }
  return value;
}

/** `author` when it has a non-empty `name` and `email` git can write (no `<`, `>` or line break). */
export function checkAuthor(author: unknown, option: string): Author {
  const a = author as Partial<Author> | undefined;
  const ok = (v: unknown): v is string => typeof v === 'string' && /^[^<>\n\r\0]+$/.test(v.trim());
  if (typeof a !== 'object' || a === null || !ok(a.name) || !ok(a.email)) {
    throw invalid(
      `\`${option}\` must be { name, email } with non-empty strings without <, > or line breaks`,
    );
  }
  return { name: a.name, email: a.email };
}

/** `message` when it is a string with something besides whitespace. */
export function checkMessage(message: unknown): string {
  if (typeof message !== 'string' || message.trim() === '' || message.includes('\0')) {
    throw invalid('`message` must be a non-empty string');
  }
  return message;
}

/** `value` when it is `undefined` or a boolean. */
export function checkBoolean(value: unknown, option: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw invalid(`\`${option}\` must be a boolean`);
  }
  return value;
}

/** `depth` when it is a non-negative integer (`0` for the whole history). */
export function checkDepth(depth: unknown): number {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0) {
    throw invalid(
      `\`depth\` must be a non-negative integer (0 for the whole history), got ${String(depth)}`,
    );
  }
  return depth;
}

/** The normalised directories of `sparse`, each repository-relative. */
export function checkSparse(sparse: unknown): string[] {
  if (!Array.isArray(sparse) || sparse.length === 0) {
    throw invalid('`sparse` must be a non-empty array of repository-relative directories');
  }
  return sparse.map((dir) => {
    const normal = typeof dir === 'string' ? posix.normalize(dir).replace(/\/+$/, '') : '';
    if (
      normal === '' ||
      normal === '.' ||
      normal.startsWith('/') ||
      normal === '..' ||
      normal.startsWith('../') ||
      /[\n\0]/.test(normal)
    ) {
      throw invalid(
        `\`sparse\` entries must be repository-relative directories, got ${JSON.stringify(dir)}`,
      );
    }
    return normal;
  });
}

/**
 * `url` when git can take it as a remote: not empty, no leading `-`, no control
 * characters, and no secret in it: no password, and no user info at all in an HTTP(S)
 * URL, where a token often sits in the user name (credentials go in `credentials`, never
 * in a URL that git would write to `.git/config`).
 */
export function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || url === '' || url.startsWith('-') || hasControlCharacter(url)) {
    throw invalid('clone: `url` must be a repository URL or path');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(url) || /^https?:\/\/[^/@]*@/i.test(url)) {
    throw invalid(
      `clone: ${redactUrl(url)} was given with credentials in the URL; pass them as \`credentials\` so they stay out of .git/config`,
    );
  }
  return url;
}
