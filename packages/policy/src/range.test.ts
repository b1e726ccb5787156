// Unit tests of the range parser: the major-version ceiling that select's
// prefilter drops tags with (sound: no admitted version is above it; tight: it
// is the range's own greatest major wherever the range has one), and the
// error messages, whose text is what a user reads to fix a range.
import { expectCode } from '@tagsmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyError } from './errors.js';
import { parseRange } from './range.js';
import { scanVersion, Version } from './version.js';

describe('majorCeiling', () => {
  it.each([
    ['<5.0.0', 4],
    ['<5.0.5', 5],
    ['<5.1.0', 5],
    ['<5', 4],
    ['<5.0.0-0', 5],
    ['>=1.0.0-0 <5.0.0', 5],
    ['<=5.2.1', 5],
    ['<=5', 5],
    ['^1.2', 1],
    ['^*', 0],
    ['~1.2', 1],
    ['~>3', 3],
    ['1.2.3', 1],
    ['=1.2.x', 1],
    ['0.0.0', 0],
    ['>=1.0.0 <3.0.0', 2],
    ['<3.0.0 >=1.0.0', 2],
    ['1.x || 3.x', 3],
    ['3.x || 1.x', 3],
    ['1 - 3', 3],
    ['~0.0.0', Number.POSITIVE_INFINITY],
    ['*', Number.POSITIVE_INFINITY],
    ['=*', Number.POSITIVE_INFINITY],
    ['~*', Number.POSITIVE_INFINITY],
    ['x', Number.POSITIVE_INFINITY],
    ['>=1.0.0', Number.POSITIVE_INFINITY],
    ['>1', Number.POSITIVE_INFINITY],
    ['!=1.2.3', Number.POSITIVE_INFINITY],
    ['1.x || >=3', Number.POSITIVE_INFINITY],
    ['<18446744073709551615.0.0', Number.POSITIVE_INFINITY],
  ])('%j lets select drop tags above major %d unread', (range, ceiling) => {
    expect(parseRange(range).majorCeiling).toBe(ceiling);
  });

  it('never drops a version the range admits', () => {
    const part = fc.constantFrom('0', '1', '2', 'x');
    const comparator = fc
      .record({
        op: fc.constantFrom('', '=', '!=', '>', '<', '>=', '<=', '~', '^'),
        parts: fc.array(part, { minLength: 1, maxLength: 3 }),
        pre: fc.constantFrom('', '', '-0', '-rc.1'),
      })
      .map(({ op, parts, pre }) => `${op}${parts.join('.')}${pre}`);
    const range = fc
      .array(fc.array(comparator, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 })
      .map((groups) => groups.map((group) => group.join(' ')).join(' || '));
    const version = fc
      .tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.constantFrom('', '-0', '-rc.1'))
      .map(([major, minor, patch, pre]) => `${major}.${minor}.${patch}${pre}`);
    fc.assert(
      fc.property(range, version, (text, tag) => {
        const parsed = parseRange(text);
        const v = new Version();
        expect(scanVersion(tag, v)).toBe(true);
        if (parsed.test(v)) expect(v.major).toBeLessThanOrEqual(parsed.majorCeiling);
      }),
      { seed: 20261201, numRuns: 3000 },
    );
  });
});

describe('range errors say what was expected, where', () => {
  it.each([
    ['', 1, 'expected a comparator at column 1 (near the end)'],
    ['1.0.0 ||', 9, 'expected a comparator at column 9 (near the end)'],
    ['|| 1.2.3', 1, 'expected a comparator at column 1 (near "|| 1.2.3")'],
    ['a', 1, 'expected a version at column 1 (near "a")'],
    ['>=1.0,,<2.0.0-alpha.beta', 7, 'expected a version at column 7 (near ",<2.0.0-alph")'],
    ['1.', 3, 'expected a number or wildcard after "." at column 3 (near the end)'],
    ['>=1.0 <2.x.y', 12, 'expected a number or wildcard after "." at column 12 (near "y")'],
    ['1x', 1, '"1x" is neither a number nor a wildcard (x, X, *) at column 1 (near "1x")'],
    [
      '18446744073709551616',
      1,
      '18446744073709551616 is larger than 2^64-1 at column 1 (near "184467440737")',
    ],
    [
      '>=1 1.0.0-01',
      5,
      'prerelease identifier "01" has a leading zero at column 5 (near "1.0.0-01")',
    ],
    ['1.0.0-a..b', 9, 'empty prerelease identifier at column 9 (near ".b")'],
    ['1.0.0+a..b', 9, 'empty build metadata identifier at column 9 (near ".b")'],
    ['>1<2', 3, 'expected a space, a comma or "||" after a comparator at column 3 (near "<2")'],
  ])('%j: %s', (range, column, what) => {
    const error = expectCode(() => parseRange(range), PolicyError, 'INVALID_RANGE');
    expect(error.column).toBe(column);
    expect(error.message).toBe(
      `invalid semver range "${range}": ${what}; expected Masterminds syntax such as ` +
        '">=1.2.0 <2.0.0", "^1.4", "1.2.x" or "1.2 - 1.4.5"',
    );
  });

  it('shows the hyphen-expanded text only when hyphen ranges changed it', () => {
    const error = expectCode(() => parseRange('1 - 2 - 3'), PolicyError, 'INVALID_RANGE');
    expect(error.message).toBe(
      'invalid semver range "1 - 2 - 3": expected a version at column 7 (near "- 3") ' +
        '(with hyphen ranges expanded, as Masterminds does: ">= 1, <= 2 - 3"); ' +
        'expected Masterminds syntax such as ">=1.2.0 <2.0.0", "^1.4", "1.2.x" or "1.2 - 1.4.5"',
    );
  });
});
