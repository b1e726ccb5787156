// Shared pieces of Policy.explain: the entries every strategy produces the same
// way, and the one-line summary.
import type { CompiledFilter } from './filter.js';
import type { Explanation, TagExplanation, TagOutcome } from './types.js';

/** A tag with the value its policy compares, or undefined when the filter dropped it. */
export interface Candidate {
  tag: string;
  value: string | undefined;
}

/** Applies the filter to every tag once, keeping input order. */
export function candidates(
  tags: Iterable<string>,
  filter: CompiledFilter | undefined,
): Candidate[] {
  const out: Candidate[] = [];
  for (const tag of tags) out.push({ tag, value: filter === undefined ? tag : filter.apply(tag) });
  return out;
}

/** The entry of a tag that `filterTags.pattern` dropped. */
export function filteredEntry(tag: string, filter: CompiledFilter): TagExplanation {
  return {
    tag,
    outcome: 'filtered',
    reason: `does not match filterTags.pattern "${filter.pattern}"`,
  };
}

/** Describes the compared value when it differs from the tag. */
export function valueNote(tag: string, value: string): string {
  return value === tag ? `"${tag}"` : `"${tag}" (extracted "${value}")`;
}

const OUTCOME_WORDS: Record<TagOutcome, string> = {
  selected: 'selected',
  beaten: 'beaten',
  filtered: 'filtered out',
  unparseable: 'unparseable',
  'out-of-range': 'out of range',
  prerelease: 'excluded prereleases',
  blocked: 'blocked',
};

/** Assembles an Explanation with a summary counting each outcome. */
export function explanation(
  selected: string | undefined,
  tags: TagExplanation[],
  error?: Explanation['error'],
): Explanation {
  const counts = new Map<TagOutcome, number>();
  for (const entry of tags) counts.set(entry.outcome, (counts.get(entry.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, count]) => `${count} ${OUTCOME_WORDS[outcome]}`);
  const tally = tags.length === 0 ? 'no tags' : `${tags.length} tags: ${parts.join(', ')}`;
  let summary: string;
  if (error !== undefined) summary = `selection failed (${error.message}); ${tally}`;
  else if (selected === undefined) summary = `no tag selected, no candidate left; ${tally}`;
  else summary = `selected "${selected}"; ${tally}`;
  const result: Explanation = { selected, tags, summary };
  if (error !== undefined) result.error = error;
  return result;
}
