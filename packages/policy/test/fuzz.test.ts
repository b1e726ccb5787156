// Fuzzing through the public API, seeded and bounded (issue 7): specs of any
// shape (as plain JavaScript or a YAML file can hand over), ranges and
// patterns of random text, and tags of any characters. The contract under
// test: misuse and bad specs throw a PolicyError with a documented code and
// nothing else; a compiled policy's `select` returns a tag from the input or
// `undefined` (or throws INVALID_NUMBER for a numerical policy); `explain`
// never throws and agrees with `select`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, excludeTags, PolicyError, type PolicyErrorCode } from '../src/index.js';

const CODES: readonly PolicyErrorCode[] = [
  'INVALID_POLICY',
  'INVALID_RANGE',
  'INVALID_ORDER',
  'INVALID_PATTERN',
  'INVALID_FILTER',
  'INVALID_NUMBER',
];

const RUNS = { seed: 20261201, numRuns: 2000, interruptAfterTimeLimit: 10_000 };

// Text biased towards the characters ranges, versions and patterns are made of.
const versionish = fc.string({
  unit: fc.constantFrom(...'0123456789.-+vVxX*^~<>=!|, ()[]?P$abcrt'.split('')),
  maxLength: 24,
});
const text = fc.oneof(versionish, fc.string({ maxLength: 12 }));
const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  text,
  fc.array(text, { maxLength: 2 }),
  fc.dictionary(text, text, { maxKeys: 2 }),
);
const order = fc.oneof(fc.constantFrom('asc', 'desc', 'ASC', 'Desc', ''), junk);
const choice = fc.oneof(
  fc.record({ semver: fc.oneof(fc.record({ range: fc.oneof(versionish, junk) }), junk) }),
  fc.record({ alphabetical: fc.oneof(fc.record({ order }, { requiredKeys: [] }), junk) }),
  fc.record({ numerical: fc.oneof(fc.record({ order }, { requiredKeys: [] }), junk) }),
  fc.dictionary(fc.constantFrom('semver', 'alphabetical', 'numerical', 'other'), junk, {
    maxKeys: 3,
  }),
  junk,
);
const filter = fc.oneof(
  fc.record(
    {
      pattern: fc.oneof(
        fc.constantFrom('^v?(?P<v>[0-9.]+)$', '^main-(\\d+)$', '(', '(?=x)', '[z-a]', ''),
        text,
        junk,
      ),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's ExpandString syntax, not a JS template.
      extract: fc.oneof(fc.constantFrom('$v', '$1', '${v}', '$$', '$'), text, junk),
    },
    { requiredKeys: [] },
  ),
  junk,
);
const spec = fc.oneof(
  fc.record({ policy: choice, filterTags: filter }, { requiredKeys: [] }),
  junk,
);
const tags = fc.array(
  fc.oneof(
    versionish,
    fc.string({ maxLength: 10 }),
    fc.constantFrom('1.2.3', '1.2-rc.1', 'v2.0.0', 'main-12', '1e3', 'NaN'),
  ),
  { maxLength: 12 },
);

function expectPolicyError(error: unknown, allowed: readonly PolicyErrorCode[] = CODES): void {
  expect(error).toBeInstanceOf(PolicyError);
  expect(allowed).toContain((error as PolicyError).code);
}

describe('fuzz: compilePolicy, select and explain', () => {
  it('throw only documented PolicyErrors, and explain agrees with select', () => {
    fc.assert(
      fc.property(spec, tags, (candidate, input) => {
        let policy: ReturnType<typeof compilePolicy>;
        try {
          policy = compilePolicy(candidate as never);
        } catch (error) {
          expectPolicyError(error);
          return;
        }
        let selected: string | undefined;
        let failure: unknown;
        try {
          selected = policy.select(input);
        } catch (error) {
          expectPolicyError(error, ['INVALID_NUMBER']);
          failure = error;
        }
        if (selected !== undefined) expect(input).toContain(selected);
        const explanation = policy.explain(input);
        expect(explanation.tags).toHaveLength(input.length);
        if (failure === undefined) {
          expect(explanation.error).toBeUndefined();
          expect(explanation.selected).toBe(selected);
        } else {
          expect(explanation.error?.code).toBe('INVALID_NUMBER');
          expect(explanation.selected).toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it('excludeTags throws only INVALID_PATTERN, and keeps a subset in order', () => {
    fc.assert(
      fc.property(
        tags,
        fc.array(fc.oneof(text, versionish), { maxLength: 3 }),
        (input, patterns) => {
          let kept: string[];
          try {
            kept = excludeTags(input, patterns);
          } catch (error) {
            expectPolicyError(error, ['INVALID_PATTERN']);
            return;
          }
          let i = 0;
          for (const tag of kept) {
            while (i < input.length && input[i] !== tag) i++;
            expect(i).toBeLessThan(input.length);
            i++;
          }
        },
      ),
      RUNS,
    );
  });
});
