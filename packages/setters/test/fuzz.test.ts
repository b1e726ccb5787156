// Fuzz: generated YAML texts (LF or CRLF, with or without a byte-order mark and
// a final newline) with markers injected at scalar sites, as line comments and
// as head comments, and generated policies, valid or of the wrong types. The
// invariants: nothing but a SettersError is ever thrown; no byte outside a
// changed scalar changes; the result parses to the same structure; each changed
// value reads back as its new string under YAML 1.2 and 1.1; every marked
// value whose marker is a line comment gets its policy's value. Seeded, with
// bounded runs and a time cap, so a failure replays exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';
import {
  type ImageRef,
  type Policies,
  type SetterField,
  SettersError,
  updateText,
} from '../src/index.js';
import { imageRef } from './arbitraries.js';

// ---- generated YAML --------------------------------------------------------

type Leaf = { kind: 'leaf'; text: string };
type Tree =
  | Leaf
  | { kind: 'seq'; flow: boolean; items: Tree[] }
  | { kind: 'map'; flow: boolean; entries: [string, Tree][] };

const plainLeaf = fc.constantFrom(
  'x',
  'a:v1',
  'ghcr.io/acme/app:v1.2.3',
  '1.2',
  'true',
  'null',
  '~',
  '0:30',
  'yes',
  '2024-06-27',
  'café',
  'a b',
  '-1',
  '...x',
);
const quotedLeaf = fc
  .string({
    unit: fc.constantFrom('a', '1', ' ', ':', '#', "'", '"', '\\', 'é', '-'),
    maxLength: 8,
  })
  .chain((value) => fc.constantFrom(`'${value.replaceAll("'", "''")}'`, JSON.stringify(value)));
const leaf: fc.Arbitrary<Leaf> = fc
  .oneof({ weight: 3, arbitrary: plainLeaf }, { weight: 2, arbitrary: quotedLeaf }, fc.constant(''))
  .map((text) => ({ kind: 'leaf', text }));

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .record({ flow: fc.boolean(), items: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) })
      .map((s) => ({ kind: 'seq' as const, ...s })),
    fc
      .record({
        flow: fc.boolean(),
        entries: fc.uniqueArray(fc.tuple(fc.stringMatching(/^k[a-z0-9]{0,3}$/), tie('tree')), {
          minLength: 1,
          maxLength: 3,
          selector: ([key]) => key,
        }),
      })
      .map((m) => ({ kind: 'map' as const, ...m })),
  ),
}));

/** Flow text of a tree (inside a flow collection everything is flow). */
function flowText(t: Tree): string {
  if (t.kind === 'leaf') return t.text === '' ? '""' : t.text.replace(/^(a b|\.\.\.x)$/, '"$1"');
  if (t.kind === 'seq') return `[${t.items.map(flowText).join(', ')}]`;
  return `{${t.entries.map(([k, v]) => `${k}: ${flowText(v)}`).join(', ')}}`;
}

/** Block lines of a tree at `indent`, after `lead` (`- `, `key: ` or nothing). */
function blockLines(t: Tree, indent: string, lead: string, out: string[]): void {
  if (t.kind === 'leaf') {
    out.push(`${indent}${lead}${t.text}`.trimEnd());
    return;
  }
  if (t.flow) {
    out.push(`${indent}${lead}${flowText(t)}`);
    return;
  }
  const inner = lead === '' ? indent : `${indent}  `;
  if (lead !== '') out.push(`${indent}${lead}`.trimEnd());
  if (t.kind === 'seq') for (const item of t.items) blockLines(item, inner, '- ', out);
  else for (const [key, value] of t.entries) blockLines(value, inner, `${key}: `, out);
}

interface Site {
  /** Item indices from the document down to the scalar. */
  path: number[];
  start: number;
  end: number;
  flowScalar: boolean;
}

/** Every value scalar (not a key) of every document, with its path. */
function scalarSites(text: string): Site[] {
  const sites: Site[] = [];
  parseAllDocuments(text).forEach((document, d) => {
    const stack: [unknown, number[]][] = [[document.contents, [d]]];
    while (stack.length > 0) {
      const [node, path] = stack.pop()!;
      if (isMap(node) || isSeq(node)) {
        node.items.forEach((item, i) => {
          stack.push([isPair(item) ? item.value : item, [...path, i]]);
        });
      } else if (isScalar(node) && node.range) {
        const flowScalar = ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'].includes(node.type ?? '');
        sites.push({ path, start: node.range[0], end: node.range[1], flowScalar });
      }
    }
  });
  return sites.sort((a, b) => a.start - b.start);
}

