import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { compilePolicy, PolicyError, selectTag } from '../src/index.js';

const semver = (range: string) => ({ policy: { semver: { range } } });
const pick = (range: string, tags: string[]) => selectTag(tags, semver(range));

describe('semver: Masterminds range grammar', () => {
  it.each([
    ['space AND', '>=1.0 <2', ['0.9.0', '1.5.0', '2.0.0'], '1.5.0'],
    ['comma AND', '>0,<2.0', ['0.5.0', '1.9.9', '2.0.0'], '1.9.9'],
    ['comma AND with spaces', '>= 1.2.0 , < 1.3.0', ['1.2.9', '1.3.0'], '1.2.9'],
    ['OR', '1.0.x || >=3.0.0', ['1.0.5', '2.0.0', '3.1.0'], '3.1.0'],
    ['OR picks the highest across groups', '~1.2 || ~1.4', ['1.2.9', '1.4.1', '1.5.0'], '1.4.1'],
    ['=> is >=', '=>1.2.0', ['1.1.0', '1.2.0'], '1.2.0'],
    ['=< is <=', '=<1.2.0', ['1.2.0', '1.2.1'], '1.2.0'],
    ['~> is ~', '~>1.2', ['1.2.9', '1.3.0'], '1.2.9'],
    ['!= excludes one version', '>=1.0.0, !=1.2.0', ['1.1.0', '1.2.0'], '1.1.0'],
    ['!= with a wildcard excludes a minor', '>=1.0.0 !=1.2.x', ['1.1.9', '1.2.5'], '1.1.9'],
    ['hyphen range', '1.2 - 1.4.5', ['1.1.0', '1.4.5', '1.4.6'], '1.4.5'],
    ['hyphen range after a comma', '>=1.0, 1.2 - 1.4.5', ['1.4.5', '1.5.0'], '1.4.5'],
    ['x wildcard', '1.x', ['1.9.0', '2.0.0'], '1.9.0'],
    ['X wildcard', '1.X', ['1.9.0', '2.0.0'], '1.9.0'],
    ['* wildcard', '1.2.*', ['1.2.7', '1.3.0'], '1.2.7'],
    ['lone * matches any release', '*', ['0.1.0', '9.9.9', '10.0.0-rc.1'], '9.9.9'],
    [
      'parts after a wildcard are ignored (Masterminds)',
      '1.x.5',
      ['1.0.0', '1.9.9', '2.0.0'],
      '1.9.9',
    ],
    ['v prefix in the range', 'v1.0.x', ['1.0.3', 'v1.0.2'], '1.0.3'],
    ['partial = is a wildcard', '1.2', ['1.2.9', '1.3.0'], '1.2.9'],
    ['>1.2 means >=1.3.0', '>1.2', ['1.2.9', '1.3.0'], '1.3.0'],
    ['>1.2 admits nothing in 1.2', '>1.2', ['1.2.9'], undefined],
    ['>1 means >=2.0.0', '>1', ['1.9.9', '2.0.0'], '2.0.0'],
    ['<=1.2 means <1.3.0', '<=1.2', ['1.2.9', '1.3.0'], '1.2.9'],
    ['<=1 means <2.0.0', '<=1', ['1.9.9', '2.0.0'], '1.9.9'],
    ['<1.2 means <1.2.0', '<1.2', ['1.1.9', '1.2.0'], '1.1.9'],
    ['^ with major > 0', '^1.2.3', ['1.2.2', '1.9.0', '2.0.0'], '1.9.0'],
    ['^0.2.3 stays in 0.2', '^0.2.3', ['0.2.9', '0.3.0'], '0.2.9'],
    ['^0.0.3 is exact', '^0.0.3', ['0.0.3', '0.0.4'], '0.0.3'],
    ['~1.2.3 stays in 1.2', '~1.2.3', ['1.2.2', '1.2.8', '1.3.0'], '1.2.8'],
    ['~1 stays in 1', '~1', ['1.9.0', '2.0.0'], '1.9.0'],
    ['~0.0.0 accepts everything', '~0.0.0', ['0.0.1', '7.0.0'], '7.0.0'],
    ['tabs and newlines are spaces', '>=1.0.0\t<2.0.0', ['1.5.0', '2.0.0'], '1.5.0'],
    ['build metadata in the range is ignored', '=1.2.3+abc', ['1.2.3+xyz'], '1.2.3+xyz'],
    ['leading zeros in the range', '>=01.02.03', ['1.2.3'], '1.2.3'],
  ])('%s: "%s"', (_name, range, tags, expected) => {
    expect(pick(range, tags)).toBe(expected);
  });

  it.each([
    ['', 1],
    ['*-*', 2],
    ['1x', 1],
    ['x1', 1],
    ['-1', 1],
    ['a', 1],
    ['1.0.0p', 6],
    ['1.0.0 ||', 9],
    ['>=1.0,,<2', 7],
    ['>1<2', 3],
    ['1.2.3.4', 6],
    ['>=0 1 - 2', 5],
    ['1.0.0-01', 1],
    ['18446744073709551616', 1],
    ['1.0.0-a..b', 9],
    ['> =1', 3],
  ])('rejects %j with INVALID_RANGE at column %i', (range, column) => {
    const policyError = expectCode(
      () => compilePolicy(semver(range)),
      PolicyError,
      'INVALID_RANGE',
    );
    expect(policyError.code).toBe('INVALID_RANGE');
    expect(policyError.range).toBe(range);
    expect(policyError.column).toBe(column);
    expect(policyError.message).toContain(`"${range}"`);
    expect(policyError.message).toContain(`column ${column}`);
  });

  it('rejects a range that is not a string with INVALID_POLICY', () => {
    expect(() => compilePolicy({ policy: { semver: { range: 1 as unknown as string } } })).toThrow(
      expect.objectContaining({ code: 'INVALID_POLICY' }),
    );
  });
});

