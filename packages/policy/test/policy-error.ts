import { expect } from 'vitest';
import { PolicyError } from '../src/index.js';

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
