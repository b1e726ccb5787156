// Property tests: the answer never depends on input order, and it equals a
// brute-force reference written from the documented semantics (Masterminds'
// range tables, the group prerelease rule, greatest-tag tie-break) rather than
// from our implementation. Versions are compared by node-semver's `compare`;
// only the public API of the package is imported.
import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/index.js';

// ---- reference ----------------------------------------------------------------

interface RefVersion {
  text: string; // normalised "M.m.p[-pre]" for node-semver
  major: number;
  minor: number;
  patch: number;
  pre: boolean;
  /** Masterminds' String() when a part was missing ("1.2.0-rc.1+b" for "1.2-rc.1+b"). */
  coerced: string | undefined;
}

// Masterminds' looseSemVerRegex: one to three numeric parts, missing ones 0.
const TAG =
  /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

function refParse(tag: string): RefVersion | undefined {
  // fluxcd/pkg version.ParseVersion: strings.SplitN(tag, ".", 3) must give
  // three pieces, i.e. two dots anywhere before Masterminds sees the tag.
  if (tag.split('.').length < 3) return undefined;
  const m = TAG.exec(tag);
  if (m === null) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  const pre = m[4];
  if (pre?.split('.').some((id) => /^0\d/.test(id))) return undefined;
  const text = `${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}`;
  const coerced = m[3] === undefined ? `${text}${m[5] === undefined ? '' : `+${m[5]}`}` : undefined;
  return { text, major, minor, patch, pre: pre !== undefined, coerced };
}

/**
 * A comparator as generated: operator, 1-3 numeric parts, optional prerelease,
 * and how it is spelled (which never changes its meaning).
 */
interface Comp {
  op: string;
  parts: number[];
  pre: string;
  spelling: Spelling;
}

/** Masterminds accepts each of these spellings for the same comparator. */
interface Spelling {
  /** `=>` for `>=`, `=<` for `<=`, `~>` for `~`. */
  alias: boolean;
  /** A `v` before the version. */
  v: boolean;
  /** A wildcard in place of the first missing part: `1.x` = `1`, `1.2.*` = `1.2`. */
  wildcard: '' | 'x' | 'X' | '*';
}

/** An AND group; `hyphen` is an `A - B` range leading it (= `>=A, <=B`). */
interface Group {
  hyphen: [Comp, Comp] | undefined;
  comps: Comp[];
  separator: ' ' | ',' | ', ';
}

const cmp = (a: string, b: string) => semver.compare(a, b);

// Interval semantics per the Masterminds README; `-0` bounds keep the
// prereleases of the next minor/major out, as Masterminds' part checks do.
function refComparator(c: Comp, v: RefVersion): boolean {
  const [x = 0, y = 0, z = 0] = c.parts;
  const full = c.parts.length === 3;
  const base = `${x}.${y}.${z}${c.pre ? `-${c.pre}` : ''}`;
  const nextMinor = `${x}.${y + 1}.0-0`;
  const nextMajor = `${x + 1}.0.0-0`;
  const ge = (b: string) => cmp(v.text, b) >= 0;
  const lt = (b: string) => cmp(v.text, b) < 0;
  const upper = c.parts.length === 1 ? nextMajor : nextMinor;
  switch (c.op) {
    case '':
    case '=':
      return full ? cmp(v.text, base) === 0 : ge(base) && lt(upper);
    case '!=':
      return cmp(v.text, base) !== 0;
    case '>':
      return full ? cmp(v.text, base) > 0 : ge(upper);
    case '>=':
      return ge(base);
    case '<':
      return lt(base);
    case '<=':
      return full ? cmp(v.text, base) <= 0 : lt(upper);
    case '~':
      if (full && x === 0 && y === 0 && z === 0) return ge(base);
      return ge(base) && lt(c.parts.length === 1 ? nextMajor : nextMinor);
    default: {
      // ^
      if (x > 0 || c.parts.length === 1) return ge(base) && lt(nextMajor);
      if (y > 0 || c.parts.length === 2) return ge(base) && lt(nextMinor);
      return ge(base) && lt(`0.0.${z + 1}-0`);
    }
  }
}

// A hyphen range `A - B` is `>=A <=B` (Masterminds rewrites it so).
function comparators(group: Group): Comp[] {
  if (group.hyphen === undefined) return group.comps;
  const [low, high] = group.hyphen;
  return [{ ...low, op: '>=' }, { ...high, op: '<=' }, ...group.comps];
}

