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
  /** The comment follows block entries (or `---`) on their line, rather than standing alone. */
  onTokenLine: boolean;
}

/** The lines between two tokens, and the offset of the first token's last character (none at a document's top). */
interface Stretch {
  gaps: Gap[];
  previous: number | undefined;
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
  /** Line start offset to the column of the comment alone on that line. */
  readonly #commentColumns = new Map<number, number>();
  /** Start offsets of kyaml's separator lines, ascending. */
  readonly #separators: number[] = [];
  readonly #byStart: Entry[];
  readonly #byEnd: Entry[];
  readonly #blockCollections: Entry[];

  constructor(
    text: string,
    commentOffsets: readonly number[],
    nodes: readonly Entry[],
    lines: LineIndex,
  ) {
    this.#text = text;
    this.#lines = lines;
    this.#commentOffsets = commentOffsets;
    for (const offset of commentOffsets) {
      const lineStart = lines.lineStart(offset);
      if (text.slice(lineStart, offset).trim() === '') {
        this.#commentColumns.set(lineStart, offset - lineStart);
      }
    }
    for (let at = text.indexOf('\n---'); at !== -1; at = text.indexOf('\n---', at + 1)) {
      const end = text.indexOf('\n', at + 1);
      if (end !== -1 && SEPARATOR_LINE.test(text.slice(at + 1, end))) this.#separators.push(at + 1);
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
    const text = this.#text;
    const lineStart = this.#lines.lineStart(commentOffset);
    const onTokenLine = text.slice(lineStart, commentOffset).trim() !== '';
    if (onTokenLine && this.#isSeparator(lineStart)) return undefined;
    const marker: CommentGap = { blank: false, column: commentOffset - lineStart, onTokenLine };
    const above: Stretch = onTokenLine
      ? { gaps: [], previous: this.#lastContentBefore(lineStart, commentOffset) }
      : this.#stretchAbove(lineStart);
    const below = this.#gapsBelow(commentOffset);
    let next = below.next;
    if (next >= text.length || this.#isSeparator(next)) return undefined;
    const gaps = [...above.gaps, marker, ...below.gaps];
    let pending = this.#headPiece(gaps, above.previous, this.#column(next)).filter(
      (gap) => !gap.blank,
    );
    for (;;) {
      const line = this.#entriesLine(next);
      if (line === undefined) break;
      const more = this.#gapsBelow(next);
      if (more.next >= text.length || this.#isSeparator(more.next)) return undefined;
      // An entry whose value is a nested block list gives that list what was
      // held before the entry (go-yaml's "stem comment"); `- -` is one.
      if (line.entries > 1 || this.#startsNestedList(more.next, line.column)) {
        if (pending.includes(marker)) return undefined;
        pending = [];
      }
      const stretch = line.trailing ? [line.trailing, ...more.gaps] : more.gaps;
      const piece = this.#headPiece(stretch, line.last, this.#column(more.next));
      pending.push(...piece.filter((gap) => !gap.blank));
      next = more.next;
    }
    if (pending.length !== 1 || pending[0] !== marker) return undefined;
    if (above.previous !== undefined && this.#headHeldAboveEntries(above.previous)) {
      return undefined;
    }
    return this.#valueAt(next);
  }

  /**
   * The line at `lineStart` when it holds only block entries whose value starts
   * on a later line: how many, the last one's column and offset, and the
   * comment after them.
   */
  #entriesLine(
    lineStart: number,
  ): { entries: number; column: number; last: number; trailing?: CommentGap } | undefined {
    const lineEnd = this.#lineEnd(lineStart);
    const trailing = this.#tokenLineComment(lineStart, lineEnd);
    const content = this.#text
      .slice(lineStart, trailing ? lineStart + trailing.column : lineEnd)
      .trimEnd();
    if (!ENTRIES_LINE.test(content)) return undefined;
    const entries = content.replace(/^---/, '').split('-').length - 1;
    const last = lineStart + content.length - 1;
    return { entries, column: content.length - 1, last, ...(trailing ? { trailing } : {}) };
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

  /**
   * Whether go-yaml still holds a head comment from above the line of block
   * entries that ends at `previous` (`-` with its value on a later line): it
   * joins the comments below them into one head comment of several lines.
   */
  #headHeldAboveEntries(previous: number): boolean {
    for (let at: number | undefined = previous; at !== undefined; ) {
      const lineStart = this.#lines.lineStart(at);
      const line = this.#entriesLine(lineStart);
      if (line === undefined) return false;
      // Held above an entry whose value is a nested list, it is that list's.
      const below = this.#gapsBelow(lineStart).next;
      if (line.entries > 1 || this.#startsNestedList(below, line.column)) return false;
      const above = this.#stretchAbove(lineStart);
      const held = this.#headPiece(above.gaps, above.previous, this.#column(lineStart));
      if (held.some((gap) => !gap.blank)) return true;
      at = above.previous;
    }
    return false;
  }

  /** The gap lines directly above the line at `lineStart`, and the last token before them. */
  #stretchAbove(lineStart: number): Stretch {
    const gaps: Gap[] = [];
    for (let below = lineStart; below > 0; ) {
      const start = below >= 2 ? this.#text.lastIndexOf('\n', below - 2) + 1 : 0;
      const gap = this.#gap(start, below - 1);
      if (gap === undefined) {
        if (this.#isSeparator(start)) break;
        const trailing = this.#tokenLineComment(start, below - 1);
        if (trailing) gaps.unshift(trailing);
        return { gaps, previous: this.#lastContentBefore(start, below - 1) };
      }
      gaps.unshift(gap);
      below = start;
    }
    return { gaps, previous: undefined };
  }

  /** The gap lines below the line holding `offset`, and where the next content line starts (or the text's length). */
  #gapsBelow(offset: number): { gaps: Gap[]; next: number } {
    const text = this.#text;
    const gaps: Gap[] = [];
    let start = this.#lineEnd(offset) + 1;
    while (start < text.length) {
      const gap = this.#gap(start, this.#lineEnd(start));
      if (gap === undefined) break;
      gaps.push(gap);
      start = this.#lineEnd(start) + 1;
    }
    return { gaps, next: Math.min(start, text.length) };
  }

  /** The line from `start` to `end` as a {@link Gap}, or `undefined` when it holds content. */
  #gap(start: number, end: number): Gap | undefined {
    const column = this.#commentColumns.get(start);
    if (column !== undefined) return { blank: false, column, onTokenLine: false };
    return BLANK_LINE.test(this.#text.slice(start, end)) ? { blank: true } : undefined;
  }

  /** The comment after block entries or a `---` on the line from `start` to `end`, as a gap. */
  #tokenLineComment(start: number, end: number): CommentGap | undefined {
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
    const i = firstAtOrAfter(this.#separators, lineStart) - 1;
    return i < 0 ? 0 : this.#lineEnd(this.#separators[i]!) + 1;
  }

  #isSeparator(lineStart: number): boolean {
    const i = firstAtOrAfter(this.#separators, lineStart);
    return this.#separators[i] === lineStart;
  }

  #lineEnd(offset: number): number {
    const end = this.#text.indexOf('\n', offset);
    return end === -1 ? this.#text.length : end;
  }

  #column(lineStart: number): number {
    return this.#text.slice(lineStart, this.#lineEnd(lineStart)).search(/[^ \t]/);
  }
}
