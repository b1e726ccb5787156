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
    expect(result.tags.map((t) => [t.tag, t.outcome])).toEqual([
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
    expect(result.tags.map((t) => t.outcome)).toEqual(['blocked', 'unparseable', 'blocked']);
  });

  it('shows extracted values and returns original tags', () => {
    const result = compilePolicy({
      policy: { numerical: { order: 'desc' } },
      filterTags: { pattern: '-(\\d+)$', extract: '$1' },
    }).explain(['b-3', 'b-1', 'c']);
    expect(result.selected).toBe('b-1');
    expect(result.tags[0]).toMatchObject({ outcome: 'beaten', value: '3', by: 'b-1' });
  });

  it('handles 10,000 tags in one pass', () => {
    const tags = Array.from({ length: 10_000 }, (_, i) => `${i % 7}.${i % 13}.${i}`);
    const result = compilePolicy({ policy: { semver: { range: '<6' } } }).explain(tags);
    expect(result.tags).toHaveLength(10_000);
    expect(result.selected).toBe('5.12.9931');
  });
});
