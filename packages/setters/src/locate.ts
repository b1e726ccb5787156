import {
  Composer,
  CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  Parser,
  Scalar,
} from 'yaml';
import { readMarkerComment } from './marker.js';
import type { LineIndex } from './positions.js';
import type { ScalarStyle } from './quote.js';

/** A marker comment and what it sits on. */
export interface LocatedMarker {
  setter: string;
  /** Offset of the comment's `#`. */
  commentOffset: number;
  /** The document the marker is in. */
  document: Document.Parsed;
  /** The settable scalar, or why there is none. */
  target: ScalarTarget | { kind: 'not-a-scalar'; what: string };
}

/** A single-line-capable scalar a marker can set. */
export interface ScalarTarget {
  kind: 'scalar';
  node: Scalar;
  style: ScalarStyle;
  /** The current value as a string (the source text for plain non-strings such as `1.2`). */
  current: string;
  start: number;
  end: number;
}

/** The parsed documents, or the first parse error. */
export type Parsed =
  | { ok: true; documents: Document.Parsed[] }
  | { ok: false; line: number; column: number; message: string };

/**
 * Deepest collection nesting accepted. yaml's composer recurses per level and
 * overflows the stack at ~780 levels; after such an overflow V8 can abort the
 * whole process (seen: "RegExpCompiler Allocation failed" on a later deep
 * file). Real manifests nest a few dozen levels, so refuse well before that.
 */
export const MAX_DEPTH = 200;

/** Parses every document, keeping node ranges; never throws for bad input. */
export function parseDocuments(
  text: string,
  lines: LineIndex,
  tokens: readonly CST.Token[] = [...new Parser().parse(text)],
): Parsed {
  const tooDeep = firstTooDeep(tokens);
  if (tooDeep !== undefined) {
    const message = `collections nested deeper than ${MAX_DEPTH} levels`;
    return { ok: false, ...lines.position(tooDeep), message };
  }
  // yaml's own unique-key check compares each key with every earlier one; a
  // Set per map keeps a 10,000-key file linear.
  const documents = [...new Composer({ uniqueKeys: false }).compose(tokens, true, text.length)];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      return { ok: false, ...lines.position(error.pos[0]), message: error.message };
    }
    const duplicate = firstDuplicateKey(document);
    if (duplicate) {
      const { line, column } = lines.position(duplicate.range?.[0] ?? 0);
      return { ok: false, line, column, message: 'Map keys must be unique' };
    }
  }
  return { ok: true, documents };
}

/** The first scalar key repeated in its map (go-yaml and Flux reject those too). */
function firstDuplicateKey(document: Document.Parsed): Node | undefined {
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          // Keys compare by resolved value: `1` and `"1"` differ, `a` and `"a"` do not.
          const id = key.value instanceof Date ? `date:${key.value.getTime()}` : key.value;
          if (seen.has(id)) return key;
          seen.add(id);
        } else stack.push(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.value : item);
    }
  }
  return undefined;
}

