import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/index.js';

describe('explain', () => {
  it('says what happened to every tag, in input order', () => {
    const policy = compilePolicy({
      policy: { semver: { range: '>=1.0.0 <2.0.0' } },
      filterTags: { pattern: '^(v?[0-9].*|latest)$' },
    });
    const tags = ['1.4.2', 'v1.4.2', 'dev-1', 'latest', '2.0.0', '1.5.0-rc.1', '1.3.0', '1.4.2+b1'];
    const result = policy.explain(tags);
    expect(result.selected).toBe('v1.4.2');
    expect(result.selected).toBe(policy.select(tags));
    expect(result.tags.map((t) => [t.tag, t.kind])).toEqual([
      ['1.4.2', 'beaten'],
      ['v1.4.2', 'selected'],
      ['dev-1', 'filtered'],
      ['latest', 'unparseable'],
      ['2.0.0', 'out-of-range'],
      ['1.5.0-rc.1', 'prerelease'],
      ['1.3.0', 'beaten'],
      ['1.4.2+b1', 'beaten'],
    ]);
    const beaten = result.tags[0];
    expect(beaten).toMatchObject({ by: 'v1.4.2', reason: expect.stringContaining('same version') });
    expect(result.tags[6]).toMatchObject({
      by: 'v1.4.2',
      reason: expect.stringContaining('lower version'),
    });
    expect(result.tags[2]?.reason).toContain('filterTags.pattern');
    expect(result.summary).toContain('selected "v1.4.2"');
  });

  it('explains an empty result', () => {
    const result = compilePolicy({ policy: { semver: { range: '^3' } } }).explain(['1.0.0', 'x']);
    expect(result.selected).toBeUndefined();
    expect(result.summary).toMatch(/no tag selected/);
  });

  it('reports a numerical failure instead of throwing', () => {
    const result = compilePolicy({ policy: { numerical: {} } }).explain(['1', 'x', '2']);
    expect(result.selected).toBeUndefined();
    expect(result.error?.code).toBe('INVALID_NUMBER');
    expect(result.tags.map((t) => t.kind)).toEqual(['blocked', 'unparseable', 'blocked']);
  });

  it('shows extracted values and returns original tags', () => {
    const result = compilePolicy({
      policy: { numerical: { order: 'desc' } },
      filterTags: { pattern: '-(\\d+)$', extract: '$1' },
    }).explain(['b-3', 'b-1', 'c']);
    expect(result.selected).toBe('b-1');
    expect(result.tags[0]).toMatchObject({ kind: 'beaten', value: '3', by: 'b-1' });
  });

  it('calls a prerelease "prerelease" only when the prerelease rule alone kept it out', () => {
    const policy = compilePolicy({ policy: { semver: { range: '>=3.0.0-0 <3.1.0 || 1.x' } } });
    const result = policy.explain(['1.9.1-rc.1', '3.0.0-rc.1', '2.0.0-rc.1', '1.9.0']);
    expect(result.tags.map((t) => [t.tag, t.kind])).toEqual([
      ['1.9.1-rc.1', 'prerelease'],
      ['3.0.0-rc.1', 'selected'],
      ['2.0.0-rc.1', 'out-of-range'],
      ['1.9.0', 'beaten'],
    ]);
    expect(result.tags[0]?.reason).toContain('>=1.0.0-0');
    const plain = compilePolicy({ policy: { semver: { range: '^1' } } }).explain(['5.0.0-rc.1']);
    expect(plain.tags[0]?.kind).toBe('out-of-range');
  });

  it('says when a tag was read with missing parts filled in, and as what', () => {
    const policy = compilePolicy({ policy: { semver: { range: '>=1.0.0-0 <2' } } });
    const result = policy.explain(['1.2-rc.1', '1.1.0', '2+1.sha.abc', '1.2.3.4']);
    expect(result.selected).toBe('1.2-rc.1');
    expect(result.tags).toEqual([
      expect.objectContaining({ kind: 'selected', coerced: '1.2.0-rc.1' }),
      expect.objectContaining({ kind: 'beaten', by: '1.2-rc.1' }),
      expect.objectContaining({ kind: 'out-of-range', coerced: '2.0.0+1.sha.abc' }),
      expect.objectContaining({ kind: 'unparseable' }),
    ]);
    expect(result.tags[0]?.reason).toContain('read as 1.2.0-rc.1 (missing parts filled with 0)');
    expect(result.tags[2]?.reason).toContain('read as 2.0.0+1.sha.abc');
    // Tags that spell all three parts, and tags that are no version, carry no `coerced`.
    expect(result.tags[1]).not.toHaveProperty('coerced');
    expect(result.tags[3]).not.toHaveProperty('coerced');
  });

  it('ties a filled-in version with its full spelling by the greatest tag', () => {
    const policy = compilePolicy({ policy: { semver: { range: '>=1.0.0-0' } } });
    for (const tags of [
      ['1.2-rc.1', '1.2.0-rc.1'],
      ['1.2.0-rc.1', '1.2-rc.1'],
    ]) {
      const result = policy.explain(tags);
      // "1.2.0-rc.1" > "1.2-rc.1" in byte order ("." 0x2e after "-" 0x2d).
      expect(result.selected).toBe('1.2.0-rc.1');
      const short = result.tags.find((entry) => entry.tag === '1.2-rc.1');
      expect(short).toMatchObject({ kind: 'beaten', by: '1.2.0-rc.1', coerced: '1.2.0-rc.1' });
      expect(short?.reason).toContain('same version as "1.2.0-rc.1"');
      expect(short?.reason).toContain('read as 1.2.0-rc.1');
    }
  });

  it('names the filled-in version of a prerelease kept out by the prerelease rule', () => {
    const result = compilePolicy({ policy: { semver: { range: '1.x' } } }).explain([
      'v1.2-beta.5',
      '1.0.0',
    ]);
    expect(result.tags[0]).toMatchObject({ kind: 'prerelease', coerced: '1.2.0-beta.5' });
    expect(result.tags[0]?.reason).toContain('read as 1.2.0-beta.5');
  });

  it('counts the dots and fills in the parts of the extracted value, not of the tag', () => {
    const result = compilePolicy({
      policy: { semver: { range: '*' } },
      filterTags: { pattern: '^[a-z.]*-(?P<v>.*)$', extract: '$v' },
    }).explain(['x.y-3+build.5', 'x-3+build.5.1']);
    expect(result.tags).toEqual([
      expect.objectContaining({ kind: 'unparseable', value: '3+build.5' }),
      expect.objectContaining({
        kind: 'selected',
        value: '3+build.5.1',
        coerced: '3.0.0+build.5.1',
      }),
    ]);
  });

  it('tells a tag skipped for its dots alone from one that is no version', () => {
    const result = compilePolicy({ policy: { semver: { range: '*' } } }).explain([
      '1.2',
      'v1',
      '1.2-rc1',
      'latest',
      '1.2.3.4',
      'V1.2-rc.1',
    ]);
    expect(result.tags.every((entry) => entry.kind === 'unparseable')).toBe(true);
    const dots = result.tags.map((entry) => entry.reason.includes('fewer than two "."'));
    expect(dots).toEqual([true, true, true, false, false, false]);
    expect(result.tags[0]?.reason).toContain('version.ParseVersion');
  });

  it('marks every copy of the winning tag selected', () => {
    const result = compilePolicy({ policy: { semver: { range: '*' } } }).explain([
      '1.0.0',
      '0.9.0',
      '1.0.0',
    ]);
    expect(result.tags.map((t) => t.kind)).toEqual(['selected', 'beaten', 'selected']);
    expect(result.summary).toBe('selected "1.0.0"; 3 tags: 2 selected, 1 beaten');
  });

  it('explains alphabetical choices, ties included', () => {
    const result = compilePolicy({
      policy: { alphabetical: { order: 'DESC' } },
      filterTags: { pattern: '^(?:main|dev)-(?P<ts>\\d+)$', extract: '$ts' },
    }).explain(['main-200', 'dev-100', 'main-100', 'latest']);
    expect(result.selected).toBe('main-100');
    expect(result.tags).toEqual([
      expect.objectContaining({ kind: 'beaten', value: '200', by: 'main-100' }),
      expect.objectContaining({
        kind: 'beaten',
        value: '100',
        reason: expect.stringContaining('same value as "main-100"'),
      }),
      expect.objectContaining({ kind: 'selected', reason: 'smallest value in byte order' }),
      expect.objectContaining({ kind: 'filtered' }),
    ]);
  });

  it('treats equal numbers as ties, NaN included', () => {
    const result = compilePolicy({ policy: { numerical: {} } }).explain([
      'NaN',
      'nan',
      '10',
      '1e1',
    ]);
    expect(result.selected).toBe('1e1');
    expect(result.tags.map((t) => [t.kind, t.reason])).toEqual([
      ['beaten', 'not the largest number'],
      ['beaten', 'not the largest number'],
      ['beaten', 'same number as "1e1"; ties go to the greatest tag in byte order'],
      ['selected', 'largest number'],
    ]);
    const nans = compilePolicy({ policy: { numerical: {} } }).explain(['NaN', 'nan']);
    expect(nans.tags[0]?.reason).toContain('same number as "nan"');
  });

  it('agrees with select on an explanation of nothing', () => {
    const result = compilePolicy({ policy: { numerical: {} } }).explain([]);
    expect(result).toEqual({
      selected: undefined,
      tags: [],
      summary: 'no tag selected, no candidate left; no tags',
    });
  });

  it('handles 10,000 tags in one pass', () => {
    const tags = Array.from({ length: 10_000 }, (_, i) => `${i % 7}.${i % 13}.${i}`);
    const result = compilePolicy({ policy: { semver: { range: '<6' } } }).explain(tags);
    expect(result.tags).toHaveLength(10_000);
    expect(result.selected).toBe('5.12.9931');
  });
});
