// Masterminds/semver v3 constraint ranges (what Flux's ImagePolicy `semver.range`
// uses), parsed by hand into OR-groups of AND-ed comparators. The check functions
// reproduce Masterminds 3.4's constraint functions, quirks included (`>1.2` means
// `>=1.3.0`, `<=1.2` means `<1.3.0`, parts after a wildcard are ignored), so a
// range selects what it selects in Flux.
import { PolicyError } from './errors.js';
import { type ExpandedRange, expandHyphenRanges } from './hyphen.js';
import {
  comparePart,
  comparePrerelease,
  compareVersions,
  exactPart,
  isPrerelease,
  type Part,
  type VersionFields,
} from './version.js';

const OP_EQUAL = 0; // "" and "="
const OP_NOT_EQUAL = 1;
const OP_GREATER = 2;
const OP_LESS = 3;
const OP_GREATER_EQUAL = 4;
const OP_LESS_EQUAL = 5;
const OP_TILDE = 6;
const OP_CARET = 7;

const OPERATORS: ReadonlyArray<readonly [string, number]> = [
  ['!=', OP_NOT_EQUAL],
  ['>=', OP_GREATER_EQUAL],
  ['=>', OP_GREATER_EQUAL],
  ['<=', OP_LESS_EQUAL],
  ['=<', OP_LESS_EQUAL],
  ['~>', OP_TILDE],
  ['>', OP_GREATER],
  ['<', OP_LESS],
  ['=', OP_EQUAL],
  ['~', OP_TILDE],
  ['^', OP_CARET],
];

/**
 * One comparator such as `>=1.2`: its version with wildcards and missing parts
 * filled in as 0 (`1.2.0`), its prerelease as the whole of `text`.
 */
interface Comparator extends VersionFields {
  readonly op: number;
  /** A wildcard or missing part somewhere (`1.x`, `1.2`, `*`). */
  readonly dirty: boolean;
  /** The minor part was a wildcard or missing (`1`, `1.x`). */
  readonly minorDirty: boolean;
  /** The patch part was a wildcard or missing (`1.2`, `1.2.x`). */
  readonly patchDirty: boolean;
}

/** Comparators that must all hold; prereleases pass only if one of them has one. */
interface AndGroup {
  readonly comparators: readonly Comparator[];
  readonly allowsPrerelease: boolean;
}

/** A parsed range: true when any group holds. */
export class SemverRange {
  readonly text: string;
  readonly groups: readonly AndGroup[];
  /**
   * No version with a greater major satisfies the range (Infinity when
   * unbounded). Lets `select` drop most tags after reading one number.
   */
  readonly majorCeiling: number;

  constructor(text: string, groups: readonly AndGroup[]) {
    this.text = text;
    this.groups = groups;
    this.majorCeiling = Math.max(...groups.map(groupCeiling));
  }

  /** Whether `v` satisfies the range. */
  test(v: VersionFields): boolean {
    return this.holds(v, false);
  }

  /**
   * Whether `v` would satisfy the range if every group admitted prereleases:
   * tells explain() that a prerelease lost to the prerelease rule alone.
   */
  testIgnoringPrereleaseRule(v: VersionFields): boolean {
    return this.holds(v, true);
  }

  private holds(v: VersionFields, anyPrerelease: boolean): boolean {
    const prerelease = isPrerelease(v);
    for (const group of this.groups) {
      if (prerelease && !anyPrerelease && !group.allowsPrerelease) continue;
      let holds = true;
      for (const c of group.comparators) {
        if (!check(c, v)) {
          holds = false;
          break;
        }
      }
      if (holds) return true;
    }
    return false;
  }
}

