// Head-comment markers: which value a comment on a line of its own marks, as
// Flux reads a file: kyaml's kio.ByteReader splits it into documents, go-yaml
// v3 decides which node each comment belongs to (yaml_parser_scan_comments and
// the parser around it), and kyaml's fieldmeta.Read takes a scalar's line
// comment, else its head comment. The rules below were derived from go-yaml's
// scanner and checked against gopkg.in/yaml.v3 3.0.1 behind kyaml's splitting,
// on hand-written cases and on tens of thousands of generated texts.
import { type Document, isMap, isScalar, isSeq, type Node, Scalar } from 'yaml';
import {
  describe,
  type Entry,
  firstAtOrAfter,
  isFlowScalar,
  lastAtOrBefore,
  type MarkerTarget,
  SCALAR_TO_COMMENT,
  scalarTarget,
} from './nodes.js';
import type { LineIndex } from './positions.js';

/**
 * What may stand before a comment for it to be a head comment candidate:
 * nothing but indentation, or block entries `-` (after an optional `---`),
 * tokens go-yaml gives no line comment.
 */
export const HEAD_COMMENT_PREFIX = /^(?:---[ \t]+|[ \t]*)(?:-[ \t]+)*$/;
// A line that ends with a block entry whose value starts on a later line.
const ENTRIES_LINE = /^(?:---[ \t]+|[ \t]*)(?:-[ \t]+)*-$/;
// Before the value a head comment marks, on its line: indentation and one block
// entry `- ` or explicit value `: ` (skipped first: a block sequence's own
// range starts at its first `-`), then the value's anchor and tag.
const VALUE_INDICATOR = /^[ \t]*(?:[-:][ \t]+)?/;
const VALUE_PROPERTIES = /^(?:[&!][^ \t]*[ \t]+)*$/;
const BLANK_LINE = /^[ \t]*\r?$/;
// kyaml splits files at lines matching `\n---.*\n` (so never the first line)
// and drops those lines, comments and all; anything but a comment after the
// `---` makes it refuse the file.
const SEPARATOR_LINE = /^---[ \t]*(?:#.*)?\r?$/;

/** A line between two tokens: blank, or a comment at a 0-based column. */
type Gap = { blank: true } | CommentGap;

interface CommentGap {
  blank: false;
  column: number;
  /** The line (0-based) the comment is on. */
  line: number;
  /** The comment follows block entries (or `---`) on their line, rather than standing alone. */
  onTokenLine: boolean;
}

/**
 * The lines between a content line (or the top) and the next one: what go-yaml
 * scans in one go. Keyed by the content line above (-1 for the top); its
 * comment after block entries, if any, is the first gap.
 */
interface Run {
  gaps: Gap[];
  /** Offset of the last character of the token before the gaps; none at a document's top. */
  previous: number | undefined;
  /** The content line after the gaps, or -1 when the document ends first. */
  next: number;
  /** The comments of the piece that becomes the next token's head comment. */
  head: CommentGap[];
}

/**
 * Where a run's head comment ends up after block entries that take none:
 * the comments it holds by then (at most two are kept: more is as good as two)
 * and the line of the value that receives them (-1 for none).
 */
interface Chain {
  head: CommentGap[];
  /** Some entry on the way gave what was held before it to a nested list. */
  cleared: boolean;
  valueLine: number;
}

/**
 * Finds the value a marker comment is the head comment of. go-yaml cuts the
 * comment and blank lines between two tokens into pieces; each piece but the
 * last is the foot comment of what precedes, the last one is the head comment
 * of the next token's node:
 * - comments right below the previous token, up to the first blank line, are
 *   its foot (unless that token is a key's `:`, whose value is still to come,
 *   or a token other than a plain scalar on a document's first line, where
 *   go-yaml does not know the "foot line");
 * - a comment line further left than the enclosing block collection's
 *   indentation, at another column than the piece's first line, starts a new
 *   piece; the last piece is a foot too when the next token is further left
 *   in the same way;
 * - at the top of a document, a piece followed by a blank line is the
 *   document's head comment: only what follows the last blank line goes to
 *   the first node. Flux decodes each `---`-separated part on its own, so this
 *   holds below every separator, and comments above one end a document;
 * - block entries whose value starts on a later line (`-` alone, `- # …`)
 *   take no comment: what is held above them and what follows them join into
 *   one head comment of that value.
 * A marker is a head comment of exactly one line (several lines are not JSON,
 * so never a marker) on a scalar value: a head comment of a mapping key, a map
 * or a list marks nothing, as Flux reads markers on scalar values only. The
 * value's own line comment wins: fieldmeta.Read stops at the first non-empty
 * one, line before head, marker or not. The first item of a list is no
 * exception: go-yaml gives the comment above it to the item, not to the list
 * or its key.
 */
export class HeadComments {
  readonly #text: string;
  readonly #lines: LineIndex;
  readonly #commentOffsets: readonly number[];
  /** Start offset of every line. */
  readonly #lineStarts: number[] = [0];
  /** Line (0-based) to the column of the comment alone on that line. */
  readonly #commentColumns = new Map<number, number>();
  /** For each line between tokens (blank or a lone comment), the first line of its run; -1 for content. */
  readonly #runStarts: Int32Array;
  /** Lines of kyaml's separators (never the first line), ascending. */
  readonly #separators: number[] = [];
  /** Start offsets of those lines, for {@link #documentStart}. */
  readonly #separatorStarts: number[] = [];
  readonly #byStart: Entry[];
  readonly #byEnd: Entry[];
  readonly #blockCollections: Entry[];
  readonly #runs = new Map<number, Run>();
  readonly #chains = new Map<number, Chain>();
  readonly #held = new Map<number, boolean>();

  constructor(
    text: string,
    commentOffsets: readonly number[],
    nodes: readonly Entry[],
    lines: LineIndex,
  ) {
    this.#text = text;
    this.#lines = lines;
    this.#commentOffsets = commentOffsets;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.#lineStarts.push(at + 1);
    }
    for (const offset of commentOffsets) {
      const lineStart = lines.lineStart(offset);
      if (text.slice(lineStart, offset).trim() === '') {
        this.#commentColumns.set(lines.position(offset).line - 1, offset - lineStart);
      }
    }
    const count = this.#lineStarts.length;
    this.#runStarts = new Int32Array(count);
    for (let line = 0; line < count; line++) {
      const start = this.#lineStarts[line]!;
      const gap =
        this.#commentColumns.has(line) || BLANK_LINE.test(text.slice(start, this.#lineEnd(start)));
      this.#runStarts[line] = !gap
        ? -1
        : line > 0 && this.#runStarts[line - 1]! !== -1
          ? this.#runStarts[line - 1]!
          : line;
      const separator =
        line > 0 &&
        line < count - 1 &&
        SEPARATOR_LINE.test(text.slice(start, this.#lineEnd(start)));
      if (separator) {
        this.#separators.push(line);
        this.#separatorStarts.push(start);
      }
    }
    // Stable sorts keep pre-order among ties: outermost first by start, innermost last by end.
    this.#byStart = [...nodes].sort((a, b) => a.start - b.start);
    this.#byEnd = [...nodes].sort((a, b) => a.end - b.end);
    this.#blockCollections = this.#byStart.filter(
      ({ node }) => (isMap(node) || isSeq(node)) && !node.flow,
    );
  }

  /**
   * The value the marker comment at `commentOffset` is the head comment of,
   * or `undefined` when it marks nothing. The comment's line holds nothing
   * before it but {@link HEAD_COMMENT_PREFIX}.
   */
  targetOf(commentOffset: number): { document: Document.Parsed; target: MarkerTarget } | undefined {
    const line = this.#lines.position(commentOffset).line - 1;
    const onTokenLine = this.#runStarts[line] === -1;
    if (onTokenLine && this.#isSeparator(line)) return undefined;
    const key = onTokenLine ? line : this.#runStarts[line]! - 1;
    const chain = this.#chain(key);
    if (chain.valueLine === -1 || chain.head.length !== 1 || chain.head[0]!.line !== line) {
      return undefined;
    }
    if (this.#run(key).previous !== undefined && this.#heldAbove(key)) return undefined;
    return this.#valueAt(this.#lineStarts[chain.valueLine]!);
  }

  /** The run below content line `key` (-1: the top of the text), computed once. */
  #run(key: number): Run {
    const cached = this.#runs.get(key);
    if (cached) return cached;
    const gaps: Gap[] = [];
    let previous: number | undefined;
    if (key >= 0 && !this.#isSeparator(key)) {
      const start = this.#lineStarts[key]!;
      const end = this.#lineEnd(start);
      previous = this.#lastContentBefore(start, end);
      const trailing = this.#tokenLineComment(start, end);
      if (trailing) gaps.push({ ...trailing, line: key });
    }
    let next = key + 1;
    for (; next < this.#lineStarts.length && this.#runStarts[next] !== -1; next++) {
      const column = this.#commentColumns.get(next);
      gaps.push(
        column === undefined
          ? { blank: true }
          : { blank: false, column, line: next, onTokenLine: false },
      );
    }
    if (next >= this.#lineStarts.length || this.#isSeparator(next)) next = -1;
    const head =
      next === -1
        ? []
        : this.#headPiece(gaps, previous, this.#column(this.#lineStarts[next]!)).filter(
            (gap): gap is CommentGap => !gap.blank,
          );
    const run = { gaps, previous, next, head };
    this.#runs.set(key, run);
    return run;
  }

  /**
   * Follows the run below `key` through lines of block entries whose value
   * starts further down: those take no comment, so what the run holds goes on
   * to that value, joined with the comments below them — unless an entry's
   * value is a nested block list, which gets what was held before the entry
   * (go-yaml's "stem comment"; `- -` is one). Iterative, memoized: linear.
   */
  #chain(key: number): Chain {
    const path: number[] = [];
    let at = key;
    let found = this.#chains.get(at);
    while (found === undefined) {
      const run = this.#run(at);
      if (run.next === -1 || this.#entriesLine(this.#lineStarts[run.next]!) === undefined) {
        found = { head: run.head.slice(0, 2), cleared: false, valueLine: run.next };
        this.#chains.set(at, found);
        break;
      }
      path.push(at);
      at = run.next;
      found = this.#chains.get(at);
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const run = this.#run(path[i]!);
      const entries = this.#entriesLine(this.#lineStarts[run.next]!)!;
      const below = this.#run(run.next).next;
      const stem =
        entries.entries > 1 ||
        (below !== -1 && this.#startsNestedList(this.#lineStarts[below]!, entries.column));
      const cleared: boolean = stem || found.cleared;
      const head: CommentGap[] = cleared ? found.head : [...run.head, ...found.head].slice(0, 2);
      found =
        found.valueLine === -1
          ? { head: [], cleared, valueLine: -1 }
          : { head, cleared, valueLine: found.valueLine };
      this.#chains.set(path[i]!, found);
    }
    return found;
  }

  /**
   * Whether go-yaml still holds a head comment from above the line of block
   * entries `line` (`-` with its value on a later line): it joins the comments
   * below them into one head comment of several lines. Iterative, memoized.
   */
  #heldAbove(line: number): boolean {
    const path: number[] = [];
    let at = line;
    let held = this.#held.get(at);
    while (held === undefined) {
      const entries = this.#entriesLine(this.#lineStarts[at]!);
      const below = this.#run(at).next;
      // Held above an entry whose value is a nested list, it is that list's.
      if (
        entries === undefined ||
        entries.entries > 1 ||
        (below !== -1 && this.#startsNestedList(this.#lineStarts[below]!, entries.column))
      ) {
        held = false;
        break;
      }
      path.push(at);
      const above =
        at > 0 && this.#runStarts[at - 1] !== -1 ? this.#runStarts[at - 1]! - 1 : at - 1;
      const run = this.#run(above);
      if (run.head.length > 0) held = true;
      else if (run.previous === undefined) held = false;
      else {
        at = above;
        held = this.#held.get(at);
      }
    }
    for (const visited of path) this.#held.set(visited, held);
    return held;
  }

  #isSeparator(line: number): boolean {
    return this.#separators[firstAtOrAfter(this.#separators, line)] === line;
  }

  /**
   * The line at `lineStart` when it holds only block entries whose value starts
   * on a later line: how many, and the last one's column.
   */
  #entriesLine(lineStart: number): { entries: number; column: number } | undefined {
    const lineEnd = this.#lineEnd(lineStart);
    const trailing = this.#tokenLineComment(lineStart, lineEnd);
    const content = this.#text
      .slice(lineStart, trailing ? lineStart + trailing.column : lineEnd)
      .trimEnd();
    if (!ENTRIES_LINE.test(content)) return undefined;
    return {
      entries: content.replace(/^---/, '').split('-').length - 1,
      column: content.length - 1,
    };
  }

  /** Whether the line at `lineStart` starts with a block entry right of `column`: a nested list. */
  #startsNestedList(lineStart: number, column: number): boolean {
    const at = this.#column(lineStart);
    return (
      at > column &&
      /^-(?:[ \t]|\r?$)/.test(this.#text.slice(lineStart + at, this.#lineEnd(lineStart)))
    );
  }

  /** The piece of `gaps` that go-yaml makes the next token's head comment. */
  #headPiece(gaps: readonly Gap[], previous: number | undefined, nextColumn: number): Gap[] {
    const first = gaps[0];
    if (first === undefined) return [];
    if (previous === undefined) return gaps.slice(gaps.findLastIndex((gap) => gap.blank) + 1);
    const indent = this.#indentAt(previous);
    // The first blank line can end a foot (go-yaml's `first_empty`), when no
    // blank line came between the previous token and the first comment.
    let firstBlankPending = !first.blank;
    let piece: Gap[] = [];
    let pieceColumn = -1;
    for (const gap of gaps) {
      if (gap.blank) {
        if (firstBlankPending && piece.length > 0) {
          const onFootLine =
            piece[0] === first &&
            !first.blank &&
            !first.onTokenLine &&
            this.#text[previous] !== ':' &&
            this.#footLineKnown(previous);
          if (onFootLine || pieceColumn < indent) piece = [];
        }
        firstBlankPending = false;
        if (piece.length > 0) piece.push(gap);
        continue;
      }
      if (piece.length > 0 && gap.column < indent && gap.column !== pieceColumn) piece = [];
      if (piece.length === 0) pieceColumn = gap.column;
      piece.push(gap);
    }
    if (piece.length > 0 && nextColumn < indent && nextColumn !== pieceColumn) return [];
    return piece;
  }

  /** The comment after block entries or a `---` on the line from `start` to `end`, as a gap. */
  #tokenLineComment(start: number, end: number): Omit<CommentGap, 'line'> | undefined {
    const comment = this.#commentOffsets[firstAtOrAfter(this.#commentOffsets, start)];
    if (comment === undefined || comment >= end) return undefined;
    const prefix = this.#text.slice(start, comment);
    if (prefix.trim() === '' || !HEAD_COMMENT_PREFIX.test(prefix)) return undefined;
    return { blank: false, column: comment - start, onTokenLine: true };
  }

  /** Offset of the last character before `end` on the line from `start` that is neither blank nor a comment. */
  #lastContentBefore(start: number, end: number): number {
    const comment = this.#commentOffsets[firstAtOrAfter(this.#commentOffsets, start)];
    const upTo = comment !== undefined && comment < end ? comment : end;
    return start + this.#text.slice(start, upTo).trimEnd().length - 1;
  }

  /**
   * Whether go-yaml knows the line right below the token ending at `offset`:
   * not after a token on the first line of a document, unless it is a plain
   * scalar ending its line, whose scan has already moved past the line break.
   */
  #footLineKnown(offset: number): boolean {
    const lineStart = this.#lines.lineStart(offset);
    if (lineStart !== this.#documentStart(lineStart)) return true;
    const comment = this.#commentOffsets[firstAtOrAfter(this.#commentOffsets, offset)];
    if (comment !== undefined && comment < this.#lineEnd(offset)) return false;
    for (let i = lastAtOrBefore(this.#byEnd, 'end', offset + 1); i >= 0; i--) {
      const { node, end } = this.#byEnd[i]!;
      if (end !== offset + 1) break;
      if ((node as Scalar).type === Scalar.PLAIN) return true;
    }
    return false;
  }

  /** The column of the innermost block collection holding `offset` (go-yaml's current indentation), else 0. */
  #indentAt(offset: number): number {
    // Collections nest, so walking back in start order the first one that
    // still holds `offset` is the innermost.
    const collections = this.#blockCollections;
    for (let i = lastAtOrBefore(collections, 'start', offset); i >= 0; i--) {
      const { start, end } = collections[i]!;
      if (offset < end) return start - this.#lines.lineStart(start);
    }
    return 0;
  }

  /** The value node whose token comes first on the line at `lineStart`, as a head comment's target. */
  #valueAt(lineStart: number): { document: Document.Parsed; target: MarkerTarget } | undefined {
    const text = this.#text;
    const line = text.slice(lineStart, this.#lineEnd(lineStart));
    const valueStart = lineStart + VALUE_INDICATOR.exec(line)![0].length;
    const entry = this.#byStart[lastAtOrBefore(this.#byStart, 'start', valueStart - 1) + 1];
    if (!entry) return undefined;
    const before = text.slice(valueStart, entry.start);
    if (before.includes('\n') || !VALUE_PROPERTIES.test(before)) return undefined;
    const { node, document } = entry;
    if (entry.valueOfKey !== undefined || isMap(node) || isSeq(node)) return undefined;
    if (this.#hasLineComment(node)) return undefined;
    if (isFlowScalar(node)) return { document, target: scalarTarget(node) };
    return { document, target: { kind: 'not-a-scalar', what: describe(node) } };
  }

  /** Whether a comment follows the node on the line where it ends (a block scalar: its header line). */
  #hasLineComment(node: Node): boolean {
    const [start, end] = node.range!;
    const block = isScalar(node) && !isFlowScalar(node);
    const from = block ? start : end;
    const comment = this.#commentOffsets[firstAtOrAfter(this.#commentOffsets, from)];
    if (comment === undefined || comment >= this.#lineEnd(from)) return false;
    return block || SCALAR_TO_COMMENT.test(this.#text.slice(end, comment));
  }

  /** The start of the document (in kyaml's split) holding the line at `lineStart`. */
  #documentStart(lineStart: number): number {
    const i = firstAtOrAfter(this.#separatorStarts, lineStart) - 1;
    return i < 0 ? 0 : this.#lineEnd(this.#separatorStarts[i]!) + 1;
  }

  #lineEnd(offset: number): number {
    const end = this.#text.indexOf('\n', offset);
    return end === -1 ? this.#text.length : end;
  }

  #column(lineStart: number): number {
    return this.#text.slice(lineStart, this.#lineEnd(lineStart)).search(/[^ \t]/);
  }
}
