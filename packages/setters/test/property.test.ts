// Property: for generated YAML with markers on random scalars, updateText's
// output parses to the input data with only the marked values replaced, and
// every byte outside the marked scalars is unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type ImageRef, type SetterField, updateText } from '../src/index.js';
import { imageRef as ref } from './arbitraries.js';

type Value = string | number | boolean | null;
type Tree =
  | { leaf: Value; text: string; mark?: { policy: number; field: SetterField } }
  | Tree[]
  | { entries: [string, Tree][] };

const plainWord = fc.stringMatching(/^x[a-z0-9./-]{0,8}$/);
const anyText = fc
  .string({ unit: 'grapheme', maxLength: 12 })
  .filter((s) => !/[\r\n\u0085\u2028\u2029]/.test(s));

const leaf: fc.Arbitrary<Tree> = fc.oneof(
  plainWord.map((v) => ({ leaf: v, text: v })),
  anyText.map((v) => ({ leaf: v, text: JSON.stringify(v) })),
  anyText
    .filter((v) => /^[\x20-\x7e\u00a1-\uffff]*$/.test(v))
    .map((v) => ({ leaf: v, text: `'${v.replaceAll("'", "''")}'` })),
  fc.integer().map((v) => ({ leaf: v, text: String(v) })),
  fc.boolean().map((v) => ({ leaf: v, text: String(v) })),
  fc.constant({ leaf: null, text: 'null' }),
);

const marked: fc.Arbitrary<Tree> = fc
  .tuple(
    leaf,
    fc.option(
      fc.record({
        policy: fc.nat(2),
        field: fc.constantFrom<SetterField>('ref', 'tag', 'name', 'digest'),
      }),
      { freq: 2 },
    ),
  )
  .map(([node, mark]) => (mark ? ({ ...(node as object), mark } as Tree) : node));

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    marked,
    fc.array(tie('tree'), { minLength: 1, maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(fc.stringMatching(/^k[a-z0-9]{0,5}$/), tie('tree')), {
        minLength: 1,
        maxLength: 4,
        selector: ([k]) => k,
      })
      .map((entries) => ({ entries })),
  ),
}));

interface Emitted {
  lines: string[];
  /** Per line: the bytes that must survive before and after the value, for marked lines. */
  marked: Map<number, { prefix: string; suffix: string }>;
}

function isLeaf(t: Tree): t is Extract<Tree, { leaf: Value }> {
  return !Array.isArray(t) && 'leaf' in t;
}

function emit(t: Tree, indent: string, prefix: string, out: Emitted): void {
  if (isLeaf(t)) {
    const suffix = t.mark
      ? ` # {"$imagepolicy": "ns:p${t.mark.policy}${t.mark.field === 'ref' ? '' : `:${t.mark.field}`}"}`
      : '';
    if (t.mark) out.marked.set(out.lines.length, { prefix, suffix });
    out.lines.push(`${prefix}${t.text}${suffix}`);
    return;
  }
  const header = prefix.trimEnd();
  if (header !== '') out.lines.push(header);
  const inner = header === '' ? indent : `${indent}  `;
  const items = Array.isArray(t)
    ? t.map((c) => ['- ', c] as const)
    : t.entries.map(([k, c]) => [`${k}: `, c] as const);
  for (const [lead, child] of items) emit(child, inner, `${inner}${lead}`, out);
}

function expectedData(t: Tree, refs: ImageRef[]): unknown {
  if (isLeaf(t)) {
    if (!t.mark) return t.leaf;
    const r = refs[t.mark.policy]!;
    const value = {
      ref: r.digest ? `${r.name}:${r.tag}@${r.digest}` : `${r.name}:${r.tag}`,
      tag: r.tag,
      name: r.name,
      // Flux writes "" for :digest when the ref has none.
      digest: r.digest ?? '',
    }[t.mark.field];
    // A plain non-string already spelled as the new value (`true` for tag `true`) is current.
    return t.text === value ? t.leaf : value;
  }
  if (Array.isArray(t)) return t.map((c) => expectedData(c, refs));
  return Object.fromEntries(t.entries.map(([k, c]) => [k, expectedData(c, refs)]));
}

describe('updateText property', () => {
  it('changes exactly the marked values and nothing else', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            tree.filter((t) => !isLeaf(t)),
            marked,
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.tuple(ref, ref, ref),
        fc.constantFrom('\n', '\r\n'),
        (documents, refs, eol) => {
          const out: Emitted = { lines: [], marked: new Map() };
          for (const document of documents) {
            out.lines.push('---');
            emit(document, '', '', out);
          }
          const text = `${out.lines.join(eol)}${eol}`;
          const policies = Object.fromEntries(refs.map((r, i) => [`ns:p${i}`, r]));
          const result = updateText(text, policies);
          expect(result.problems).toEqual([]);

          const data = parseAllDocuments(result.text).map((d) => {
            expect(d.errors).toEqual([]);
            return d.toJS();
          });
          expect(data).toEqual(documents.map((d) => expectedData(d, refs)));

          const before = text.split(eol);
          const after = result.text.split(eol);
          expect(after).toHaveLength(before.length);
          for (const [i, line] of after.entries()) {
            const spot = out.marked.get(i);
            if (!spot) {
              expect(line).toBe(before[i]);
              continue;
            }
            expect(line.startsWith(spot.prefix)).toBe(true);
            expect(line.endsWith(spot.suffix)).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
