// Tag versions, scanned the way Flux parses them: fluxcd/pkg
// version.ParseVersion wants at least two `.` anywhere in the tag (it checks
// `strings.SplitN(v, ".", 3)` for three pieces; prerelease and build dots
// count), then hands it to Masterminds/semver's coercing NewVersion, whose
// loose regex is `v?N(.N)?(.N)?(-pre)?(+build)?`: an optional lowercase `v`, one
// to three numeric parts (leading zeros allowed, each at most 2^64-1 as
// strconv.ParseUint reads it, missing ones 0), dot-separated `[0-9A-Za-z-]`
// identifiers, and no numeric prerelease identifier with a leading zero. So
// `1.2-rc.1` is 1.2.0-rc.1 and `2+1.sha.abc` is 2.0.0, while `1.2` and
// `1.2-rc1` (one dot) are skipped.
//
// The scanner fills a caller-owned `Version` and allocates nothing for ordinary
// tags, so a tag that cannot win costs no garbage. Core numbers are doubles; only
// a part with more than 15 significant digits is re-read exactly as a BigInt.
// Version parts are therefore typed `number | bigint`: the relational operators
// compare the two kinds exactly.

/** One core version number: a safe integer, or a BigInt above 2^53-1. */
export type Part = number | bigint;

/**
 * What version comparisons read. The prerelease is the `[preStart, preEnd)`
 * slice of `text`, so a tag's prerelease is never copied out of the tag.
 */
export interface VersionFields {
  readonly major: Part;
  readonly minor: Part;
  readonly patch: Part;
  /** The string holding the prerelease: the scanned tag, or a comparator's prerelease. */
  readonly text: string;
  /** Bounds of the prerelease in `text`; equal when there is none. */
  readonly preStart: number;
  readonly preEnd: number;
}

/** A mutable version that {@link scanVersion} fills; the hot loop reuses two of them. */
export class Version implements VersionFields {
  major: Part = 0;
  minor: Part = 0;
  patch: Part = 0;
  text = '';
  preStart = 0;
  preEnd = 0;
  /** How many numeric parts the tag spells (1-3); the rest were filled in as 0. */
  parts = 3;
}

/** Whether `v` has a prerelease part. */
export function isPrerelease(v: VersionFields): boolean {
  return v.preEnd > v.preStart;
}

const MAX_UINT64 = 18446744073709551615n;
const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
const CHAR_DASH = 45;
const CHAR_PLUS = 43;
const CHAR_V = 118;

function isIdentifierChar(c: number): boolean {
  return (
    (c >= CHAR_0 && c <= CHAR_9) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === CHAR_DASH
  );
}

// Scans dot-separated identifiers from `i`; returns the end index, or -1 if an
// identifier is empty or (for prereleases) numeric with a leading zero.
function scanIdentifiers(s: string, i: number, prerelease: boolean): number {
  const n = s.length;
  for (;;) {
    const start = i;
    let digitsOnly = true;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (!isIdentifierChar(c)) break;
      if (c < CHAR_0 || c > CHAR_9) digitsOnly = false;
      i++;
    }
    if (i === start) return -1;
    if (prerelease && digitsOnly && i - start > 1 && s.charCodeAt(start) === CHAR_0) return -1;
    if (i < n && s.charCodeAt(i) === CHAR_DOT) {
      i++;
      continue;
    }
    return i;
  }
}

/**
 * Scans `s` as a Flux tag version into `out`: Masterminds' coercing NewVersion
 * behind ParseVersion's two-dot check. Returns false for anything Flux skips
 * (`latest`, `1.2`, `v1`, `1.2-rc1`, `1.2.3.4`, `V1.2.3`, `1.0.0-01`, a part
 * above 2^64-1); `out` is then garbage.
 */
export function scanVersion(s: string, out: Version): boolean {
  return scan(s, out, true);
}

/**
 * Scans `s` with Masterminds' coercing NewVersion alone, without Flux's
 * two-dot check: tells explain() that `1.2` is skipped for its dots only.
 */
export function scanCoercible(s: string, out: Version): boolean {
  return scan(s, out, false);
}

// Flux's ParseVersion when `twoDots`, else Masterminds' coercing NewVersion alone.
function scan(s: string, out: Version, twoDots: boolean): boolean {
  const n = s.length;
  const coreStart = n > 0 && s.charCodeAt(0) === CHAR_V ? 1 : 0;
  let i = coreStart;
  let wide = false;
  let parts = 0;
  for (;;) {
    const start = i;
    let value = 0;
    let significant = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < CHAR_0 || c > CHAR_9) break;
      if (value !== 0 || c !== CHAR_0) significant++;
      value = value * 10 + (c - CHAR_0);
      i++;
    }
    // No digits: not a version, or a `.` the loose regex cannot take (`1..2`, `1.-rc`).
    if (i === start || significant > 20) return false;
    if (significant > 15) wide = true;
    if (parts === 0) out.major = value;
    else if (parts === 1) out.minor = value;
    else out.patch = value;
    parts++;
    if (parts === 3 || i >= n || s.charCodeAt(i) !== CHAR_DOT) break;
    i++;
  }
  const coreEnd = i;
  out.parts = parts;
  out.text = s;
  out.preStart = i;
  out.preEnd = i;
  if (i !== n && !scanSuffix(s, i, out)) return false;
  if (parts < 3 && !completeShortCore(s, coreEnd, out, twoDots)) return false;
  return !wide || exactCore(s.slice(coreStart, coreEnd), out);
}

