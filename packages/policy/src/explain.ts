// Policy.explain, shared by every strategy: filter each tag once, run the
// strategy's own `select` over the kept values (so explain and select cannot
// disagree), then let the strategy describe each kept tag.
import { PolicyError } from './errors.js';
import type { CompiledFilter, TagValueSource } from './filter.js';
import type { Explanation, TagExplanation, TagExplanationKind } from './types.js';

/** The selected tag and the value it was compared by. */
export interface Candidate {
  readonly tag: string;
  readonly value: string;
}

/** A strategy's `select`; `values` is undefined when tags are compared whole. */
export type Select = (
  tags: Iterable<string>,
  values: TagValueSource | undefined,
) => string | undefined;

/** Describes a tag the filter kept; `selected` is undefined when nothing won. */
export type Describe = (
  tag: string,
  value: string,
  selected: Candidate | undefined,
) => TagExplanation;

/**
 * Explains a selection. `select` may throw `PolicyError` (the numerical
 * policy's `INVALID_NUMBER`); explain reports it as `error` instead.
 */
export function explainSelection(
  tags: Iterable<string>,
  filter: CompiledFilter | undefined,
  select: Select,
  describe: Describe,
): Explanation {
  const inputs: string[] = [];
  // Tag -> compared value, filtered-out tags absent. The filter (an RE2 match,
  // the costly part) runs once per distinct tag; select reads the map.
  const values = new Map<string, string>();
  const dropped = new Set<string>();
  for (const tag of tags) {
    inputs.push(tag);
    if (values.has(tag) || dropped.has(tag)) continue;
    const value = filter === undefined ? tag : filter.apply(tag);
    if (value === undefined) dropped.add(tag);
    else values.set(tag, value);
  }
  let selected: Candidate | undefined;
  let error: PolicyError | undefined;
  try {
    const lookup = filter === undefined ? undefined : { apply: (tag: string) => values.get(tag) };
    const tag = select(values.keys(), lookup);
    if (tag !== undefined) selected = { tag, value: values.get(tag) as string };
  } catch (thrown) {
    if (!(thrown instanceof PolicyError)) throw thrown;
    error = thrown;
  }
  const entries = inputs.map((tag): TagExplanation => {
    const value = values.get(tag);
    if (value !== undefined) return describe(tag, value, selected);
    return {
      tag,
      kind: 'filtered',
      reason: `does not match filterTags.pattern "${filter?.pattern}"`,
    };
  });
  return explanation(selected?.tag, entries, error);
}

/** The entry of a candidate that lost to `by`; `tie` when only the tie-break beat it. */
export function beatenEntry(
  tag: string,
  value: string,
  by: string,
  tie: boolean,
  noun: string,
  lost: string,
): Extract<TagExplanation, { kind: 'beaten' }> {
  const reason = tie ? `same ${noun} as "${by}"; ties go to the greatest tag in byte order` : lost;
  return { tag, kind: 'beaten', value, by, reason };
}

/** Describes the compared value when it differs from the tag. */
export function valueNote(tag: string, value: string): string {
  return value === tag ? `"${tag}"` : `"${tag}" (extracted "${value}")`;
}

const KIND_WORDS: Record<TagExplanationKind, string> = {
  selected: 'selected',
  beaten: 'beaten',
  filtered: 'filtered out',
  unparseable: 'unparseable',
  'out-of-range': 'out of range',
  prerelease: 'excluded prereleases',
  blocked: 'blocked',
};

// Assembles an Explanation with a summary counting each kind.
function explanation(
  selected: string | undefined,
  tags: TagExplanation[],
  error: PolicyError | undefined,
): Explanation {
  const counts = new Map<TagExplanationKind, number>();
  for (const entry of tags) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, count]) => `${count} ${KIND_WORDS[kind]}`);
  const tally = tags.length === 0 ? 'no tags' : `${tags.length} tags: ${parts.join(', ')}`;
  let summary: string;
  if (error !== undefined) summary = `selection failed (${error.message}); ${tally}`;
  else if (selected === undefined) summary = `no tag selected, no candidate left; ${tally}`;
  else summary = `selected "${selected}"; ${tally}`;
  const result: Explanation = { selected, tags, summary };
  if (error !== undefined) result.error = error;
  return result;
}
