// Head-comment markers: a marker alone on the line above a value. Every row's
// expectation is what Flux does, checked against gopkg.in/yaml.v3 3.0.1 behind
// kyaml's kio.ByteReader document split (CRLF to LF, `\n---.*\n` separators):
// the position is the scalar node whose HeadComment fieldmeta.Read reads as a
// marker, or none.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findMarkers, updateText, updateTree } from '../src/index.js';
import { tempPath } from './helpers.js';

const M = '# {"$imagepolicy": "ns:p"}';
const policies = { 'ns:p': { name: 'new', tag: 'v9' } };

/** Where the marked value starts ("line:column"), or `undefined` when the comment marks nothing. */
const CASES: [string, string, string | undefined][] = [
  ['the issue’s example', 'images:\n- x:v0\n# M\n- a:v1\n', '4:3'],
  ['the first item of an indented list', 'images:\n  # M\n  - a:v1\n  - b:v1\n', '3:5'],
  ['the first item of a list at its key’s column', 'images:\n# M\n- a:v1\n', '3:3'],
  ['the first item at the top of the file', '# M\n- a:v1\n', '2:3'],
  ['a blank line after it at the top (the document’s head)', '# M\n\n- a:v1\n', undefined],
  [
    'a blank line before the item (a foot comment)',
    'images:\n  - x\n  # M\n\n  - a:v1\n',
    undefined,
  ],
  ['a blank line above it', 'images:\n  - x\n\n  # M\n  - a:v1\n', '5:5'],
  ['a comment line above it', 'images:\n  - x\n  # note\n  # M\n  - a:v1\n', undefined],
  ['a comment line below it', 'images:\n  - x\n  # M\n  # note\n  - a:v1\n', undefined],
  ['above a mapping key', 'a: 1\n# M\nimage: a:v1\n', undefined],
  ['above a list item that is a map', '# M\n- image: a:v1\n', undefined],
  ['above an item with its own line comment', 'l:\n  - x\n  # M\n  - a:v1 # note\n', undefined],
  ['above a key’s value on the next line', 'image:\n  # M\n  a:v1\n', '3:3'],
  ['inside a flow list', 'l: [a,\n  # M\n  b]\n', '3:3'],
  ['after a `-` whose value is below', '- # M\n  a:v1\n', '2:3'],
  ['after an empty entry: the next item', '- x\n- # M\n- a:v1\n', '3:3'],
  ['above an entry holding a nested list', '- x\n# M\n-\n  - a:v1\n', undefined],
  ['below that entry: the nested list’s first item', '- x\n-\n  # M\n  - a:v1\n', '4:5'],
  ['at the top of a later document, then a blank line', 'a: 1\n---\n# M\n\n- x\n', undefined],
  ['below the blank line there', 'a: 1\n---\n# other\n\n# M\n- x\n', '6:3'],
  ['above a `---`', 'a: 1\n# M\n---\n- x\n', undefined],
  ['on a `---` first line', '--- # M\n- x\n', '2:3'],
  ['on a later `---` (kyaml drops that line)', 'a: 1\n--- # M\n- x\n', undefined],
  ['right of a dedented next item (a foot comment)', 'l:\n  - - x\n    # M\n  - a:v1\n', undefined],
  // go-yaml puts the node at its anchor (2:3); a Change points at the value (2:6).
  ['above an item with an anchor', '# M\n- &a a:v1\n', '2:6'],
  ['a dedented comment cut off at a blank line', 'k:\n  - x\n# other\n\n# M\n  - a:v1\n', '6:5'],
  ['below a compact map, then a blank line', '- k: v\n  # M\n\n- y\n', undefined],
  ['above an explicit value', '? k\n# M\n: a:v1\n', '3:3'],
  ['between `-` and its value', '-\n  # M\n  a:v1\n', '3:3'],
];

