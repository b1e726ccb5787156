// filterTags: an RE2 pattern (run by re2js, so user patterns match in linear
// time) and an optional `extract` template expanded like Go's
// Regexp.ExpandString over the first match, which is what Flux does.
import { type Matcher, RE2JS } from 're2js';
import { PolicyError } from './errors.js';
import type { TagFilter } from './types.js';

/** A piece of a parsed `extract` template: literal text or a capture group index. */
type TemplatePiece = string | number;

/** Compiles an RE2 pattern, turning RE2's complaint into `INVALID_PATTERN`. */
export function compilePattern(pattern: string, where: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (cause) {
    const complaint = cause instanceof Error ? cause.message : String(cause);
    throw new PolicyError(
      'INVALID_PATTERN',
      `${where}: invalid RE2 pattern "${pattern}": ${complaint}`,
      {
        pattern,
        cause,
      },
    );
  }
}

// Go's extract(): a name is the longest run of letters, digits and underscores
// (so `$1x` names the group "1x"), optionally in braces; a name made only of
// ASCII digits, without a leading zero and below 1e8, is a group number.
const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function readName(template: string, i: number): { name: string; next: number } | undefined {
  const braced = template[i] === '{';
  let k = braced ? i + 1 : i;
  const start = k;
  while (k < template.length) {
    const point = template.codePointAt(k) as number;
    const char = String.fromCodePoint(point);
    if (!NAME_CHAR.test(char)) break;
    k += char.length;
  }
  if (k === start) return undefined;
  const name = template.slice(start, k);
  if (braced) {
    if (template[k] !== '}') return undefined;
    k++;
  }
  return { name, next: k };
}

function groupNumber(name: string): number {
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 48 || c > 57 || num >= 1e8) return -1;
    num = num * 10 + (c - 48);
  }
  return name.length > 1 && name[0] === '0' ? -1 : num;
}

/**
 * Parses an `extract` template once into literal text and group indexes, with
 * Go's rules: `$$` is a dollar, a malformed reference is a literal `$`, an
 * unknown group or name expands to nothing (index -1).
 */
function parseTemplate(template: string, groupCount: number, names: Record<string, number>) {
  const pieces: TemplatePiece[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    literal += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      literal += '$';
      i++;
      continue;
    }
    const ref = readName(template, i);
    if (ref === undefined) {
      literal += '$';
      continue;
    }
    i = ref.next;
    const num = groupNumber(ref.name);
    const index = num >= 0 ? (num <= groupCount ? num : -1) : (names[ref.name] ?? -1);
    if (literal !== '') pieces.push(literal);
    literal = '';
    pieces.push(index);
  }
  literal += template.slice(i);
  if (literal !== '') pieces.push(literal);
  return pieces;
}

/** What a selector needs of a filter: the value to compare for `tag`, or undefined to drop it. */
export interface TagValueSource {
  apply(tag: string): string | undefined;
}

/** A compiled `filterTags`: maps a tag to the value the policy compares, or undefined. */
export class CompiledFilter implements TagValueSource {
  readonly pattern: string;
  private readonly re: RE2JS;
  private readonly template: readonly TemplatePiece[] | undefined;
  private matcher: Matcher | undefined;

  constructor(filter: TagFilter) {
    const { pattern, extract } = filter;
    if (pattern === undefined || pattern === '') {
      throw new PolicyError(
        'INVALID_FILTER',
        `filterTags.extract ${JSON.stringify(extract)} needs a filterTags.pattern to expand over`,
      );
    }
    this.pattern = pattern;
    this.re = compilePattern(pattern, 'filterTags.pattern');
    if (extract === undefined || extract === '') {
      this.template = undefined;
    } else {
      const names = this.re.namedGroups() as Record<string, number>;
      this.template = parseTemplate(extract, this.re.groupCount(), names);
    }
  }

  /** The value to compare for `tag`, or undefined when the pattern does not match. */
  apply(tag: string): string | undefined {
    if (this.template === undefined) return this.re.test(tag) ? tag : undefined;
    let m = this.matcher;
    if (m === undefined) {
      m = this.re.matcher(tag);
      this.matcher = m;
    } else {
      m.resetMatcherInput(tag);
    }
    if (!m.find()) return undefined;
    let value = '';
    for (const piece of this.template) {
      if (typeof piece === 'string') value += piece;
      else if (piece >= 0) value += m.group(piece) ?? '';
    }
    return value;
  }
}

/** Compiles `filterTags`, or returns undefined when it filters nothing. */
export function compileFilter(filter: TagFilter | undefined): CompiledFilter | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter !== 'object') {
    throw new PolicyError('INVALID_FILTER', `filterTags must be an object, got ${typeof filter}`);
  }
  for (const key of ['pattern', 'extract'] as const) {
    const value = filter[key];
    if (value !== undefined && typeof value !== 'string') {
      throw new PolicyError(
        'INVALID_FILTER',
        `filterTags.${key} must be a string, got ${typeof value}`,
      );
    }
  }
  const hasPattern = filter.pattern !== undefined && filter.pattern !== '';
  const hasExtract = filter.extract !== undefined && filter.extract !== '';
  if (!hasPattern && !hasExtract) return undefined;
  return new CompiledFilter(filter);
}