function nodeAt(text: string, path: readonly number[]): Node | undefined {
  let node: unknown = parseAllDocuments(text)[path[0]!]?.contents;
  for (const i of path.slice(1)) {
    if (!isMap(node) && !isSeq(node)) return undefined;
    const item: unknown = node.items[i];
    node = isPair(item) ? item.value : item;
  }
  return node as Node | undefined;
}

interface Mark {
  site: Site;
  policy: number;
  field: SetterField;
  head: boolean;
}

const FIELDS: SetterField[] = ['ref', 'tag', 'name', 'digest'];

/** Puts markers on chosen sites: a line comment after the value, or a comment line above a list item. */
function injectMarkers(
  text: string,
  sites: readonly Site[],
  picks: readonly number[],
): { text: string; marks: Mark[] } {
  const marks: Mark[] = [];
  const inserts: [number, string][] = [];
  sites.forEach((site, i) => {
    const pick = picks[i % picks.length]!;
    if (pick % 3 === 0) return;
    const policy = pick % 4;
    const field = FIELDS[pick % FIELDS.length]!;
    const comment = `# {"$imagepolicy": "ns:p${policy}${field === 'ref' ? '' : `:${field}`}"}`;
    const lineEnd =
      text.indexOf('\n', site.end) === -1 ? text.length : text.indexOf('\n', site.end);
    const lineStart = text.lastIndexOf('\n', site.start - 1) + 1;
    const before = text.slice(lineStart, site.start);
    if (pick % 3 === 2 && /^ *- $/.test(before)) {
      inserts.push([lineStart, `${before.replace('- ', '')}${comment}\n`]);
      marks.push({ site, policy, field, head: true });
    } else if (
      /^\s*$/.test(text.slice(site.end, lineEnd)) &&
      !text.slice(site.end, lineEnd).includes('\n')
    ) {
      inserts.push([site.end, ` ${comment}`]);
      // After a bare `-` the comment is a head comment in go-yaml (it waits for the next node).
      const afterEntry = site.start === site.end && /^[ \t-]*$/.test(before);
      marks.push({ site, policy, field, head: afterEntry });
    }
  });
  let result = text;
  for (const [at, insert] of inserts.sort((a, b) => b[0] - a[0])) {
    result = result.slice(0, at) + insert + result.slice(at);
  }
  return { text: result, marks };
}

const yamlDocument = fc.oneof(
  tree.filter((t) => t.kind !== 'leaf'),
  tree,
);

