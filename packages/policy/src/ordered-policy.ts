// The alphabetical and numerical strategies. Both keep only the current best
// while scanning; ties go to the greatest original tag in byte order.
import { compareBytes } from './byte-order.js';
import { PolicyError } from './errors.js';
import { beatenEntry, type Candidate, explainSelection, valueNote } from './explain.js';
import type { CompiledFilter, TagValueSource } from './filter.js';
import { GoFloat, parseGoFloat } from './go-float.js';
import type { Explanation, TagExplanation } from './types.js';

/** Flux's alphabetical policy: byte-wise order, `asc` keeps the greatest. */
export class AlphabeticalSelector {
  constructor(readonly descending: boolean) {}

  select(tags: Iterable<string>, filter: TagValueSource | undefined): string | undefined {
    const sign = this.descending ? -1 : 1;
    let bestTag: string | undefined;
    let best = '';
    for (const tag of tags) {
      let value: string | undefined = tag;
      if (filter !== undefined) {
        value = filter.apply(tag);
        if (value === undefined) continue;
      }
      if (bestTag !== undefined) {
        const order = sign * compareBytes(value, best);
        if (order < 0 || (order === 0 && compareBytes(tag, bestTag) <= 0)) continue;
      }
      bestTag = tag;
      best = value;
    }
    return bestTag;
  }

  explain(tags: Iterable<string>, filter: CompiledFilter | undefined): Explanation {
    const direction = this.descending ? 'smallest' : 'greatest';
    return explainSelection(
      tags,
      filter,
      (kept, values) => this.select(kept, values),
      (tag, value, selected): TagExplanation => {
        // Every kept tag is a candidate, so there is a winner.
        const by = selected as Candidate;
        if (tag === by.tag) {
          return { tag, kind: 'selected', value, reason: `${direction} value in byte order` };
        }
        const lost = `${valueNote(tag, value)} is not the ${direction} value in byte order`;
        return beatenEntry(tag, value, by.tag, value === by.value, 'value', lost);
      },
    );
  }
}

function numberError(tag: string, value: string, status: GoFloat['status']): PolicyError {
  const what =
    status === 'range'
      ? `${valueNote(tag, value)} overflows a 64-bit float (Go's ParseFloat returns ErrRange, so Flux fails too)`
      : `${valueNote(tag, value)} is not a number (Go ParseFloat syntax)`;
  return new PolicyError(
    'INVALID_NUMBER',
    `numerical policy: ${what}; every candidate must be numeric, so set filterTags.pattern ` +
      `to keep only numeric tags (e.g. pattern: '^[0-9]+$')`,
    { tag },
  );
}

// NaN is a valid Go float, but Go's `<` makes Flux's answer depend on the input
// order. We rank NaN below every number in both orders, so it wins only alone.
function compareNumbers(a: number, b: number, descending: boolean): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  if (a === b) return 0;
  return a > b !== descending ? 1 : -1;
}

/** Flux's numerical policy: Go float64 values, `asc` keeps the largest. */
export class NumericalSelector {
  constructor(readonly descending: boolean) {}

  select(tags: Iterable<string>, filter: TagValueSource | undefined): string | undefined {
    const descending = this.descending;
    const number = new GoFloat();
    let bestTag: string | undefined;
    let best = 0;
    for (const tag of tags) {
      let value: string | undefined = tag;
      if (filter !== undefined) {
        value = filter.apply(tag);
        if (value === undefined) continue;
      }
      parseGoFloat(value, number);
      if (number.status !== 'ok') throw numberError(tag, value, number.status);
      if (bestTag !== undefined) {
        const order = compareNumbers(number.value, best, descending);
        if (order < 0 || (order === 0 && compareBytes(tag, bestTag) <= 0)) continue;
      }
      bestTag = tag;
      best = number.value;
    }
    return bestTag;
  }

  explain(tags: Iterable<string>, filter: CompiledFilter | undefined): Explanation {
    const direction = this.descending ? 'smallest' : 'largest';
    const number = new GoFloat();
    let winner: number | undefined;
    return explainSelection(
      tags,
      filter,
      (kept, values) => this.select(kept, values),
      (tag, value, selected): TagExplanation => {
        if (parseGoFloat(value, number).status !== 'ok') {
          return {
            tag,
            kind: 'unparseable',
            value,
            reason: `${valueNote(tag, value)} is not a 64-bit float, which fails the whole selection`,
          };
        }
        // Kept tags and no winner: select threw INVALID_NUMBER on another tag.
        if (selected === undefined) {
          return {
            tag,
            kind: 'blocked',
            value,
            reason: 'a number, but another candidate is not',
          };
        }
        if (tag === selected.tag) {
          return { tag, kind: 'selected', value, reason: `${direction} number` };
        }
        winner ??= parseGoFloat(selected.value, new GoFloat()).value;
        const tie = compareNumbers(number.value, winner, this.descending) === 0;
        return beatenEntry(tag, value, selected.tag, tie, 'number', `not the ${direction} number`);
      },
    );
  }
}
