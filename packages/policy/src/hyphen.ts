// Masterminds expands hyphen ranges (`A - B`) with a regex over the WHOLE range
// text before it splits on `||` or validates anything, and the quirks of that
// pass decide what is valid: the regex swallows the spaces around the match (so
// `>=0 1 - 2` becomes the invalid `>=0>= 1, <= 2 `), its version parts may hold
// `|` (so `1||2 - 3` reads as `>= 1||2, <= 3 `, i.e. `>=1 || 2, <=3`), and a
// second range right after a first one is fine (`1 - 5 3 - 4`). Running the
// same pass here, with RE2 (Go's regexp semantics, linear time), is the only
// way to agree on all of them.
import { RE2JS } from 're2js';

// A range version as Masterminds' constraint regex reads it: part characters
// are digits, x, X, * and (a quirk of its character class) |.
const PART = '[0-9xX*|]+';
const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const VERSION = `v?${PART}(?:\\.${PART})?(?:\\.${PART})?(?:-${IDENTIFIERS})?(?:\\+${IDENTIFIERS})?`;
// Go's \s: tab, newline, form feed, carriage return, space.
const SPACE = '[\\t\\n\\f\\r ]';
const HYPHEN_SOURCE = `${SPACE}*(${VERSION})${SPACE}+-${SPACE}+(${VERSION})${SPACE}*`;
// Every match has a "-" between Go spaces, so a range without one has no hyphen
// range; the RE2 program (about 9 ms to compile) is built only for ranges that might,
// which keeps it out of `tagsmith select --semver '>=1.0 <2'` startup.
const MAYBE_HYPHEN = /[\t\n\f\r ]-[\t\n\f\r ]/;
let hyphenRange: RE2JS | undefined;

/** One hyphen range replaced: where its text sits in both strings. */
interface Expansion {
  /** Bounds of the replacement in the expanded text. */
  readonly start: number;
  readonly end: number;
  /** Where the replaced text ended in the original. */
  readonly originalEnd: number;
  /** Where the lower bound starts in the original: errors inside point here. */
  readonly lowerAt: number;
}

/** A range with its hyphen ranges expanded, and a way back to the original positions. */
export interface ExpandedRange {
  readonly text: string;
  /** Maps a position in `text` to the position in the original it came from. */
  originalPosition(at: number): number;
}

/**
 * Rewrites every `A - B` as `>= A, <= B ` (trailing space included, as
 * Masterminds 3.4 writes it), replacing the first occurrence of each matched
 * text in turn like Go's `strings.Replace(s, match, expansion, 1)`.
 */
export function expandHyphenRanges(range: string): ExpandedRange {
  const expansions: Expansion[] = [];
  let text = range;
  if (!MAYBE_HYPHEN.test(range)) return expanded(text, expansions);
  hyphenRange ??= RE2JS.compile(HYPHEN_SOURCE);
  const matcher = hyphenRange.matcher(range);
  while (matcher.find()) {
    const matched = matcher.group() as string;
    const replacement = `>= ${matcher.group(1)}, <= ${matcher.group(2)} `;
    const start = text.indexOf(matched);
    text = text.slice(0, start) + replacement + text.slice(start + matched.length);
    expansions.push({
      start,
      end: start + replacement.length,
      originalEnd: matcher.end(),
      lowerAt: matcher.start(1),
    });
  }
  return expanded(text, expansions);
}

function expanded(text: string, expansions: readonly Expansion[]): ExpandedRange {
  return {
    text,
    originalPosition(at) {
      let shift = 0;
      for (const e of expansions) {
        if (at < e.start) break;
        if (at < e.end) return e.lowerAt;
        shift = e.originalEnd - e.end;
      }
      return at + shift;
    },
  };
}