const yamlText = fc
  .record({
    documents: fc.array(yamlDocument, { minLength: 1, maxLength: 2 }),
    picks: fc.array(fc.nat(11), { minLength: 1, maxLength: 8 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
    explicitStart: fc.boolean(),
  })
  .map(({ documents, picks, crlf, bom, finalNewline, explicitStart }) => {
    const lines: string[] = [];
    documents.forEach((t, i) => {
      if (i > 0 || explicitStart) lines.push('---');
      blockLines(t, '', '', lines);
    });
    const plain = `${lines.join('\n')}\n`;
    const sites = scalarSites(plain);
    const injected = injectMarkers(plain, sites, picks);
    // Sites move when markers go in: find them again by path.
    const again = new Map(scalarSites(injected.text).map((s) => [s.path.join('/'), s]));
    const marks = injected.marks.flatMap((m) => {
      const site = again.get(m.site.path.join('/'));
      return site ? [{ ...m, site }] : [];
    });
    let text = finalNewline ? injected.text : injected.text.replace(/\n$/, '');
    if (crlf) text = text.replaceAll('\n', '\r\n');
    return {
      lfText: injected.text,
      text: (bom ? '\ufeff' : '') + text,
      marks,
      crlf,
      bom,
      finalNewline,
    };
  });

// ---- generated policies ----------------------------------------------------

const wrongRef = fc.constantFrom<unknown>(
  null,
  undefined,
  'ghcr.io/acme/app:v1',
  5,
  { name: 5, tag: 'v1' },
  { name: 'app', tag: 5 },
  { name: 'app' },
  { name: 'app', tag: 'v1', digest: 7 },
  { name: 'app', tag: 'v1', digest: 'md5:x' },
  { name: '', tag: 'v1' },
  { name: 'app', tag: 'bad tag!' },
);

const policies = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(imageRef, imageRef, imageRef).map((refs) => ({ refs, valid: true })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(imageRef, wrongRef, imageRef)
      .map(([a, bad, c]) => ({ refs: [a, bad, c] as unknown[], valid: false })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(null, 'ns:p0', [1]).map((p) => ({ refs: p, valid: false })),
  },
);

function toPolicies(refs: unknown, asMap: boolean): Policies {
  if (!Array.isArray(refs)) return refs as Policies;
  const entries = refs.map((ref, i) => [`ns:p${i}`, ref] as const);
  return (asMap ? new Map(entries) : Object.fromEntries(entries)) as Policies;
}

function expectedValue(ref: ImageRef, field: SetterField): string {
  if (field === 'tag') return ref.tag;
  if (field === 'name') return ref.name;
  if (field === 'digest') return ref.digest ?? '';
  return ref.digest ? `${ref.name}:${ref.tag}@${ref.digest}` : `${ref.name}:${ref.tag}`;
}

// ---- the invariants --------------------------------------------------------

describe('updateText fuzz', () => {
  it('throws only SettersError, and changes only marked scalars, provably', () => {
    fc.assert(
      fc.property(yamlText, policies, fc.boolean(), (input, generated, asMap) => {
        const { text, lfText, marks } = input;
        let result: ReturnType<typeof updateText>;
        try {
          result = updateText(text, toPolicies(generated.refs, asMap), { path: 'f.yaml' });
        } catch (error) {
          expect(error).toBeInstanceOf(SettersError);
          expect(['INVALID_REF', 'INVALID_ARGUMENT']).toContain((error as SettersError).code);
          expect(generated.valid).toBe(false);
          return;
        }
        expect(generated.valid).toBe(true);
        const refs = generated.refs as ImageRef[];
        if (result.text === text) {
          expect(result.changes).toEqual([]);
          return;
        }
        // Compare in LF without the mark; both survive byte for byte.
        expect(result.text.startsWith('\ufeff')).toBe(input.bom);
        const body = result.text.replace(/^\ufeff/, '');
        if (input.crlf) expect(body.replaceAll('\r\n', '')).not.toContain('\n');
        const after = input.crlf ? body.replaceAll('\r\n', '\n') : body;
        const lfAfter = input.finalNewline ? after : `${after}\n`;
        for (const document of parseAllDocuments(lfAfter)) expect(document.errors).toEqual([]);

        // Which scalars changed: each must be a reported change (line and column of its old value).
        const sites = scalarSites(lfText).filter((site) => {
          const node = nodeAt(lfAfter, site.path);
          return (
            !isScalar(node) ||
            lfAfter.slice(node.range![0], node.range![1]) !== lfText.slice(site.start, site.end)
          );
        });
        expect(sites.map((site) => positionOf(lfText, site.start))).toEqual(
          result.changes.map(({ line, column }) => ({ line, column })),
        );
        let atBefore = 0;
        let atAfter = 0;
        for (const site of sites) {
          const node = nodeAt(lfAfter, site.path)!;
          const [start, end] = node.range!;
          let outside = lfAfter.slice(atAfter, start);
          // A filled-in empty value gets the blank that separates it from its `:`.
          if (
            site.start === site.end &&
            outside.endsWith(' ') &&
            !lfText.slice(atBefore, site.start).endsWith(' ')
          ) {
            outside = outside.slice(0, -1);
          }
          expect(outside).toBe(lfText.slice(atBefore, site.start));
          atBefore = site.end;
          atAfter = end;
          if (site.start === site.end && lfAfter[atAfter] === ' ' && lfText[atBefore] === '#')
            atAfter++;
          // The new value reads back as a string under both schemas.
          const { line, column } = positionOf(lfText, site.start);
          const want = result.changes.find((c) => c.line === line && c.column === column)?.newValue;
          expect(isScalar(node) && node.value).toBe(want);
          const under11 = nodeAt11(lfAfter, site.path);
          expect(under11).toBe(want);
        }
        expect(lfAfter.slice(atAfter)).toBe(lfText.slice(atBefore));

        // A line marker on a plain or quoted value gets its policy's value, unless the file was refused.
        const refused = result.problems.some(
          (p) => p.kind === 'verify-failed' || p.kind === 'parse-error',
        );
        if (!refused) {
          for (const m of marks) {
            // ns:p3 is not among the policies: an unknown-policy problem, value left alone.
            if (m.head || !m.site.flowScalar || m.policy >= refs.length) continue;
            const node = nodeAt(lfAfter, m.site.path);
            const want = expectedValue(refs[m.policy]!, m.field);
            const current = isScalar(node)
              ? typeof node.value === 'string'
                ? node.value
                : node.source
              : undefined;
            expect(current).toBe(want);
          }
        }
      }),
      { seed: 7, numRuns: 1000, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
  }, 30_000);
});

function positionOf(text: string, offset: number): { line: number; column: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { line: text.slice(0, offset).split('\n').length, column: offset - lineStart + 1 };
}

function nodeAt11(text: string, path: readonly number[]): unknown {
  let node: unknown = parseAllDocuments(text, { schema: 'yaml-1.1' })[path[0]!]?.contents;
  for (const i of path.slice(1)) {
    if (!isMap(node) && !isSeq(node)) return undefined;
    const item: unknown = node.items[i];
    node = isPair(item) ? item.value : item;
  }
  return isScalar(node) ? node.value : undefined;
}
