// The composed documents as a flat list of nodes with their source ranges, and
// what a marker can find there: the pieces both kinds of marker (line and
// head) are located with.
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, Scalar } from 'yaml';
import type { ScalarStyle } from './quote.js';

/** A node and where its value lies in the text. */
export interface Entry {
  node: Node;
  start: number;
  end: number;
  /** For a map key: its value (null for an empty one); undefined for anything else. */
  valueOfKey?: Node | null | undefined;
  document: Document.Parsed;
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

/** What a marker is on: a settable scalar, or why there is none. */
export type MarkerTarget = ScalarTarget | { kind: 'not-a-scalar'; what: string };

/** Every node of every document, in pre-order (a collection before its items, a key before its value). */
export function allNodes(documents: readonly Document.Parsed[]): Entry[] {
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
      if (n.range) {
        entries.push({ node: n, start: n.range[0], end: n.range[1], valueOfKey, document });
      }
      if (isMap(node) || isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i] });
      }
    }
  }
  return entries;
}

/** The index of the last entry whose `field` is at most `offset` (-1 for none); `entries` sorted by that field. */
export function lastAtOrBefore(
  entries: readonly Entry[],
  field: 'start' | 'end',
  offset: number,
): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]![field] <= offset) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** The index of the first of the sorted `offsets` at or after `offset`. */
export function firstAtOrAfter(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (offsets[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

const FLOW_STYLES: ReadonlySet<string> = new Set([
  Scalar.PLAIN,
  Scalar.QUOTE_DOUBLE,
  Scalar.QUOTE_SINGLE,
]);

/** Whether `node` is a plain or quoted scalar: one whose text a marker can replace. */
export function isFlowScalar(node: unknown): node is Scalar {
  return isScalar(node) && FLOW_STYLES.has(node.type ?? '');
}

/** What a marker that cannot set `node` is on, for the `not-a-scalar` message. */
export function describe(node: Node | null | undefined): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node) && !isFlowScalar(node)) return 'a block scalar';
  // A key's scalar value that starts on a later line than the key's marker.
  if (isScalar(node)) return 'a scalar on a later line';
  return 'nothing';
}

/** A plain or quoted scalar as a marker's target. */
export function scalarTarget(node: Scalar): ScalarTarget {
  const range = node.range!;
  const current = typeof node.value === 'string' ? node.value : (node.source ?? '');
  return {
    kind: 'scalar',
    node,
    style: node.type as ScalarStyle,
    current,
    start: range[0],
    end: range[1],
  };
}

/** Between a scalar and its line comment: blanks, and in a flow collection the item's comma. */
export const SCALAR_TO_COMMENT = /^[ \t]*,?[ \t]*$/;