describe('semver: prereleases are decided per AND group', () => {
  it('a prerelease comparator admits prereleases in its group', () => {
    expect(pick('>=1.0.0-0 <2.0.0', ['1.4.0', '1.5.0-beta'])).toBe('1.5.0-beta');
  });
  it('a wildcard range does not', () => {
    expect(pick('1.0.x', ['1.0.1', '1.0.2-rc.1'])).toBe('1.0.1');
  });
  it('the prerelease of one group does not open another group', () => {
    expect(pick('>=3.0.0-0 <3.1.0 || 1.x', ['1.9.0', '1.9.1-rc.1'])).toBe('1.9.0');
    expect(pick('>=3.0.0-0 <3.1.0 || 1.x', ['1.9.0', '3.0.0-rc.1'])).toBe('3.0.0-rc.1');
  });
  it('any comparator of the group counts, not only the one the version meets', () => {
    expect(pick('<2.0.0, >=1.0.0-alpha', ['1.9.9-rc.1'])).toBe('1.9.9-rc.1');
  });
  it('orders prereleases by semver precedence', () => {
    const tags = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
    ];
    expect(pick('>=1.0.0-0 <1.0.0', tags)).toBe('1.0.0-beta.11');
    expect(pick('>=1.0.0-0', [...tags, '1.0.0-rc.1', '1.0.0'])).toBe('1.0.0');
  });
  it('numeric identifiers beyond 2^64-1 compare as words, like Masterminds', () => {
    expect(pick('>=1.0.0-0', ['1.0.0-18446744073709551616', '1.0.0-zzz'])).toBe('1.0.0-zzz');
    expect(pick('>=1.0.0-0', ['1.0.0-18446744073709551615', '1.0.0-a'])).toBe('1.0.0-a');
  });
});

