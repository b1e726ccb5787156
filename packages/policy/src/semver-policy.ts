// The semver strategy. `select` is the hot path: each tag is scanned into a
// reused scratch version, compared with the current best before the (costlier)
// range check, and a winner swaps scratch and best — a tag that cannot win
// allocates nothing.
import { compareBytes } from './byte-order.js';
import { beatenEntry, type Candidate, explainSelection, valueNote } from './explain.js';
import type { CompiledFilter, TagValueSource } from './filter.js';
import type { SemverRange } from './range.js';
import type { Explanation, TagExplanation } from './types.js';
import {
  compareVersions,
  isPrerelease,
  scanCoercible,
  scanVersion,
  Version,
  versionString,
} from './version.js';

// Majors read by `leadingMajor` up to here are exact doubles.
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export class SemverSelector {
  // Scratch versions owned by the selector rather than allocated per call: V8
  // keeps the map of a class's filled-in instances only while one is alive, and
  // a major GC that finds none deoptimizes every function compiled against it.
  private readonly scratch = [new Version(), new Version()] as const;
  // The tags iterable is user code and could call select again mid-loop.
  private selecting = false;

  constructor(readonly range: SemverRange) {}

  select(tags: Iterable<string>, filter: TagValueSource | undefined): string | undefined {
    if (this.selecting) return this.run(tags, filter, new Version(), new Version());
    this.selecting = true;
    try {
      return this.run(tags, filter, this.scratch[0], this.scratch[1]);
    } finally {
      this.selecting = false;
    }
  }

  private run(
    tags: Iterable<string>,
    filter: TagValueSource | undefined,
    scan: Version,
    best: Version,
  ): string | undefined {
    const range = this.range;
    const ceiling = range.majorCeiling;
    let bestTag: string | undefined;
    for (const tag of tags) {
      let value: string | undefined = tag;
      if (filter !== undefined) {
        value = filter.apply(tag);
        if (value === undefined) continue;
      }
      // Read the major first: most tags lose on it alone, before a full scan.
      const major = leadingMajor(value);
      if (major < 0) continue;
      if (
        major <= MAX_EXACT &&
        (major > ceiling || (bestTag !== undefined && major < best.major))
      ) {
        continue;
      }
      if (!scanVersion(value, scan)) continue;
      if (bestTag !== undefined) {
        const order = compareVersions(scan, best);
        // Ties go to the greatest original tag, whatever the input order.
        if (order < 0 || (order === 0 && compareBytes(tag, bestTag) <= 0)) continue;
      }
      if (!range.test(scan)) continue;
      bestTag = tag;
      const previous = best;
      best = scan;
      scan = previous;
    }
    return bestTag;
  }

  explain(tags: Iterable<string>, filter: CompiledFilter | undefined): Explanation {
    let winner: Version | undefined;
    return explainSelection(
      tags,
      filter,
      (kept, values) => this.select(kept, values),
      (tag, value, selected) => {
        if (selected !== undefined) winner ??= parseVersion(selected.value);
        return this.entry(tag, value, selected, winner);
      },
    );
  }

  private entry(
    tag: string,
    value: string,
    selected: Candidate | undefined,
    winner: Version | undefined,
  ): TagExplanation {
    const range = this.range.text;
    const version = parseVersion(value);
    if (version === undefined) {
      return { tag, kind: 'unparseable', value, reason: unparseableReason(tag, value) };
    }
    const coerced = version.parts < 3 ? versionString(version) : undefined;
    const read = coerced === undefined ? '' : `; read as ${coerced} (missing parts filled with 0)`;
    let entry: Exclude<TagExplanation, { kind: 'filtered' | 'unparseable' | 'blocked' }>;
    if (!this.range.test(version)) {
      if (isPrerelease(version) && this.range.testIgnoringPrereleaseRule(version)) {
        entry = {
          tag,
          kind: 'prerelease',
          value,
          reason: `${valueNote(tag, value)} is a prerelease: it meets "${range}", but prereleases count only where a comparator of the same AND group has one (e.g. ">=1.0.0-0")${read}`,
        };
      } else {
        entry = {
          tag,
          kind: 'out-of-range',
          value,
          reason: `${valueNote(tag, value)} is outside "${range}"${read}`,
        };
      }
    } else {
      // A version in range exists, so select() picked a winner.
      const by = selected as Candidate;
      if (tag === by.tag) {
        entry = { tag, kind: 'selected', value, reason: `highest version in "${range}"${read}` };
      } else {
        const tie = compareVersions(version, winner as Version) === 0;
        entry = beatenEntry(tag, value, by.tag, tie, 'version', `lower version than "${by.tag}"`);
        entry.reason += read;
      }
    }
    if (coerced !== undefined) entry.coerced = coerced;
    return entry;
  }
}

// Names the two-dot rule when it alone skips the value (`1.2`, `v1`,
// `1.2-rc1`), since Masterminds by itself would read those.
function unparseableReason(tag: string, value: string): string {
  if (scanCoercible(value, new Version())) {
    return `${valueNote(tag, value)} has fewer than two "."; Flux's version.ParseVersion skips such tags (1.2.0 and 1.2-rc.1 count, 1.2 and 1.2-rc1 do not)`;
  }
  return `${valueNote(tag, value)} is not a Flux semver tag (optional lowercase v, 1 to 3 numeric parts, -prerelease, +build; at least two ".")`;
}

/**
 * The major number a tag starts with (after an optional `v`), or -1 when it
 * does not start with a digit. Huge numbers come out approximate, which only
 * matters to the exact comparisons that follow the full scan.
 */
function leadingMajor(value: string): number {
  const n = value.length;
  let i = n > 0 && value.charCodeAt(0) === 118 ? 1 : 0;
  let major = -1;
  while (i < n) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    major = major < 0 ? c : major * 10 + c;
    i++;
  }
  return major;
}

// Explanations are not the hot path: a fresh Version per tag reads best.
function parseVersion(value: string): Version | undefined {
  const version = new Version();
  return scanVersion(value, version) ? version : undefined;
}