// The greatest major a comparator can admit, from the check functions below:
// `<`, `<=`, `=`, `~` and `^` never admit a greater major than their own.
function comparatorCeiling(c: Comparator, group: AndGroup): number {
  const major = typeof c.major === 'bigint' ? Number.POSITIVE_INFINITY : c.major;
  switch (c.op) {
    case OP_LESS:
      // `<5.0.0` admits 5.0.0-rc.1 only where the group admits prereleases
      // (and it does whenever `c` itself has one).
      return c.minor === 0 && c.patch === 0 && !group.allowsPrerelease ? major - 1 : major;
    case OP_EQUAL:
    case OP_TILDE:
      // `~0.0.0`, `~*` and `*` admit everything (see `tilde`).
      return (c.op === OP_TILDE || c.dirty) && admitsEverythingAsTilde(c)
        ? Number.POSITIVE_INFINITY
        : major;
    case OP_LESS_EQUAL:
    case OP_CARET:
      return major;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

function groupCeiling(group: AndGroup): number {
  return Math.min(...group.comparators.map((c) => comparatorCeiling(c, group)));
}

// `~0.0.0` and `~*` (hence `*` and `=*`) accept everything at or above 0.0.0.
function admitsEverythingAsTilde(c: Comparator): boolean {
  return c.major === 0 && c.minor === 0 && c.patch === 0 && !c.minorDirty && !c.patchDirty;
}

function tilde(c: Comparator, v: VersionFields): boolean {
  if (compareVersions(v, c) < 0) return false;
  if (admitsEverythingAsTilde(c)) return true;
  if (comparePart(v.major, c.major) !== 0) return false;
  return c.minorDirty || comparePart(v.minor, c.minor) === 0;
}

function caret(c: Comparator, v: VersionFields): boolean {
  if (compareVersions(v, c) < 0) return false;
  if (c.major > 0 || c.minorDirty) return comparePart(v.major, c.major) === 0;
  if (v.major > 0) return false;
  if (c.minor > 0 || c.patchDirty) return comparePart(v.minor, c.minor) === 0;
  if (v.minor > 0) return false;
  return comparePart(v.patch, c.patch) === 0;
}

// Masterminds' dirty branches, by the part that was a wildcard. A wildcard
// major leaves 0.0.0 with neither flag set, which its checks then treat like a
// clean version: the last line.
function notEqual(c: Comparator, v: VersionFields): boolean {
  if (c.minorDirty) return comparePart(v.major, c.major) !== 0;
  if (c.patchDirty) {
    return (
      comparePart(v.major, c.major) !== 0 ||
      comparePart(v.minor, c.minor) !== 0 ||
      comparePrerelease(v, c) !== 0
    );
  }
  return compareVersions(v, c) !== 0;
}

function greater(c: Comparator, v: VersionFields): boolean {
  if (c.minorDirty) return comparePart(v.major, c.major) > 0;
  if (c.patchDirty) {
    const d = comparePart(v.major, c.major);
    return d > 0 || (d === 0 && v.minor > c.minor);
  }
  return compareVersions(v, c) > 0;
}

function lessEqual(c: Comparator, v: VersionFields): boolean {
  if (!c.dirty) return compareVersions(v, c) <= 0;
  const d = comparePart(v.major, c.major);
  if (d > 0) return false;
  return !(d === 0 && v.minor > c.minor && !c.minorDirty);
}

function check(c: Comparator, v: VersionFields): boolean {
  switch (c.op) {
    case OP_EQUAL:
      return c.dirty ? tilde(c, v) : compareVersions(v, c) === 0;
    case OP_NOT_EQUAL:
      return notEqual(c, v);
    case OP_GREATER:
      return greater(c, v);
    case OP_LESS:
      return compareVersions(v, c) < 0;
    case OP_GREATER_EQUAL:
      return compareVersions(v, c) >= 0;
    case OP_LESS_EQUAL:
      return lessEqual(c, v);
    case OP_TILDE:
      return tilde(c, v);
    default:
      return caret(c, v);
  }
}

// ---- parsing ---------------------------------------------------------------

/** Go regexp's `\s`: tab, newline, form feed, carriage return, space. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

// Masterminds' part class also holds `|`: harmless after a wildcard, where
// parts are ignored (`1.x.|` is `1.x`), and a parse error anywhere else.
function isPartChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 120 || c === 88 || c === 42 || c === 124;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
}

function isWildcard(part: string): boolean {
  return part === 'x' || part === 'X' || part === '*';
}

/** A version as written in a range, before wildcard handling. */
interface RawVersion {
  readonly parts: string[];
  readonly pre: string;
  readonly end: number;
}

/** Builds a comparator; `wildcard` names the first wildcard or missing part. */
function comparator(
  op: number,
  major: Part,
  minor: Part,
  patch: Part,
  pre: string,
  wildcard: 'major' | 'minor' | 'patch' | undefined,
): Comparator {
  return {
    op,
    major,
    minor,
    patch,
    text: pre,
    preStart: 0,
    preEnd: pre.length,
    dirty: wildcard !== undefined,
    minorDirty: wildcard === 'minor',
    patchDirty: wildcard === 'patch',
  };
}

// Parses one `||` group of the hyphen-expanded text, as Masterminds'
// validConstraintRegex, findConstraintRegex and parseConstraint do.
class RangeParser {
  private i = 0;
  private readonly text: string;

  constructor(
    private readonly range: string,
    private readonly expanded: ExpandedRange,
    private readonly end: number,
  ) {
    this.text = expanded.text;
  }

  fail(what: string, at: number = this.i): never {
    const range = this.range;
    const position = this.expanded.originalPosition(at);
    const column = position + 1;
    const near = position >= range.length ? 'the end' : `"${range.slice(position, position + 12)}"`;
    const expansion =
      this.text === range
        ? ''
        : ` (with hyphen ranges expanded, as Masterminds does: "${this.text}")`;
    throw new PolicyError(
      'INVALID_RANGE',
      `invalid semver range "${range}": ${what} at column ${column} (near ${near})${expansion}; ` +
        'expected Masterminds syntax such as ">=1.2.0 <2.0.0", "^1.4", "1.2.x" or "1.2 - 1.4.5"',
      { range, column },
    );
  }

  private code(at: number = this.i): number {
    return at < this.end ? this.text.charCodeAt(at) : -1;
  }

  private skipSpaces(): number {
    const start = this.i;
    while (isSpace(this.code())) this.i++;
    return this.i - start;
  }

  private operator(): number {
    // No symbol holds a `|`, so none can run into the next `||` group.
    for (const [symbol, op] of OPERATORS) {
      if (this.text.startsWith(symbol, this.i)) {
        this.i += symbol.length;
        return op;
      }
    }
    return OP_EQUAL;
  }

  private identifiers(what: string): string {
    const start = this.i;
    for (;;) {
      const idStart = this.i;
      while (isIdentifierChar(this.code())) this.i++;
      if (this.i === idStart) this.fail(`empty ${what} identifier`);
      if (this.code() !== 46) return this.text.slice(start, this.i);
      this.i++;
    }
  }

  // Reads `v?P(.P(.P)?)?(-pre)?(+build)?` where P is a run of digits, x, X or *.
  private rawVersion(): RawVersion | undefined {
    if (this.code() === 118) this.i++;
    const parts: string[] = [];
    while (parts.length < 3) {
      if (parts.length > 0) {
        if (this.code() !== 46) break;
        this.i++;
      }
      const start = this.i;
      while (isPartChar(this.code())) this.i++;
      if (this.i === start) {
        if (parts.length === 0) return undefined;
        this.fail('expected a number or wildcard after "."');
      }
      parts.push(this.text.slice(start, this.i));
    }
    let pre = '';
    if (this.code() === 45 && isIdentifierChar(this.code(this.i + 1))) {
      this.i++;
      pre = this.identifiers('prerelease');
    }
    if (this.code() === 43) {
      this.i++;
      this.identifiers('build metadata');
    }
    return { parts, pre, end: this.i };
  }

  private number(part: string, at: number): Part {
    if (!/^[0-9]+$/.test(part))
      this.fail(`"${part}" is neither a number nor a wildcard (x, X, *)`, at);
    const value = exactPart(part);
    if (value === undefined) this.fail(`${part} is larger than 2^64-1`, at);
    return value;
  }

  // Masterminds' parseConstraint: a wildcard or missing part makes the
  // comparator "dirty" and everything after it is ignored.
  private comparator(op: number, raw: RawVersion, at: number): Comparator {
    for (const id of raw.pre.split('.')) {
      if (/^0[0-9]+$/.test(id)) this.fail(`prerelease identifier "${id}" has a leading zero`, at);
    }
    const [major = '', minor, patch] = raw.parts;
    if (isWildcard(major)) return comparator(op, 0, 0, 0, raw.pre, 'major');
    const exactMajor = this.number(major, at);
    if (minor === undefined || isWildcard(minor)) {
      return comparator(op, exactMajor, 0, 0, raw.pre, 'minor');
    }
    const exactMinor = this.number(minor, at);
    if (patch === undefined || isWildcard(patch)) {
      return comparator(op, exactMajor, exactMinor, 0, raw.pre, 'patch');
    }
    return comparator(op, exactMajor, exactMinor, this.number(patch, at), raw.pre, undefined);
  }

  private expectVersion(): RawVersion {
    const raw = this.rawVersion();
    if (raw === undefined) this.fail('expected a version');
    return raw;
  }

  group(start: number): AndGroup {
    this.i = start;
    const comparators: Comparator[] = [];
    this.skipSpaces();
    for (;;) {
      if (this.i >= this.end) this.fail('expected a comparator');
      const op = this.operator();
      this.skipSpaces();
      const at = this.i;
      comparators.push(this.comparator(op, this.expectVersion(), at));
      const spaces = this.skipSpaces();
      if (this.i >= this.end) break;
      if (this.code() === 44) {
        this.i++;
        this.skipSpaces();
      } else if (spaces === 0) {
        this.fail('expected a space, a comma or "||" after a comparator');
      }
    }
    return {
      comparators,
      allowsPrerelease: comparators.some(isPrerelease),
    };
  }
}

/**
 * Parses a Masterminds/semver v3 range. Throws `PolicyError` `INVALID_RANGE`
 * with the range text and the 1-based column that failed.
 */
export function parseRange(text: string): SemverRange {
  const expanded = expandHyphenRanges(text);
  const groups: AndGroup[] = [];
  let start = 0;
  for (;;) {
    const bar = expanded.text.indexOf('||', start);
    const end = bar < 0 ? expanded.text.length : bar;
    groups.push(new RangeParser(text, expanded, end).group(start));
    if (bar < 0) break;
    start = bar + 2;
  }
  return new SemverRange(text, groups);
}
