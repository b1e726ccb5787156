// biome-ignore-all lint/suspicious/noTemplateCurlyInString: extract templates use Go's ${name} syntax.
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  DEFAULT_EXCLUSIONS,
  excludeTags,
  PolicyError,
  selectTag,
} from '../src/index.js';

// Alphabetical over the extracted values shows the expansion directly: the
// winner is the tag whose expansion is greatest.
function expand(pattern: string, extract: string, tag: string): string | undefined {
  const policy = compilePolicy({ policy: { alphabetical: {} }, filterTags: { pattern, extract } });
  const entry = policy.explain([tag]).tags[0];
  return entry === undefined || entry.kind === 'filtered' ? undefined : entry.value;
}

describe('filterTags.extract follows Go Regexp.ExpandString', () => {
  it.each([
    ['(\\d+)-(\\w+)', '$1', '12-ab', '12'],
    ['(\\d+)-(\\w+)', '$2.$1', '12-ab', 'ab.12'],
    ['(\\d+)-(\\w+)', '${1}x', '12-ab', '12x'],
    ['(\\d+)-(\\w+)', '$1x', '12-ab', ''],
    ['(\\d+)-(\\w+)', '$$1', '12-ab', '$1'],
    ['(\\d+)-(\\w+)', '$0', 'v12-ab!', '12-ab'],
    ['(\\d+)-(\\w+)', '$9', '12-ab', ''],
    ['(\\d+)-(\\w+)', '$01', '12-ab', ''],
    ['(\\d+)-(\\w+)', 'a$', '12-ab', 'a$'],
    ['(\\d+)-(\\w+)', '$-', '12-ab', '$-'],
    ['(\\d+)-(\\w+)', '${1', '12-ab', '${1'],
    ['(\\d+)-(\\w+)', '${}', '12-ab', '${}'],
    ['(?P<num>\\d+)', '$num', 'rc-42', '42'],
    ['(?P<num>\\d+)', '${num}-x', 'rc-42', '42-x'],
    ['(?P<num>\\d+)', '$num_x', 'rc-42', ''],
    ['(?P<num>\\d+)', '$nope', 'rc-42', ''],
    ['(?<num>\\d+)', '$num', 'rc-42', '42'],
    ['(a)|(b)', '[$1][$2]', 'b', '[][b]'],
    ['(\\d+)', '$1', 'a1b22', '1'],
  ])('%s with %j on %j gives %j', (pattern, extract, tag, expected) => {
    expect(expand(pattern, extract, tag)).toBe(expected);
  });

  it('is unanchored and drops tags that do not match', () => {
    const spec = { policy: { alphabetical: {} }, filterTags: { pattern: 'rc' } };
    expect(selectTag(['1.0-rc1', 'zzz', 'main-rc'], spec)).toBe('main-rc');
  });

  it('extract without pattern is INVALID_FILTER', () => {
    expect(() =>
      compilePolicy({ policy: { alphabetical: {} }, filterTags: { extract: '$1' } }),
    ).toThrow(
      expect.objectContaining({ code: 'INVALID_FILTER', message: expect.stringContaining('"$1"') }),
    );
  });

  it('a non-string pattern is INVALID_FILTER', () => {
    expect(() =>
      compilePolicy({
        policy: { alphabetical: {} },
        filterTags: { pattern: 1 as unknown as string },
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_FILTER' }));
  });

  it.each(['(?=x)', '[a', 'a**', '(?P<n>a)(?P<n>b)', '\\8'])(
    'an invalid RE2 pattern %j is INVALID_PATTERN with RE2s complaint',
    (pattern) => {
      const error = expectCode(
        () => compilePolicy({ policy: { alphabetical: {} }, filterTags: { pattern } }),
        PolicyError,
        'INVALID_PATTERN',
      );
      expect(error.pattern).toBe(pattern);
      expect(error.message).toContain(pattern);
      expect(error.cause).toBeInstanceOf(Error);
      // RE2's complaint is passed on: the cause's message is part of the message.
      expect(error.message).toContain((error.cause as Error).message);
    },
  );

  it('runs patterns in linear time (no catastrophic backtracking)', () => {
    const spec = { policy: { alphabetical: {} }, filterTags: { pattern: '^(a+)+$' } };
    expect(selectTag([`${'a'.repeat(5000)}!`], spec)).toBeUndefined();
  });
});

describe('excludeTags', () => {
  it('drops cosign signatures by default', () => {
    expect(DEFAULT_EXCLUSIONS).toEqual(['^.*\\.sig$']);
    expect(excludeTags(['1.0.0', 'sha256-abc.sig'])).toEqual(['1.0.0']);
  });
  it('rejects an invalid pattern with INVALID_PATTERN naming its index', () => {
    expect(() => excludeTags(['a'], ['ok', '('])).toThrow(
      expect.objectContaining({
        code: 'INVALID_PATTERN',
        message: expect.stringContaining('exclusionList[1]'),
      }),
    );
  });
  it.each([
    ['tags not iterable', 5, undefined, 'tags'],
    ['tags null', null, undefined, 'tags'],
    ['patterns a string', ['a'], '^a$', 'patterns'],
    ['a pattern not a string', ['a'], ['ok', 5], 'patterns[1]'],
  ])('rejects %s with INVALID_ARGUMENT naming it', (_, tags, patterns, name) => {
    const error = expectCode(
      () => excludeTags(tags as unknown as string[], patterns as unknown as string[]),
      PolicyError,
      'INVALID_ARGUMENT',
    );
    expect(error.message).toContain(name);
  });
});

describe('select and explain take an iterable of tags', () => {
  const policy = compilePolicy({ policy: { alphabetical: {} } });
  it.each([5, null, undefined, {}])('rejects tags of %j with INVALID_ARGUMENT', (tags) => {
    for (const run of [() => policy.select(tags as never), () => policy.explain(tags as never)]) {
      const error = expectCode(run, PolicyError, 'INVALID_ARGUMENT');
      expect(error.message).toContain('tags');
    }
  });
});

describe('spec validation', () => {
  it.each([
    ['no spec', undefined],
    ['no policy', {}],
    ['empty policy', { policy: {} }],
    ['two strategies', { policy: { semver: { range: '*' }, numerical: {} } }],
    ['policy is a string', { policy: 'semver' }],
    ['semver without range', { policy: { semver: {} } }],
  ])('%s is INVALID_POLICY', (_name, spec) => {
    expect(() => compilePolicy(spec as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_POLICY' }),
    );
  });
  it('takes a Flux ImagePolicy spec as is', () => {
    const spec = {
      imageRepositoryRef: { name: 'podinfo' },
      policy: { semver: { range: '5.0.x' } },
    };
    expect(selectTag(['5.0.1', '5.0.3', '5.1.0'], spec as never)).toBe('5.0.3');
  });
});
