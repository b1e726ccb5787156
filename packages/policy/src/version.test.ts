// Unit tests of the tag scanner and the version order, below select's
// prefilter and tie-breaks: what Masterminds/semver v3.4.0 (version.go:
// coerceNewVersion, validatePrerelease, comparePrerelease, comparePrePart)
// and fluxcd/pkg version.ParseVersion make of a tag, and how two versions sort.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparePrerelease,
  compareVersions,
  exactPart,
  scanVersion,
  Version,
  versionString,
} from './version.js';

/** The version Flux reads from `tag`, as Masterminds prints it, or undefined when Flux skips it. */
function read(tag: string): string | undefined {
  const version = new Version();
  return scanVersion(tag, version) ? versionString(version) : undefined;
}

function scanned(tag: string): Version {
  const version = new Version();
  if (!scanVersion(tag, version)) throw new Error(`test tag ${tag} does not scan`);
  return version;
}

describe('scanVersion reads tags as Flux does', () => {
  it.each<readonly [string, string | undefined]>([
    // The core's parts are separated by dots only.
    ['2024-01-15', undefined],
    ['1-2-3', undefined],
    ['1.2-3', undefined],
    ['1x2x3', undefined],
    // Prerelease identifiers: [0-9A-Za-z-], every boundary of each range.
    ['1.0.0-rc.9', '1.0.0-rc.9'],
    ['1.0.0-RC.1', '1.0.0-RC.1'],
    ['1.0.0-AZaz09-', '1.0.0-AZaz09-'],
    ['1.0.0-A', '1.0.0-A'],
    ['1.0.0-Z', '1.0.0-Z'],
    ['1.0.0-z', '1.0.0-z'],
    ['1.0.0-9', '1.0.0-9'],
    ['1.0.0+Z9.az', '1.0.0+Z9.az'],
    ...['/', ':', '@', '[', '`', '{', '~', '_'].map((c) => [`1.0.0-a${c}b`, undefined] as const),
    ...['/', ':', '@', '[', '`', '{', '~', '_'].map((c) => [`1.0.0+a${c}b`, undefined] as const),
    // Only an all-digit identifier may not start with 0 (validatePrerelease).
    ['1.0.0-0a', '1.0.0-0a'],
    ['1.0.0-0-1', '1.0.0-0-1'],
    ['1.0.0-rc.0x', '1.0.0-rc.0x'],
    ['1.0.0-09', undefined],
    ['1.0.0-rc.00', undefined],
    ['1.0.0-0', '1.0.0-0'],
    // ParseUint(.., 10, 64): leading zeros do not count towards the limit.
    ['000000000000000000000001.0.0', '1.0.0'],
    ['1.0.018446744073709551615', '1.0.18446744073709551615'],
    ['1.0.18446744073709551616', undefined],
    ['1.18446744073709551616.0', undefined],
    [
      '9007199254740993.9007199254740993.9007199254740993',
      '9007199254740993.9007199254740993.9007199254740993',
    ],
  ])('%j is read as %j', (tag, expected) => {
    expect(read(tag)).toBe(expected);
  });

  it('starts a Version at 0.0.0 without a prerelease', () => {
    expect(versionString(new Version())).toBe('0.0.0');
  });
});

describe('exactPart', () => {
  it('keeps parts up to 2^53-1 as numbers and only greater ones as BigInts, which compareVersions relies on', () => {
    expect(exactPart('9007199254740991')).toBe(9007199254740991);
    expect(exactPart('0009007199254740991')).toBe(9007199254740991);
    expect(exactPart('9007199254740992')).toBe(9007199254740992n);
    expect(exactPart('18446744073709551615')).toBe(18446744073709551615n);
    expect(exactPart('18446744073709551616')).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.2.3', '2.0.0'],
    ['1.2.3', '1.3.0'],
    ['1.2.3', '1.2.4'],
    ['1.9.9', '1.10.0'],
    ['1.2.9', '1.2.10'],
    ['9007199254740992.0.0', '9007199254740993.0.0'],
    ['1.9007199254740992.0', '1.9007199254740993.0'],
    ['1.0.9007199254740992', '1.0.9007199254740993'],
    ['1.2.3-rc.1', '1.2.3'],
  ])('%s sorts before %s, whichever side it is on', (lower, higher) => {
    expect(Math.sign(compareVersions(scanned(lower), scanned(higher)))).toBe(-1);
    expect(Math.sign(compareVersions(scanned(higher), scanned(lower)))).toBe(1);
  });

  it.each([
    ['1.2.3', 'v1.2.3'],
    ['1.2.3+a', '1.2.3+b'],
    ['1.2-rc.1', '1.2.0-rc.1'],
    ['01.002.3', '1.2.3'],
  ])('%s equals %s', (a, b) => {
    expect(compareVersions(scanned(a), scanned(b))).toBe(0);
  });
});