describe('semver: tags are parsed as Flux parses them', () => {
  it.each([
    ['leading zeros', ['v2025.07.03', 'v2025.7.2'], 'v2025.07.03'],
    ['build metadata is ignored, ties to the greatest tag', ['1.0.0+b2', '1.0.0+b10'], '1.0.0+b2'],
    ['v1.0.0 beats 1.0.0 (byte order)', ['1.0.0', 'v1.0.0'], 'v1.0.0'],
    ['two-part tags are skipped', ['1.2', '0.0.1'], '0.0.1'],
    ['one-part tags are skipped', ['v1', '0.0.1'], '0.0.1'],
    ['four-part tags are skipped', ['1.2.3.4', '0.0.1'], '0.0.1'],
    ['uppercase V is skipped', ['V1.2.3', '0.0.1'], '0.0.1'],
    ['words are skipped', ['latest', 'main', '0.0.1'], '0.0.1'],
    ['a numeric prerelease with a leading zero is skipped', ['1.0.0-01', '0.0.1'], '0.0.1'],
    ['an empty prerelease identifier is skipped', ['1.0.0-a..1', '1.0.0-', '0.0.1'], '0.0.1'],
    ['parts above 2^64-1 are skipped', ['18446744073709551616.0.0', '0.0.1'], '0.0.1'],
  ])('%s', (_name, tags, expected) => {
    expect(pick('*', tags)).toBe(expected);
  });

  it.each([
    ['a two-part core with a dotted prerelease', '>=1.0.0-0', ['1.2-rc.1', '1.1.0'], '1.2-rc.1'],
    ['a v-prefixed two-part core', '>=1.0.0-0', ['v1.2-beta.5', '1.2.0-beta.4'], 'v1.2-beta.5'],
    [
      'a two-part core with dotted build metadata',
      '1.2.x',
      ['1.2+build.5', '1.1.9'],
      '1.2+build.5',
    ],
    [
      'a one-part core whose dots are all in the build',
      '^2',
      ['2+1.sha.abc', '1.9.9'],
      '2+1.sha.abc',
    ],
    ['a one-dot short core is still skipped', '*', ['1.2-rc1', '2+1', '1.2', '0.0.1'], '0.0.1'],
    [
      'a filled-in version ties with its full spelling',
      '>=1.0.0-0',
      ['1.2.0-rc.1', '1.2-rc.1'],
      '1.2.0-rc.1',
    ],
    [
      'build metadata of a short core is ignored: a tie, the greatest tag wins',
      '*',
      ['1.2+b.1', '1.2.0+a'],
      '1.2.0+a',
    ],
  ])('%s is read as Flux reads it', (_name, range, tags, expected) => {
    expect(pick(range, tags)).toBe(expected);
    expect(pick(range, [...tags].reverse())).toBe(expected);
  });

  it('compares the parts of a short core beyond 2^53 exactly', () => {
    expect(pick('*', ['18446744073709551615+a.b.c', '18446744073709551614.9.9'])).toBe(
      '18446744073709551615+a.b.c',
    );
    expect(pick('*', ['9007199254740993.1+a.b', '9007199254740992.1.9'])).toBe(
      '9007199254740993.1+a.b',
    );
    expect(pick('*', ['18446744073709551616+a.b.c', '0.0.1'])).toBe('0.0.1');
  });

  it('compares parts beyond 2^53 exactly', () => {
    const tags = ['9007199254740993.0.0', '9007199254740992.0.0', '18446744073709551615.0.0'];
    expect(pick('*', tags)).toBe('18446744073709551615.0.0');
    expect(pick('<18446744073709551615.0.0', tags)).toBe('9007199254740993.0.0');
    expect(pick('<9007199254740993.0.0', tags)).toBe('9007199254740992.0.0');
    expect(pick('*', ['1.9007199254740993.0', '1.9007199254740992.0'])).toBe(
      '1.9007199254740993.0',
    );
  });

  it('returns the original tag, not the extracted value', () => {
    const spec = {
      policy: { semver: { range: '^1' } },
      filterTags: { pattern: '^app-(?P<v>.*)$', extract: '$v' },
    };
    expect(selectTag(['app-1.0.0', 'app-1.2.0', 'web-1.9.0'], spec)).toBe('app-1.2.0');
  });

  it('survives a tags iterable that selects with the same policy mid-loop', () => {
    const policy = compilePolicy(semver('*'));
    function* tags() {
      yield '1.5.0';
      expect(policy.select(['0.1.0'])).toBe('0.1.0');
      yield '1.2.0';
    }
    expect(policy.select(tags())).toBe('1.5.0');
  });

  it('accepts any iterable', () => {
    function* tags() {
      yield '1.0.0';
      yield '1.1.0';
    }
    expect(selectTag(tags(), semver('1.x'))).toBe('1.1.0');
    expect(selectTag(new Set(['1.0.0', '1.3.0']), semver('1.x'))).toBe('1.3.0');
  });
});
