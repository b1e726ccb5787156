import { expect } from 'vitest';
import { PolicyError } from '../src/index.js';

// Kept only for semver.test.ts, ordered.test.ts and masterminds.test.ts, whose
// error assertions the logger-kind branch is rewriting (`position` -> `column`):
// once that merges they call expectCode from @tagsmith/test-utils and this file goes.
/** Runs `action`, asserts it threw a `PolicyError`, and returns that error for closer checks. */
export function policyErrorFrom(action: () => unknown): PolicyError {
  let error: unknown;
  try {
    action();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PolicyError);
  return error as PolicyError;
}