// Masterminds' comparePrePart, transcribed: numbers (ParseUint succeeds) sort
// before words, numbers compare by value, words by bytes.
function goComparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const uint = (x: string) => /^[0-9]+$/.test(x) && BigInt(x) <= 18446744073709551615n;
  const sNumber = uint(s);
  const oNumber = uint(o);
  if (!sNumber && !oNumber) return s > o ? 1 : -1;
  if (!oNumber) return -1;
  if (!sNumber) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

// Masterminds' comparePrerelease: part by part, a missing part is "".
function goComparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = goComparePrePart(as[i] ?? '', bs[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Compares the prereleases of two tags, each read from inside its whole tag text. */
function compareTags(a: string, b: string): number {
  return Math.sign(comparePrerelease(scanned(`1.0.0-${a}`), scanned(`1.0.0-${b}`)));
}

describe('comparePrerelease orders as Masterminds does', () => {
  it.each([
    ['rc.9', 'rc.10'],
    ['9', '10'],
    ['2', '11'],
    ['A', 'a'],
    ['Z', 'a'],
    ['RC.1', 'rc.1'],
    ['alpha', 'alpha.1'],
    ['alpha', 'alphabet'],
    ['alpha.beta', 'alpha.beta.1'],
    ['1', 'a'],
    ['10', 'a'],
    ['0', '-'],
    ['9', '-'],
    ['1', '-a'],
    ['x-', 'xy'],
    ['beta.2', 'beta.x'],
    // 2^64-1 is the greatest number; above it digits are a word, compared by bytes.
    ['18446744073709551615', '0a'],
    ['0a', '18446744073709551616'],
    ['0a', '100000000000000000000'],
    ['100000000000000000000', '18446744073709551616'],
    ['18446744073709551614', '18446744073709551615'],
  ])('%s sorts before %s, whichever side it is on', (lower, higher) => {
    expect(compareTags(lower, higher)).toBe(-1);
    expect(compareTags(higher, lower)).toBe(1);
    expect(goComparePrerelease(lower, higher)).toBe(-1);
  });

  it('a release sorts after its prereleases', () => {
    expect(Math.sign(comparePrerelease(scanned('1.0.0'), scanned('1.0.0-rc.1')))).toBe(1);
    expect(Math.sign(comparePrerelease(scanned('1.0.0-rc.1'), scanned('1.0.0')))).toBe(-1);
    expect(comparePrerelease(scanned('1.0.0'), scanned('1.0.0+b'))).toBe(0);
  });

  it('agrees with a transcription of Masterminds on random prereleases', () => {
    const identifier = fc.oneof(
      fc.stringMatching(/^[019aAzZ-]{1,3}$/),
      fc.constantFrom('18446744073709551615', '18446744073709551616', '100000000000000000000'),
    );
    const valid = (id: string) => !/^0[0-9]+$/.test(id);
    const prerelease = fc
      .array(identifier.filter(valid), { minLength: 1, maxLength: 3 })
      .map((ids) => ids.join('.'));
    fc.assert(
      fc.property(prerelease, prerelease, (a, b) => {
        expect(compareTags(a, b)).toBe(goComparePrerelease(a, b));
      }),
      { seed: 20261201, numRuns: 1000 },
    );
  });
});
