import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { parseDocuments } from './locate.js';
import { LineIndex } from './positions.js';

/**
 * Proves a patched text: it must parse without errors into the same documents,
 * node for node (kind, tag, anchor, style, value, key order), except that each
 * node in `expected` now holds exactly its new string, and no new warning is
 * raised. An alias of a marked anchor is compared by name, so it follows the
 * anchor's new value, as it does in Flux. Returns why not, or
 * `undefined` when the proof holds.
 */
export function verifyPatch(
  before: readonly Document.Parsed[],
  text: string,
  expected: ReadonlyMap<Node, string>,
): string | undefined {
  const parsed = parseDocuments(text, new LineIndex(text));
  if (!parsed.ok) {
    return `the patched text does not parse (line ${parsed.line}, column ${parsed.column}: ${parsed.message})`;
  }
  const after = parsed.documents;
  if (after.length !== before.length) return 'the patched text has a different number of documents';
  for (let i = 0; i < after.length; i++) {
    // A warning the old text did not raise, e.g. `!!int` on a value that is no longer an integer.
    const warning = after[i]!.warnings[before[i]!.warnings.length];
    if (warning) return `the patched text raises a YAML warning: ${warning.message.split('\n')[0]}`;
  }
  const stack: [unknown, unknown][] = before.map((d, i) => [d.contents, after[i]!.contents]);
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    if (a == null || b == null) {
      if (a == null && b == null) continue;
      return 'a value appeared or disappeared';
    }
    if (isPair(a) && isPair(b)) {
      stack.push([a.key, b.key], [a.value, b.value]);
      continue;
    }
    const want = expected.get(a as Node);
    if (want !== undefined) {
      if (!isScalar(b) || b.value !== want) return `a marked value does not read back as "${want}"`;
      continue;
    }
    const mismatch = shallowMismatch(a, b);
    if (mismatch) return mismatch;
    if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
      for (let i = 0; i < a.items.length; i++) stack.push([a.items[i], b.items[i]]);
    }
  }
  return undefined;
}

function shallowMismatch(a: unknown, b: unknown): string | undefined {
  if (isScalar(a) && isScalar(b)) {
    if (a.type !== b.type || a.tag !== b.tag || a.anchor !== b.anchor)
      return 'an unmarked scalar changed';
    return sameScalarValue(a.value, b.value) ? undefined : 'an unmarked value changed';
  }
  if (isAlias(a) && isAlias(b)) return a.source === b.source ? undefined : 'an alias changed';
  if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
    if (a.items.length !== b.items.length || a.tag !== b.tag || a.anchor !== b.anchor) {
      return 'a collection changed shape';
    }
    return a.flow === b.flow ? undefined : 'a collection changed style';
  }
  return 'a node changed kind';
}

function sameScalarValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  return Object.is(a, b);
}
