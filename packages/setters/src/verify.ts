import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  Scalar,
  type YAMLMap,
} from 'yaml';
import { parseDocuments } from './locate.js';
import { LineIndex } from './positions.js';
import { keepShapesOf } from './warm.js';

/**
 * Proves a patched text: it must parse without errors into the same documents,
 * node for node (kind, tag, anchor, style, value, key order), except that each
 * node in `expected` now holds exactly its new string, and no new warning is
 * raised. An alias of a marked anchor is compared by name, so it follows the
 * anchor's new value, as it does in Flux, but the keys of every map must still
 * collide (or not) as before, aliases resolved: a marked anchor used as a key
 * must not come to repeat another key and silently drop it. The marked values
 * must also read back as strings under the YAML 1.1 schema, which older
 * readers (and go-yaml, for booleans) resolve plain scalars with. Returns why not, or
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
  const stack: [unknown, unknown, number][] = before.map((d, i) => [
    d.contents,
    after[i]!.contents,
    i,
  ]);
  while (stack.length > 0) {
    const [a, b, doc] = stack.pop()!;
    if (a == null || b == null) {
      if (a == null && b == null) continue;
      return 'a value appeared or disappeared';
    }
    if (isPair(a) && isPair(b)) {
      stack.push([a.key, b.key, doc], [a.value, b.value, doc]);
      continue;
    }
    const want = expected.get(a as Node);
    if (want !== undefined) {
      if (!isScalar(b) || b.value !== want) return `a marked value does not read back as "${want}"`;
      if (b.type === Scalar.PLAIN && b.tag === undefined) {
        const under11 = readPlainUnder11(b.source ?? '');
        if (under11 !== want) {
          return `a marked value does not read back as "${want}" under YAML 1.1 (it reads as ${String(under11)})`;
        }
      }
      continue;
    }
    const mismatch = shallowMismatch(a, b);
    if (mismatch) return mismatch;
    if (isMap(a) && isMap(b)) {
      if (!sameCollisions(keyClasses(a, before[doc]!), keyClasses(b, after[doc]!))) {
        return 'a marked anchor used as a key now repeats another key of its map (or no longer does)';
      }
    }
    if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
      for (let i = 0; i < a.items.length; i++) stack.push([a.items[i], b.items[i], doc]);
    }
  }
  return undefined;
}

/**
 * What a YAML 1.1 reader makes of a plain scalar written without a tag. A
 * plain scalar resolves by its text alone, so the scalar is read on its own,
 * with the 1.1 schema forced: `0:30`, `yes` or `2024-06-27 1:2:3` written plain
 * would read back as a number, a boolean or a time there. (Quoted and tagged
 * scalars read the same under both schemas, and the structure is proven above.)
 */
function readPlainUnder11(source: string): unknown {
  const document = parseDocument(`- ${source}\n`, { schema: 'yaml-1.1' });
  // Stryker disable next-line StringLiteral: the name only keys the shape cache (warm.ts); no result depends on it
  keepShapesOf('yaml-1.1', document, source.length);
  const item = isSeq(document.contents) ? document.contents.items[0] : undefined;
  // Stryker disable next-line ConditionalExpression: a one-line plain scalar's source always reads as one list item; the guard only keeps a surprise from throwing
  return document.errors.length === 0 && isScalar(item) ? item.value : undefined;
}

/** For each key of `map`, the index of the first key equal to it, aliases resolved to their anchors' values. */
function keyClasses(map: YAMLMap, document: Document.Parsed): number[] {
  const first = new Map<unknown, number>();
  return map.items.map((pair, i) => {
    let key: unknown = pair.key;
    if (isAlias(key)) key = key.resolve(document) ?? key;
    // Scalars compare by value (`1` and `"1"` differ, `a` and `"a"` do not); collections by identity.
    const id = isScalar(key)
      ? key.value instanceof Date
        ? `date:${key.value.getTime()}`
        : key.value
      : key;
    const seen = first.get(id);
    if (seen !== undefined) return seen;
    first.set(id, i);
    return i;
  });
}

/** Whether two maps' keys collide alike; their lengths are equal (shallowMismatch proved it). */
function sameCollisions(a: readonly number[], b: readonly number[]): boolean {
  return a.every((value, i) => value === b[i]);
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
