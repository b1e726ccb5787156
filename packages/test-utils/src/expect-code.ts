import { expect } from 'vitest';

/** What `expectCode` accepts: a function that throws or rejects, or a promise that rejects. */
export type Failing = (() => unknown) | PromiseLike<unknown>;

/** An error class whose instances carry a `code`. */
// `never[]` parameters: any constructor signature is assignable, as `instanceof` accepts.
export type CodedErrorClass<E extends Error & { readonly code: string }> = abstract new (
  ...args: never[]
) => E;

/**
 * Asserts that `action` fails with an instance of `ErrorClass` whose `code` is
 * `code`, and returns that error for closer checks. Tests assert codes, never
 * message text by regex (test/README.md).
 *
 * A synchronous function is checked synchronously; a function returning a
 * promise, or a promise, is awaited — so always `await` the result.
 */
export function expectCode<E extends Error & { readonly code: string }>(
  action: () => never,
  ErrorClass: CodedErrorClass<E>,
  code: E['code'],
): E;
export function expectCode<E extends Error & { readonly code: string }>(
  action: () => PromiseLike<unknown>,
  ErrorClass: CodedErrorClass<E>,
  code: E['code'],
): Promise<E>;
export function expectCode<E extends Error & { readonly code: string }>(
  action: PromiseLike<unknown>,
  ErrorClass: CodedErrorClass<E>,
  code: E['code'],
): Promise<E>;
export function expectCode<E extends Error & { readonly code: string }>(
  action: () => unknown,
  ErrorClass: CodedErrorClass<E>,
  code: E['code'],
): E;
export function expectCode<E extends Error & { readonly code: string }>(
  action: Failing,
  ErrorClass: CodedErrorClass<E>,
  code: E['code'],
): E | Promise<E> {
  if (typeof action !== 'function') return settle(action, ErrorClass, code);
  let result: unknown;
  try {
    result = action();
  } catch (error) {
    return check(error, ErrorClass, code);
  }
  if (isThenable(result)) return settle(result, ErrorClass, code);
  return check(undefined, ErrorClass, code, 'returned instead of throwing');
}

async function settle<E extends Error & { readonly code: string }>(
  promise: PromiseLike<unknown>,
  ErrorClass: CodedErrorClass<E>,
  code: string,
): Promise<E> {
  let failed = false;
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    failed = true;
    error = e;
  }
  return check(error, ErrorClass, code, failed ? undefined : 'resolved instead of rejecting');
}

function check<E extends Error & { readonly code: string }>(
  error: unknown,
  ErrorClass: CodedErrorClass<E>,
  code: string,
  noFailure?: string,
): E {
  if (noFailure !== undefined)
    expect.fail(`expected ${ErrorClass.name} ${code}, but it ${noFailure}`);
  expect(error).toBeInstanceOf(ErrorClass);
  expect((error as E).code).toBe(code);
  return error as E;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