/** Offset of the first collection nested deeper than {@link MAX_DEPTH}, walking the CST without recursion. */
function firstTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((token) => [token, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
    } else if (CST.isCollection(token)) {
      if (depth === MAX_DEPTH) return token.offset;
      for (const item of token.items) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

interface MarkerComment {
  offset: number;
  setter: string;
}

/**
 * Every comment token in the CST whose text is a marker. Block scalar bodies
 * and quoted strings are single tokens, so `#` inside them is never seen here.
 */
export function markerComments(tokens: readonly CST.Token[]): MarkerComment[] {
  const found: MarkerComment[] = [];
  const stack: unknown[] = [...tokens];
  while (stack.length > 0) {
    const token = stack.pop();
    if (typeof token !== 'object' || token === null) continue;
    if (Array.isArray(token)) {
      for (const item of token) stack.push(item);
      continue;
    }
    const t = token as Partial<CST.SourceToken> & Record<string, unknown>;
    if (t.type === 'comment' && typeof t.source === 'string' && typeof t.offset === 'number') {
      const setter = readMarkerComment(t.source);
      if (setter !== undefined) found.push({ offset: t.offset, setter });
      continue;
    }
    for (const field of ['start', 'key', 'sep', 'value', 'end', 'items', 'props'] as const) {
      if (t[field] !== undefined) stack.push(t[field]);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

interface Entry {
  node: Node;
  end: number;
  /** For a map key: its value (null for an empty one); undefined for anything else. */
  valueOfKey?: Node | null;
  document: Document.Parsed;
}

/** Every node of every document, sorted by where its value ends, deepest last on ties. */
function nodesByEnd(documents: readonly Document.Parsed[]): Entry[] {
  const entries: Entry[] = [];
  for (const document of documents) {
    const stack: { node: unknown; valueOfKey?: Node | null }[] = [];
    if (document.contents) stack.push({ node: document.contents });
    // Pre-order with an explicit stack: nesting depth cannot overflow the call stack.
    while (stack.length > 0) {
      const { node, valueOfKey } = stack.pop()!;
      if (isPair(node)) {
        // Value pushed first so the key is visited first.
        if (node.value) stack.push({ node: node.value });
        if (node.key)
          stack.push({ node: node.key, valueOfKey: (node.value as Node | null) ?? null });
        continue;
      }
      if (!isScalar(node) && !isAlias(node) && !isMap(node) && !isSeq(node)) continue;
      const n = node as Node;
      if (n.range) entries.push({ node: n, end: n.range[1], valueOfKey, document });
      if (isMap(node) || isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i] });
      }
    }
  }
  // Stable sort keeps pre-order among equal ends, so the innermost node comes last.
  return entries.sort((a, b) => a.end - b.end);
}

function lastEndingAtOrBefore(entries: readonly Entry[], offset: number): Entry | undefined {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]!.end <= offset) low = mid + 1;
    else high = mid;
  }
  return entries[low - 1];
}

function describe(node: Node | null | undefined): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node) && !STYLES.has(node.type ?? '')) return 'a block scalar';
  // A key's scalar value that starts on a later line than the key's marker.
  if (isScalar(node)) return 'a scalar on a later line';
  return 'nothing';
}

const STYLES: ReadonlySet<string> = new Set([
  Scalar.PLAIN,
  Scalar.QUOTE_DOUBLE,
  Scalar.QUOTE_SINGLE,
]);
// Between a scalar and its comment: blanks, and in a flow collection the item's comma.
const SCALAR_TO_COMMENT = /^[ \t]*,?[ \t]*$/;

/**
 * Finds every marker and decides what it is on, by Flux's rule: the marker is
 * a line comment, so it belongs to the scalar value ending on its line right
 * before it. A marker alone on its line is an ordinary comment.
 */
export function locateMarkers(
  text: string,
  comments: readonly MarkerComment[],
  documents: readonly Document.Parsed[],
  lines: LineIndex,
): LocatedMarker[] {
  const entries = nodesByEnd(documents);
  const located: LocatedMarker[] = [];
  for (const { offset, setter } of comments) {
    const lineStart = lines.lineStart(offset);
    if (text.slice(lineStart, offset).trim() === '') continue;
    const entry = lastEndingAtOrBefore(entries, offset);
    const document = entry?.document ?? documentAt(documents, offset);
    if (!document) continue;
    const target: LocatedMarker['target'] =
      entry && entry.end >= lineStart
        ? targetOf(text, entry, offset)
        : { kind: 'not-a-scalar', what: 'a line with no scalar value' };
    located.push({ setter, commentOffset: offset, document, target });
  }
  return located;
}

function targetOf(text: string, entry: Entry, commentOffset: number): LocatedMarker['target'] {
  const { node } = entry;
  if (entry.valueOfKey !== undefined) {
    return { kind: 'not-a-scalar', what: `a key whose value is ${describe(entry.valueOfKey)}` };
  }
  if (!isScalar(node) || !STYLES.has(node.type ?? '')) {
    return { kind: 'not-a-scalar', what: describe(node) };
  }
  if (!SCALAR_TO_COMMENT.test(text.slice(entry.end, commentOffset))) {
    return { kind: 'not-a-scalar', what: 'text that is not a scalar value' };
  }
  const range = node.range!;
  const current = typeof node.value === 'string' ? node.value : (node.source ?? '');
  return {
    kind: 'scalar',
    node,
    style: node.type as ScalarTarget['style'],
    current,
    start: range[0],
    end: range[1],
  };
}

function documentAt(
  documents: readonly Document.Parsed[],
  offset: number,
): Document.Parsed | undefined {
  return documents.find((d) => d.range[0] <= offset && offset <= d.range[2]) ?? documents.at(-1);
}