function refRange(groups: Group[], v: RefVersion): boolean {
  return groups.some((group) => {
    const comps = comparators(group);
    return (!v.pre || comps.some((c) => c.pre !== '')) && comps.every((c) => refComparator(c, v));
  });
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function refSelect(tags: string[], groups: Group[]): string | undefined {
  let best: { tag: string; v: RefVersion } | undefined;
  for (const tag of tags) {
    const v = refParse(tag);
    if (v === undefined || !refRange(groups, v)) continue;
    if (best === undefined) {
      best = { tag, v };
      continue;
    }
    const order = cmp(v.text, best.v.text);
    if (order > 0 || (order === 0 && byteOrder(tag, best.tag) > 0)) best = { tag, v };
  }
  return best?.tag;
}

const ALIASES: Record<string, string> = { '>=': '=>', '<=': '=<', '~': '~>' };

function versionText({ parts, pre, spelling }: Comp): string {
  const wildcard = parts.length < 3 && spelling.wildcard !== '' ? `.${spelling.wildcard}` : '';
  return `${spelling.v ? 'v' : ''}${parts.join('.')}${wildcard}${pre ? `-${pre}` : ''}`;
}

function comparatorText(c: Comp): string {
  const op = c.spelling.alias ? (ALIASES[c.op] ?? c.op) : c.op;
  return `${op}${versionText(c)}`;
}

function rangeText(groups: Group[]): string {
  return groups
    .map((group) => {
      const texts = group.comps.map(comparatorText);
      if (group.hyphen === undefined) return texts.join(group.separator);
      // A hyphen range must start its group or follow a comma.
      const hyphen = `${versionText(group.hyphen[0])} - ${versionText(group.hyphen[1])}`;
      return [hyphen, ...texts].join(', ');
    })
    .join(' || ');
}

// ---- generators ---------------------------------------------------------------

const small = fc.integer({ min: 0, max: 3 });
const preId = fc.constantFrom('alpha', 'beta', 'rc.1', 'rc.2', '0', '1', 'rc.10', 'rc1', 'rc.1.2');
const buildId = fc.constantFrom('b1', 'sha.5', '001', '1.sha.abc');

// Cores of one to three parts with a prerelease and build of zero to two dots
// each, so the tags fall on both sides of Flux's two-dot threshold.
const tagArb = fc.oneof(
  fc
    .record({
      v: fc.boolean(),
      zero: fc.boolean(),
      parts: fc.tuple(small, small, small),
      length: fc.constantFrom(1, 2, 3, 3),
      pre: fc.option(preId, { nil: undefined }),
      build: fc.option(buildId, { nil: undefined }),
    })
    .map(
      ({ v, zero, parts, length, pre, build }) =>
        `${v ? 'v' : ''}${zero ? '0' : ''}${parts.slice(0, length).join('.')}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`,
    ),
  fc.constantFrom(
    'latest',
    '1.2',
    'v1',
    'v1.0',
    '1.2-rc1',
    '1-rc.1',
    '2+1',
    '1..2',
    '1.2.3.4',
    'V1.2.3',
    'V1.2-rc.1',
    '1.0.0-01',
    '1.2-rc.01',
    'main-abc',
  ),
);

const spellingArb: fc.Arbitrary<Spelling> = fc.record({
  alias: fc.boolean(),
  v: fc.boolean(),
  wildcard: fc.constantFrom('', '', 'x', 'X', '*'),
});

const compArb: fc.Arbitrary<Comp> = fc
  .record({
    op: fc.constantFrom('', '=', '!=', '>', '<', '>=', '<=', '~', '^'),
    parts: fc.tuple(small, small, small),
    length: fc.integer({ min: 1, max: 3 }),
    pre: fc.option(preId, { nil: undefined }),
    spelling: spellingArb,
  })
  // Partial `!=` and prereleases on partial versions have quirks the README
  // tables do not describe; the unit tests cover those.
  .map(({ op, parts, length, pre, spelling }) => {
    const n = op === '!=' ? 3 : length;
    return { op, parts: parts.slice(0, n), pre: n === 3 && pre !== undefined ? pre : '', spelling };
  });

// Hyphen bounds: plain versions, partial ones included.
const boundArb = compArb.map((c) => ({ ...c, op: '' }));

const groupArb: fc.Arbitrary<Group> = fc.record({
  hyphen: fc.option(fc.tuple(boundArb, boundArb), { nil: undefined, freq: 4 }),
  comps: fc.array(compArb, { minLength: 1, maxLength: 2 }),
  separator: fc.constantFrom(' ', ',', ', '),
});

const rangeArb = fc.array(groupArb, { minLength: 1, maxLength: 2 });

const tagsArb = fc.array(tagArb, { maxLength: 25 });

// ---- properties -----------------------------------------------------------------

describe('properties', () => {
  it('semver select equals the brute-force reference', () => {
    fc.assert(
      fc.property(tagsArb, rangeArb, (tags, groups) => {
        const policy = compilePolicy({ policy: { semver: { range: rangeText(groups) } } });
        expect(policy.select(tags)).toBe(refSelect(tags, groups));
      }),
      { numRuns: 3000 },
    );
  });

  it('semver select and explain do not depend on input order', () => {
    fc.assert(
      fc.property(
        tagsArb.chain((tags) =>
          fc.tuple(fc.constant(tags), fc.shuffledSubarray(tags, { minLength: tags.length })),
        ),
        rangeArb,
        ([tags, shuffled], groups) => {
          const policy = compilePolicy({ policy: { semver: { range: rangeText(groups) } } });
          expect(policy.select(shuffled)).toBe(policy.select(tags));
          expect(policy.explain(shuffled).selected).toBe(policy.select(tags));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('explain reads each tag as the reference does and names filled-in parts', () => {
    fc.assert(
      fc.property(tagsArb, rangeArb, (tags, groups) => {
        const policy = compilePolicy({ policy: { semver: { range: rangeText(groups) } } });
        const entries = policy.explain(tags).tags;
        tags.forEach((tag, i) => {
          const entry = entries[i];
          const ref = refParse(tag);
          expect(entry?.kind === 'unparseable').toBe(ref === undefined);
          const coerced = entry !== undefined && 'coerced' in entry ? entry.coerced : undefined;
          expect(coerced).toBe(ref?.coerced);
          if (coerced !== undefined) expect(entry?.reason).toContain(`read as ${coerced}`);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('alphabetical select equals sorting by UTF-8 bytes, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 4 }), { maxLength: 20 }),
        fc.boolean(),
        (tags, desc) => {
          const policy = compilePolicy({
            policy: { alphabetical: { order: desc ? 'desc' : 'asc' } },
          });
          const sorted = [...tags].sort(byteOrder);
          const expected = desc ? sorted[0] : sorted[sorted.length - 1];
          expect(policy.select(tags)).toBe(expected);
          expect(policy.select([...tags].reverse())).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('numerical select equals the reference on decimal numbers, in any order', () => {
    const numberText = fc.oneof(
      fc.integer({ min: -50, max: 50 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String),
      fc.integer({ min: -5, max: 5 }).map((n) => `${n}e0`),
    );
    fc.assert(
      fc.property(fc.array(numberText, { maxLength: 20 }), fc.boolean(), (tags, desc) => {
        const policy = compilePolicy({ policy: { numerical: { order: desc ? 'desc' : 'asc' } } });
        let best: string | undefined;
        for (const tag of tags) {
          if (best === undefined) {
            best = tag;
            continue;
          }
          const a = Number(tag);
          const b = Number(best);
          const better = desc ? a < b : a > b;
          if (better || (a === b && byteOrder(tag, best) > 0)) best = tag;
        }
        expect(policy.select(tags)).toBe(best);
        expect(policy.select([...tags].reverse())).toBe(best);
      }),
      { numRuns: 1000 },
    );
  });

  it('filter/extract ties go to the greatest original tag whatever the order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 3 })), {
          maxLength: 15,
        }),
        (pairs) => {
          const tags = pairs.map(([p, n]) => `${p}-1.${n}.0`);
          const policy = compilePolicy({
            policy: { semver: { range: '*' } },
            filterTags: { pattern: '^[a-c]-(?P<v>.*)$', extract: '$v' },
          });
          const bestMinor = Math.max(-1, ...pairs.map(([, n]) => n));
          const winners = tags.filter((t) => t.endsWith(`-1.${bestMinor}.0`)).sort(byteOrder);
          expect(policy.select(tags)).toBe(winners[winners.length - 1]);
          expect(policy.select([...tags].reverse())).toBe(winners[winners.length - 1]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
