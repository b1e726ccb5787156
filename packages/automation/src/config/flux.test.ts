// The Flux reader's pure helpers: update paths as the controller resolves them inside the
// clone, and the load-time checks of exclusion patterns and policy specs.
import { describe, expect, test } from 'vitest';
import { exclusionProblem, normalizeUpdatePath, policyProblem, policySpec } from './flux.js';

describe('normalizeUpdatePath', () => {
  test.each([
    [undefined, '.'],
    ['', '.'],
    ['.', '.'],
    ['./', '.'],
    ['./apps', 'apps'],
    ['apps/', 'apps'],
    ['apps//', 'apps'],
    ['apps\\prod', 'apps/prod'],
    ['apps/../base', 'base'],
    ['..a', '..a'],
    // The clone's root, as Flux's securejoin reads it.
    ['/', '.'],
  ])('%j is %j', (path, expected) => {
    expect(normalizeUpdatePath(path)).toBe(expected);
  });
  test.each(['..', '../x', '/etc', 'a/../../x', '\\abs'])('%j leaves the repository', (path) => {
    expect(normalizeUpdatePath(path)).toBeUndefined();
  });
});

describe('exclusionProblem', () => {
  test('none for valid patterns or none at all', () => {
    expect(exclusionProblem(undefined)).toBeUndefined();
    expect(exclusionProblem(['^dev-', '\\.sig$'])).toBeUndefined();
  });
  test('names the first pattern RE2 refuses by its index', () => {
    const problem = exclusionProblem(['^ok$', '(?=lookahead)', '(']);
    expect(problem?.index).toBe(1);
    expect(problem?.message).toMatch(/^exclusionList\[1\]: ./);
  });
});

describe('policySpec and policyProblem', () => {
  test('order defaults to asc; filterTags only with non-empty fields', () => {
    expect(policySpec({ numerical: {} }, { pattern: '', extract: '' })).toEqual({
      policy: { numerical: { order: 'asc' } },
    });
    expect(policySpec({ alphabetical: { order: 'desc' } }, { extract: '$1' })).toEqual({
      policy: { alphabetical: { order: 'desc' } },
      filterTags: { extract: '$1' },
    });
  });
  test('an empty choice is refused; a valid spec passes; the policy package explains the rest', () => {
    expect(policyProblem(policySpec({}, undefined))).toBe(
      'spec.policy must set exactly one of semver, alphabetical, numerical',
    );
    expect(policyProblem(policySpec({ semver: { range: '>=1.0.0' } }, undefined))).toBeUndefined();
    expect(policyProblem(policySpec({ numerical: {} }, { pattern: '(' }))).toEqual(
      expect.any(String),
    );
  });
});