describe('head-comment markers (go-yaml v3 + kyaml, as Flux reads them)', () => {
  it.each(CASES)('%s', (_, template, where) => {
    for (const eol of ['\n', '\r\n']) {
      const text = template.replaceAll('# M', M).replaceAll('\n', eol);
      const result = updateText(text, policies);
      expect(result.problems).toEqual([]);
      if (where === undefined) {
        expect(result.text).toBe(text);
        expect(findMarkers(text).filter((m) => m.placement === 'head')).toEqual([]);
        continue;
      }
      const [line, column] = where.split(':').map(Number);
      expect(result.changes).toEqual([
        expect.objectContaining({ setter: 'ns:p', newValue: 'new:v9', line, column }),
      ]);
      const markers = findMarkers(text);
      expect(markers).toEqual([
        expect.objectContaining({ setter: 'ns:p', placement: 'head', value: expect.any(String) }),
      ]);
      // Only the marked value changed: put the old value back and get the input.
      const change = result.changes[0]!;
      expect(result.text.replace('new:v9', change.oldValue)).toBe(text);
    }
  });

  it('replaces a multi-line plain item whole (go-yaml: marked)', () => {
    const result = updateText(`${M}\n- a:v1\n  cont\n- b\n`, policies);
    expect(result.text).toBe(`${M}\n- new:v9\n- b\n`);
    expect(result.changes[0]!.oldValue).toBe('a:v1 cont');
  });

  it('reports a head marker on a block scalar or an alias as not-a-scalar', () => {
    // Flux would rewrite the block scalar; we never re-flow one, so we say so.
    for (const text of [`${M}\n- |\n  a:v1\n`, `- &x a\n${M}\n- *x\n`]) {
      const result = updateText(text, policies, { path: 'm.yaml' });
      expect(result.text).toBe(text);
      expect(result.problems).toEqual([
        expect.objectContaining({ kind: 'not-a-scalar', setter: 'ns:p', path: 'm.yaml' }),
      ]);
      expect(findMarkers(text)).toEqual([
        expect.not.objectContaining({ value: expect.anything() }),
      ]);
    }
  });

  it('lets the line comment win over the head comment, marker or not', () => {
    const other = '# {"$imagepolicy": "ns:q:tag"}';
    const text = `l:\n  ${M}\n  - a:v1 ${other}\n`;
    const result = updateText(text, { ...policies, 'ns:q': { name: 'q', tag: 'v2' } });
    expect(result.text).toBe(`l:\n  ${M}\n  - v2 ${other}\n`);
    expect(findMarkers(text).map((m) => m.placement)).toEqual(['line']);
  });

  it('reports an unknown policy on a head marker at the value', () => {
    const result = updateText(`l:\n  # {"$imagepolicy": "other:p"}\n  - a:v1\n`, policies);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'unknown-policy', line: 3, column: 5 }),
    ]);
  });

  it('stays linear on 10,000 marker comments in a row and 10,000 marked items', () => {
    // Each comment's head piece is worked out once per stretch, not once per comment.
    const stacked = `l:\n${`  ${M}\n`.repeat(10_000)}  - a:v1\n`;
    expect(updateText(stacked, policies)).toEqual({ text: stacked, changes: [], problems: [] });
    const items = `l:\n${Array.from({ length: 10_000 }, (_, i) => `  ${M}\n  - a${i}\n`).join('')}`;
    expect(updateText(items, policies).changes).toHaveLength(10_000);
  });

  it('writes the issue’s example through updateTree too', async () => {
    const root = await tempPath();
    const { writeFile, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    await writeFile(join(root, 'k.yaml'), `images:\n- x:v0\n${M}\n- a:v1\n`);
    const { files } = await updateTree(root, policies);
    expect(files.map((f) => f.path)).toEqual(['k.yaml']);
    const written = await readFile(join(root, 'k.yaml'), 'utf8');
    expect(parse(written)).toEqual({ images: ['x:v0', 'new:v9'] });
  });
});
