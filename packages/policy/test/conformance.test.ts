// Every case of the shared Flux conformance set (copied into fixtures/), each run
// on the tags as given, reversed, and shuffled: results must not depend on order.
import { readFileSync } from 'node:fs';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  excludeTags,
  type ImagePolicySpec,
  PolicyError,
  type PolicyErrorCode,
} from '../src/index.js';

interface Case {
  name: string;
  spec: ImagePolicySpec;
  tags: string[];
  expect?: string | null;
  throws?: { at: 'compile' | 'select'; code: PolicyErrorCode };
}
interface Exclusion {
  name: string;
  patterns: string[] | null;
  tags: string[];
  expect: string[];
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/conformance.json', import.meta.url), 'utf8'),
) as { cases: Case[]; exclusions: Exclusion[] };

// Deterministic Fisher-Yates with a small LCG, so failures reproduce.
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = Math.floor(state / 65536) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const orders: Array<[string, (tags: string[]) => string[]]> = [
  ['as given', (tags) => tags],
  ['reversed', (tags) => [...tags].reverse()],
  ['shuffled', (tags) => shuffled(tags, 7)],
];

describe('conformance: policies', () => {
  it('has every case of the shared set', () => {
    expect(fixtures.cases.length).toBe(51);
  });

  for (const c of fixtures.cases) {
    for (const [order, arrange] of orders) {
      it(`${c.name} (${order})`, () => {
        const tags = arrange(c.tags);
        if (c.throws?.at === 'compile') {
          expect(() => compilePolicy(c.spec)).toThrow(
            expect.objectContaining({ name: 'PolicyError', code: c.throws.code }),
          );
          return;
        }
        const policy = compilePolicy(c.spec);
        if (c.throws?.at === 'select') {
          expectCode(() => policy.select(tags), PolicyError, c.throws.code);
          expect(policy.explain(tags).error?.code).toBe(c.throws.code);
          return;
        }
        expect(policy.select(tags) ?? null).toBe(c.expect);
        expect(policy.explain(tags).selected ?? null).toBe(c.expect);
      });
    }
  }
});

describe('conformance: exclusion lists', () => {
  for (const e of fixtures.exclusions) {
    it(e.name, () => {
      expect(excludeTags(e.tags, e.patterns ?? undefined)).toEqual(e.expect);
    });
  }
});
