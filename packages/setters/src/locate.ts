import {
  Composer,
  CST,
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  Parser,
} from 'yaml';
import { HEAD_COMMENT_PREFIX, HeadComments } from './head-comment.js';
import { readMarkerComment } from './marker.js';
import {
  allNodes,
  describe,
  type Entry,
  isFlowScalar,
  lastAtOrBefore,
  type MarkerTarget,
  SCALAR_TO_COMMENT,
  scalarTarget,
} from './nodes.js';
import type { LineIndex } from './positions.js';
import { keepShapesOf } from './warm.js';

/** A marker comment and what it sits on. */
export interface LocatedMarker {
  setter: string;
  /** Offset of the comment's `#`. */
  commentOffset: number;
  /** Whether the marker is the value's line comment or its head comment (above it). */
  placement: 'line' | 'head';
  /** The document the marker is in. */
  document: Document.Parsed;
  /** The settable scalar, or why there is none. */
  target: MarkerTarget;
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

/** The CST of a text: yaml's tokens, which never throw for bad input. */
export function parseTokens(text: string): CST.Token[] {
  const parser = new Parser();
  const tokens = [...parser.parse(text)];
  // The parser and its lexer, not only their output, hold the shapes their code is optimized for.
  keepShapesOf('tokens', parser, text.length);
  return tokens;
}

/** Parses every document, keeping node ranges; never throws for bad input. */
export function parseDocuments(
  text: string,
  lines: LineIndex,
  tokens: readonly CST.Token[] = parseTokens(text),
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
  keepShapesOf('parse', { lines, tokens, documents }, text.length);
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

/** The comments of a text, as far as markers care. */
export interface CommentScan {
  /** Comments whose text is a marker, by offset. */
  markers: MarkerComment[];
  /** The offset of every comment token, markers included, sorted. */
  offsets: number[];
}

/** The fields of a CST token that hold further tokens (one list shared by every call: no array per token). */
const TOKEN_FIELDS = ['start', 'key', 'sep', 'value', 'end', 'items', 'props'] as const;

/**
 * Every comment token in the CST, and which are markers. Block scalar bodies
 * and quoted strings are single tokens, so `#` inside them is never seen here.
 */
export function scanComments(tokens: readonly CST.Token[]): CommentScan {
  const markers: MarkerComment[] = [];
  const offsets: number[] = [];
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
      offsets.push(t.offset);
      const setter = readMarkerComment(t.source);
      if (setter !== undefined) markers.push({ offset: t.offset, setter });
      continue;
    }
    for (const field of TOKEN_FIELDS) {
      const child = t[field];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  markers.sort((a, b) => a.offset - b.offset);
  offsets.sort((a, b) => a - b);
  return { markers, offsets };
}

/**
 * Finds every marker and decides what it is on, by Flux's rules (kyaml's
 * `fieldmeta.Read` reads a scalar's line comment, else its head comment):
 * - a marker after a value on its line is that line's comment, and belongs to
 *   the scalar value ending on the line right before it;
 * - a marker alone on its line (or after a `-` or `---` whose value is below)
 *   is a head comment: it marks the value go-yaml v3 gives it to, if any (see
 *   {@link HeadComments}); a head comment on anything else marks nothing.
 */
export function locateMarkers(
  text: string,
  comments: CommentScan,
  documents: readonly Document.Parsed[],
  lines: LineIndex,
): LocatedMarker[] {
  const nodes = allNodes(documents);
  // Stable sort keeps pre-order among equal ends, so the innermost node comes last.
  const byEnd = [...nodes].sort((a, b) => a.end - b.end);
  let heads: HeadComments | undefined;
  const located: LocatedMarker[] = [];
  for (const { offset, setter } of comments.markers) {
    const lineStart = lines.lineStart(offset);
    if (HEAD_COMMENT_PREFIX.test(text.slice(lineStart, offset))) {
      heads ??= new HeadComments(text, comments.offsets, nodes, lines);
      const found = heads.targetOf(offset);
      if (found) located.push({ setter, commentOffset: offset, placement: 'head', ...found });
      continue;
    }
    const entry = byEnd[lastAtOrBefore(byEnd, 'end', offset)];
    const document = entry?.document ?? documentAt(documents, offset);
    if (!document) continue;
    const target: MarkerTarget =
      entry && entry.end >= lineStart
        ? lineTargetOf(text, entry, offset)
        : { kind: 'not-a-scalar', what: 'a line with no scalar value' };
    located.push({ setter, commentOffset: offset, placement: 'line', document, target });
  }
  return located;
}

function lineTargetOf(text: string, entry: Entry, commentOffset: number): MarkerTarget {
  const { node } = entry;
  if (entry.valueOfKey !== undefined) {
    return { kind: 'not-a-scalar', what: `a key whose value is ${describe(entry.valueOfKey)}` };
  }
  if (!isFlowScalar(node)) return { kind: 'not-a-scalar', what: describe(node) };
  if (!SCALAR_TO_COMMENT.test(text.slice(entry.end, commentOffset))) {
    return { kind: 'not-a-scalar', what: 'text that is not a scalar value' };
  }
  return scalarTarget(node);
}

function documentAt(
  documents: readonly Document.Parsed[],
  offset: number,
): Document.Parsed | undefined {
  return documents.find((d) => d.range[0] <= offset && offset <= d.range[2]) ?? documents.at(-1);
}
