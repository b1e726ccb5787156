import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { expectCode, expectNoSecret, SECRET_CANARY, tempDir } from './index.js';

class CodedError extends Error {
  override readonly name = 'CodedError';
  constructor(
    readonly code: 'A' | 'B',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const fail = (code: 'A' | 'B') => {
  throw new CodedError(code, 'nope');
};

describe('expectCode', () => {
  it('returns the error a sync function throws, an async one rejects with, or a promise rejects with', async () => {
    expect(expectCode(() => fail('A'), CodedError, 'A').code).toBe('A');
    expect((await expectCode(async () => fail('B'), CodedError, 'B')).code).toBe('B');
    expect((await expectCode(Promise.reject(new CodedError('A', 'x')), CodedError, 'A')).code).toBe(
      'A',
    );
  });
  it('fails on another code, another class, or no failure at all', async () => {
    expect(() => expectCode(() => fail('A'), CodedError, 'B')).toThrow();
    expect(() =>
      expectCode(
        () => {
          throw new Error('plain');
        },
        CodedError,
        'A',
      ),
    ).toThrow();
    expect(() => expectCode(() => 1, CodedError, 'A')).toThrow();
    await expect(expectCode(Promise.resolve(1), CodedError, 'A')).rejects.toThrow();
    await expect(expectCode(async () => 1, CodedError, 'A')).rejects.toThrow();
  });
});

describe('expectNoSecret', () => {
  it('passes on an error that does not hold the secret', () => {
    expectNoSecret(new CodedError('A', 'token=REDACTED'));
  });
  it('finds the secret in the message, in a field, and down the cause chain', () => {
    expect(() => expectNoSecret(new Error(`bad ${SECRET_CANARY}`))).toThrow();
    expect(() => expectNoSecret(Object.assign(new Error('x'), { url: SECRET_CANARY }))).toThrow();
    const deep = new Error('outer', {
      cause: new Error('mid', { cause: { header: SECRET_CANARY } }),
    });
    expect(() => expectNoSecret(deep)).toThrow();
    expect(() => expectNoSecret(['line', `Basic ${SECRET_CANARY}`])).toThrow();
  });
});

describe('tempDir', () => {
  it('makes a directory and removes it on remove() and on dispose', async () => {
    const dir = await tempDir('utils');
    await access(dir.path);
    await dir.remove();
    await expect(access(dir.path)).rejects.toMatchObject({ code: 'ENOENT' });
    const other = await tempDir();
    await other[Symbol.asyncDispose]();
    await expect(access(other.path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
