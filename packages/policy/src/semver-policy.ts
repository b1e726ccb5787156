// The semver strategy. `select` is the hot path: each tag is scanned in place,
// compared with the current best before the (costlier) range check, and only
// the winner's fields are kept — a tag that cannot win allocates nothing.
import { compareBytes } from './byte-order.js';
import { type Candidate, candidates, explanation, filteredEntry, valueNote } from './explain.js';
import type { CompiledFilter } from './filter.js';
import type { SemverRange } from './range.js';
import type { Explanation, TagExplanation } from './types.js';
import { compareVersions, exactCore, type Part, scanVersion, VersionScan } from './version.js';

// Majors read by `leadingMajor` up to here are exact doubles.
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export class SemverSelector {
  constructor(readonly range: SemverRange) {}

  select(tags: Iterable<string>, filter: CompiledFilter | undefined): string | undefined {
    const range = this.range;
    const ceiling = range.majorCeiling;
    const scan = new VersionScan();
    let bestTag: string | undefined;
    let best = '';
    let bestMajor: Part = 0;
    let bestMinor: Part = 0;
    let bestPatch: Part = 0;
    let bestPreStart = 0;
    let bestPreEnd = 0;
    for (const tag of tags) {
      let value: string | undefined = tag;
      if (filter !== undefined) {
        value = filter.apply(tag);
        if (value === undefined) continue;
      }
      // Read the major first: most tags lose on it alone, before a full scan.
      const major0 = leadingMajor(value);
      if (major0 < 0) continue;
      if (
        major0 <= MAX_EXACT &&
        (major0 > ceiling || (bestTag !== undefined && major0 < bestMajor))
      ) {
        continue;
      }
      if (!scanVersion(value, scan)) continue;
      let major: Part = scan.major;
      let minor: Part = scan.minor;
      let patch: Part = scan.patch;
      if (scan.wide) {
        const exact = exactCore(value, scan);
        if (exact === undefined) continue;
        [major, minor, patch] = exact;
      }
      const { preStart, preEnd } = scan;
      if (bestTag !== undefined) {
        const order = compareVersions(
          major,
          minor,
          patch,
          value,
          preStart,
          preEnd,
          bestMajor,
          bestMinor,
          bestPatch,
          best,
          bestPreStart,
          bestPreEnd,
        );
        // Ties go to the greatest original tag, whatever the input order.
        if (order < 0 || (order === 0 && compareBytes(tag, bestTag) <= 0)) continue;
      }
      if (!range.test(major, minor, patch, value, preStart, preEnd)) continue;
      bestTag = tag;
      best = value;
      bestMajor = major;
      bestMinor = minor;
      bestPatch = patch;
      bestPreStart = preStart;
      bestPreEnd = preEnd;
    }
    return bestTag;
  }

  explain(tags: Iterable<string>, filter: CompiledFilter | undefined): Explanation {
    const list = candidates(tags, filter);
    const selected = this.select(
      list.map((c) => c.tag),
      filter,
    );
    const winnerValue = list.find((c) => c.tag === selected)?.value;
    const winner = winnerValue === undefined ? undefined : unpack(winnerValue);
    return explanation(
      selected,
      list.map((c) => this.entry(c, filter, selected, winner)),
    );
  }

  private entry(
    { tag, value }: Candidate,
    filter: CompiledFilter | undefined,
    selected: string | undefined,
    winner: Unpacked | undefined,
  ): TagExplanation {
    if (value === undefined) return filteredEntry(tag, filter as CompiledFilter);
    const version = unpack(value);
    if (version === undefined) {
      return {
        tag,
        outcome: 'unparseable',
        value,
        reason: `${valueNote(tag, value)} is not MAJOR.MINOR.PATCH (optional lowercase v, -prerelease, +build)`,
      };
    }
    const range = this.range;
    if (!range.test(...version)) {
      if (version[5] > version[4] && !range.admitsPrereleases) {
        return {
          tag,
          outcome: 'prerelease',
          value,
          reason: `prerelease, and no comparator of "${range.text}" has one (e.g. ">=1.0.0-0" admits them)`,
        };
      }
      return {
        tag,
        outcome: 'out-of-range',
        value,
        reason: `${valueNote(tag, value)} is outside "${range.text}"`,
      };
    }
    if (tag === selected) {
      return { tag, outcome: 'selected', value, reason: `highest version in "${range.text}"` };
    }
    const by = selected as string;
    const same = winner !== undefined && compareVersions(...version, ...winner) === 0;
    const reason = same
      ? `same version as "${by}"; ties go to the greatest tag in byte order`
      : `lower version than "${by}"`;
    return { tag, outcome: 'beaten', value, by, reason };
  }
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

/** major, minor, patch, text, prerelease start, prerelease end. */
type Unpacked = [Part, Part, Part, string, number, number];

// Explanations are not the hot path: unpack into a tuple for readability.
function unpack(value: string): Unpacked | undefined {
  const scan = new VersionScan();
  if (!scanVersion(value, scan)) return undefined;
  const core = scan.wide ? exactCore(value, scan) : [scan.major, scan.minor, scan.patch];
  if (core === undefined) return undefined;
  const [major, minor, patch] = core as [Part, Part, Part];
  return [major, minor, patch, value, scan.preStart, scan.preEnd];
}
