// Tag versions, scanned the way Flux parses them (fluxcd/pkg/version.ParseVersion
// on top of Masterminds/semver's NewVersion): an optional lowercase `v`, exactly
// three numeric parts (leading zeros allowed, each at most 2^64-1), an optional
// `-prerelease` and an optional `+build`.
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
 * Scans `s` as a Flux tag version into `out`. Returns false for anything Flux
 * skips (`latest`, `1.2`, `v1`, `1.2.3.4`, `V1.2.3`, `1.0.0-01`, a part above
 * 2^64-1); `out` is then garbage.
 */
export function scanVersion(s: string, out: Version): boolean {
  const n = s.length;
  const coreStart = n > 0 && s.charCodeAt(0) === CHAR_V ? 1 : 0;
  let i = coreStart;
  let wide = false;
  for (let part = 0; part < 3; part++) {
    if (part > 0) {
      if (i >= n || s.charCodeAt(i) !== CHAR_DOT) return false;
      i++;
    }
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
    if (i === start || significant > 20) return false;
    if (significant > 15) wide = true;
    if (part === 0) out.major = value;
    else if (part === 1) out.minor = value;
    else out.patch = value;
  }
  const coreEnd = i;
  out.text = s;
  out.preStart = i;
  out.preEnd = i;
  if (i < n && s.charCodeAt(i) === CHAR_DASH) {
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
  if (i !== n) return false;
  return !wide || exactCore(s.slice(coreStart, coreEnd), out);
}

/** Converts a run of decimal digits to a {@link Part}, or undefined above 2^64-1. */
export function exactPart(digits: string): Part | undefined {
  const big = BigInt(digits);
  if (big > MAX_UINT64) return undefined;
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

// Doubles lose digits past 2^53; re-read `MAJOR.MINOR.PATCH` exactly. False when
// a part exceeds 2^64-1 (Masterminds parses parts with strconv.ParseUint(.., 64)).
function exactCore(core: string, out: Version): boolean {
  const [major = '', minor = '', patch = ''] = core.split('.');
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

/** Orders two parts: negative, zero or positive. */
export function comparePart(a: Part, b: Part): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Digit strings without leading zeros whose value fits in a uint64 compare as
// numbers; Masterminds treats longer ones as alphanumeric (ParseUint fails).
function numericIdentifier(s: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0 || length > 20) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) return false;
  }
  return length < 20 || s.slice(start, end) <= '18446744073709551615';
}

function compareIdentifier(a: string, as: number, ae: number, b: string, bs: number, be: number) {
  const aLength = ae - as;
  const bLength = be - bs;
  let same = aLength === bLength;
  for (let k = 0; same && k < aLength; k++) same = a.charCodeAt(as + k) === b.charCodeAt(bs + k);
  if (same) return 0;
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
  if (a.major !== b.major) {
    const d = comparePart(a.major, b.major);
    if (d !== 0) return d;
  }
  if (a.minor !== b.minor) {
    const d = comparePart(a.minor, b.minor);
    if (d !== 0) return d;
  }
  if (a.patch !== b.patch) {
    const d = comparePart(a.patch, b.patch);
    if (d !== 0) return d;
  }
  return comparePrerelease(a, b);
}
