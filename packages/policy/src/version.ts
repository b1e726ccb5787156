// Tag versions, scanned the way Flux parses them (fluxcd/pkg/version.ParseVersion
// on top of Masterminds/semver's NewVersion): an optional lowercase `v`, exactly
// three numeric parts (leading zeros allowed, each at most 2^64-1), an optional
// `-prerelease` and an optional `+build`.
//
// The scanner writes into a caller-owned `VersionScan` and never allocates, so a
// tag that cannot win costs no garbage. Core numbers are kept as doubles; only a
// part with more than 15 significant digits (`wide`) needs `exactCore`, which
// allocates BigInts. Version parts are therefore typed `number | bigint`: the
// relational operators compare the two kinds exactly.

/** One core version number: a safe integer, or a BigInt above 2^53-1. */
export type Part = number | bigint;

const MAX_UINT64 = 18446744073709551615n;
const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
const CHAR_DASH = 45;
const CHAR_PLUS = 43;
const CHAR_V = 118;

/** Scratch output of {@link scanVersion}; reused across tags. */
export class VersionScan {
  major = 0;
  minor = 0;
  patch = 0;
  /** Bounds of the prerelease in the scanned string; equal when there is none. */
  preStart = 0;
  preEnd = 0;
  /** End of the `MAJOR.MINOR.PATCH` core, for `exactCore`. */
  coreStart = 0;
  /** A core part has more than 15 significant digits; call `exactCore`. */
  wide = false;
}

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
 * Scans `s` as a Flux tag version. Returns false for anything Flux skips
 * (`latest`, `1.2`, `v1`, `1.2.3.4`, `V1.2.3`, `1.0.0-01`, a part above 2^64-1).
 */
export function scanVersion(s: string, out: VersionScan): boolean {
  const n = s.length;
  let i = n > 0 && s.charCodeAt(0) === CHAR_V ? 1 : 0;
  out.coreStart = i;
  out.wide = false;
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
    if (significant > 15) out.wide = true;
    if (part === 0) out.major = value;
    else if (part === 1) out.minor = value;
    else out.patch = value;
  }
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
  return i === n;
}

/** Converts a run of decimal digits to a {@link Part}, or undefined above 2^64-1. */
export function exactPart(digits: string): Part | undefined {
  const big = BigInt(digits);
  if (big > MAX_UINT64) return undefined;
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * The exact core of a `wide` scan, or undefined when a part exceeds 2^64-1
 * (Masterminds parses parts with `strconv.ParseUint(.., 64)`).
 */
export function exactCore(s: string, scan: VersionScan): [Part, Part, Part] | undefined {
  const core = s.slice(
    scan.coreStart,
    scan.preStart === scan.preEnd ? undefined : scan.preStart - 1,
  );
  const digits = core.split(/[.+]/, 3);
  const major = exactPart(digits[0] ?? '');
  const minor = exactPart(digits[1] ?? '');
  const patch = exactPart(digits[2] ?? '');
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  return [major, minor, patch];
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
 * Orders two prereleases given as `[start, end)` slices of their strings, the
 * way Masterminds does: no prerelease is greater than any, identifiers compare
 * numerically when both are numbers, numbers sort before words, and a shorter
 * list of equal identifiers sorts first.
 */
export function comparePrerelease(
  a: string,
  as: number,
  ae: number,
  b: string,
  bs: number,
  be: number,
): number {
  if (as === ae) return bs === be ? 0 : 1;
  if (bs === be) return -1;
  for (;;) {
    let aEnd = as;
    while (aEnd < ae && a.charCodeAt(aEnd) !== CHAR_DOT) aEnd++;
    let bEnd = bs;
    while (bEnd < be && b.charCodeAt(bEnd) !== CHAR_DOT) bEnd++;
    const d = compareIdentifier(a, as, aEnd, b, bs, bEnd);
    if (d !== 0) return d;
    const aDone = aEnd >= ae;
    const bDone = bEnd >= be;
    if (aDone || bDone) return aDone === bDone ? 0 : aDone ? -1 : 1;
    as = aEnd + 1;
    bs = bEnd + 1;
  }
}

/** Masterminds' `Version.Compare` on unpacked versions; build metadata is ignored. */
export function compareVersions(
  aMajor: Part,
  aMinor: Part,
  aPatch: Part,
  a: string,
  aPreStart: number,
  aPreEnd: number,
  bMajor: Part,
  bMinor: Part,
  bPatch: Part,
  b: string,
  bPreStart: number,
  bPreEnd: number,
): number {
  if (aMajor !== bMajor) {
    const d = comparePart(aMajor, bMajor);
    if (d !== 0) return d;
  }
  if (aMinor !== bMinor) {
    const d = comparePart(aMinor, bMinor);
    if (d !== 0) return d;
  }
  if (aPatch !== bPatch) {
    const d = comparePart(aPatch, bPatch);
    if (d !== 0) return d;
  }
  return comparePrerelease(a, aPreStart, aPreEnd, b, bPreStart, bPreEnd);
}