// The rest of `scan`, out of line like `completeShortCore` so that the scan of
// a plain `1.2.3` stays small enough for V8 to inline into the selection loop.
// Reads `-prerelease` and `+build` from `i` to the end of `s`.
function scanSuffix(s: string, i: number, out: Version): boolean {
  const n = s.length;
  if (s.charCodeAt(i) === CHAR_DASH) {
    const end = scanIdentifiers(s, i + 1, true);
    if (end < 0) return false;
    out.preStart = i + 1;
    out.preEnd = end;
    i = end;
  }
  if (i < n && s.charCodeAt(i) === CHAR_PLUS) {
    i = scanIdentifiers(s, i + 1, false);
    if (i < 0) return false;
  }
  return i === n;
}

// Masterminds fills missing parts with 0. A full core has Flux's two dots; a
// short one needs the rest in its prerelease or build.
function completeShortCore(s: string, coreEnd: number, out: Version, twoDots: boolean): boolean {
  out.patch = 0;
  if (out.parts < 2) out.minor = 0;
  if (!twoDots) return true;
  let dots = out.parts - 1;
  for (let i = coreEnd; i < s.length; i++) if (s.charCodeAt(i) === CHAR_DOT) dots++;
  return dots >= 2;
}

/** Converts a run of decimal digits to a {@link Part}, or undefined above 2^64-1. */
export function exactPart(digits: string): Part | undefined {
  const big = BigInt(digits);
  if (big > MAX_UINT64) return undefined;
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

// Doubles lose digits past 2^53; re-read the core's one to three parts exactly
// (missing ones are 0). False when a part exceeds 2^64-1 (Masterminds parses
// parts with strconv.ParseUint(.., 64)).
function exactCore(core: string, out: Version): boolean {
  const [major = '0', minor = '0', patch = '0'] = core.split('.');
  const exactMajor = exactPart(major);
  const exactMinor = exactPart(minor);
  const exactPatch = exactPart(patch);
  if (exactMajor === undefined || exactMinor === undefined || exactPatch === undefined) {
    return false;
  }
  out.major = exactMajor;
  out.minor = exactMinor;
  out.patch = exactPatch;
  return true;
}

/**
 * The version as Masterminds' `Version.String()` prints it: the numbers
 * without `v` or leading zeros, then the tag's own `-prerelease+build` (which
 * starts at the `-` before the prerelease, or where the core ends).
 */
export function versionString(v: Version): string {
  const tail = v.text.slice(isPrerelease(v) ? v.preStart - 1 : v.preStart);
  return `${v.major}.${v.minor}.${v.patch}${tail}`;
}

/** Orders two parts: negative, zero or positive. */
export function comparePart(a: Part, b: Part): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Digit strings without leading zeros whose value fits in a uint64 compare as
// numbers; Masterminds treats longer ones as alphanumeric (ParseUint fails).
// Identifiers are never empty: the tag scanner and the range parser reject that.
function numericIdentifier(s: string, start: number, end: number): boolean {
  const length = end - start;
  if (length > 20) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) return false;
  }
  return length < 20 || s.slice(start, end) <= '18446744073709551615';
}

function compareIdentifier(a: string, as: number, ae: number, b: string, bs: number, be: number) {
  const aLength = ae - as;
  const bLength = be - bs;
  const aNumeric = numericIdentifier(a, as, ae);
  const bNumeric = numericIdentifier(b, bs, be);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  if (aNumeric && aLength !== bLength) return aLength - bLength;
  // Identifiers are ASCII, so code units are bytes.
  const n = Math.min(aLength, bLength);
  for (let k = 0; k < n; k++) {
    const d = a.charCodeAt(as + k) - b.charCodeAt(bs + k);
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/**
 * Orders the prereleases of two versions the way Masterminds does: no
 * prerelease is greater than any, identifiers compare numerically when both are
 * numbers, numbers sort before words, and a shorter list of equal identifiers
 * sorts first.
 */
export function comparePrerelease(a: VersionFields, b: VersionFields): number {
  const at = a.text;
  const bt = b.text;
  let as = a.preStart;
  let bs = b.preStart;
  const ae = a.preEnd;
  const be = b.preEnd;
  if (as === ae) return bs === be ? 0 : 1;
  if (bs === be) return -1;
  for (;;) {
    let aEnd = as;
    while (aEnd < ae && at.charCodeAt(aEnd) !== CHAR_DOT) aEnd++;
    let bEnd = bs;
    while (bEnd < be && bt.charCodeAt(bEnd) !== CHAR_DOT) bEnd++;
    const d = compareIdentifier(at, as, aEnd, bt, bs, bEnd);
    if (d !== 0) return d;
    const aDone = aEnd >= ae;
    const bDone = bEnd >= be;
    if (aDone || bDone) return aDone === bDone ? 0 : aDone ? -1 : 1;
    as = aEnd + 1;
    bs = bEnd + 1;
  }
}

/** Masterminds' `Version.Compare`; build metadata is ignored. */
export function compareVersions(a: VersionFields, b: VersionFields): number {
  // A part is a number up to 2^53-1 and a BigInt only above (see exactPart), so
  // `!==` is exact inequality here, and the cheap test for the common case.
  if (a.major !== b.major) return comparePart(a.major, b.major);
  if (a.minor !== b.minor) return comparePart(a.minor, b.minor);
  if (a.patch !== b.patch) return comparePart(a.patch, b.patch);
  return comparePrerelease(a, b);
}
