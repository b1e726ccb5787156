import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { findMarkers, updateText } from '../src/index.js';
import { marker, policies } from './helpers.js';

const APP = marker('flux-system:app');
const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function update(text: string) {
  return updateText(text, policies, { path: 'm.yaml' });
}

describe('setter forms', () => {
  it('writes name:tag for the bare form', () => {
    expect(update(`image: app:v1 ${APP}\n`).text).toBe(`image: ghcr.io/acme/app:v2.0.0 ${APP}\n`);
  });

  it('adds @digest when the ref has one', () => {
    const m = marker('flux-system:digested');
    expect(update(`image: app:v1 ${m}\n`).text).toBe(
      `image: ghcr.io/acme/app:v2.0.0@${DIGEST} ${m}\n`,
    );
  });

  it('writes the tag, the name and the digest for the suffixed forms', () => {
    const text = [
      `tag: v1 ${marker('flux-system:app:tag')}`,
      `name: app ${marker('flux-system:app:name')}`,
      `digest: sha256:1 ${marker('flux-system:digested:digest')}`,
      '',
    ].join('\n');
    const result = update(text);
    expect(result.text).toBe(
      [
        `tag: v2.0.0 ${marker('flux-system:app:tag')}`,
        `name: ghcr.io/acme/app ${marker('flux-system:app:name')}`,
        `digest: ${DIGEST} ${marker('flux-system:digested:digest')}`,
        '',
      ].join('\n'),
    );
    expect(result.changes.map((c) => [c.setter, c.oldValue, c.line, c.column])).toEqual([
      ['flux-system:app:tag', 'v1', 1, 6],
      ['flux-system:app:name', 'app', 2, 7],
      ['flux-system:digested:digest', 'sha256:1', 3, 9],
    ]);
  });

  it('writes "" for a :digest marker when the ref has no digest, as Flux does', () => {
    const m = marker('flux-system:app:digest');
    const result = update(`digest: sha256:1 ${m}\n`);
    expect(result.text).toBe(`digest: "" ${m}\n`);
    expect(parse(result.text).digest).toBe('');
    expect(result.changes).toEqual([
      { setter: 'flux-system:app:digest', oldValue: 'sha256:1', newValue: '', line: 1, column: 9 },
    ]);
  });

  it('keeps single quotes for an empty digest, and an empty digest is no change', () => {
    const m = marker('flux-system:app:digest');
    expect(update(`digest: 'sha256:1' ${m}\n`).text).toBe(`digest: '' ${m}\n`);
    expect(update(`digest: "sha256:1" ${m}\n`).text).toBe(`digest: "" ${m}\n`);
    for (const current of [`digest: "" ${m}\n`, `digest: '' ${m}\n`, `digest: ${m}\n`]) {
      expect(update(current)).toEqual({ text: current, changes: [], problems: [] });
    }
    // A null is not the empty string: it becomes one.
    expect(update(`digest: ~ ${m}\n`).text).toBe(`digest: "" ${m}\n`);
  });

  it("keeps a Kustomization's newTag and newDigest in step when the digest goes away", () => {
    const text = [
      'images:',
      '  - name: app',
      `    newTag: v1 ${marker('flux-system:app:tag')}`,
      `    newDigest: ${DIGEST} ${marker('flux-system:app:digest')}`,
      '',
    ].join('\n');
    const images = parse(update(text).text).images;
    expect(images).toEqual([{ name: 'app', newTag: 'v2.0.0', newDigest: '' }]);
  });

  it('accepts free whitespace inside the JSON and rejects extra text', () => {
    const spaced = 'image: app:v1 #{  "$imagepolicy" :"flux-system:app"  }\n';
    expect(update(spaced).changes).toHaveLength(1);
    const extra = `image: app:v1 ${APP} please\n`;
    expect(update(extra)).toEqual({ text: extra, changes: [], problems: [] });
  });

  it('takes policies as a Map too', () => {
    const map = new Map(Object.entries(policies));
    expect(updateText(`i: a ${APP}\n`, map).text).toBe(`i: ghcr.io/acme/app:v2.0.0 ${APP}\n`);
  });
});

describe('where markers may sit', () => {
  it('finds scalars in maps and sequences at any depth, and in flow collections', () => {
    const text = [
      'a:',
      '  b:',
      `    - c: x ${APP}`,
      `    - - y ${APP}`,
      `    - {k: z, j: w} ${APP}`,
      `    - [p, q, # ${APP.slice(2)}`,
      '       r]',
      '',
    ].join('\n');
    const result = update(text);
    const v = 'ghcr.io/acme/app:v2.0.0';
    expect(result.text).toBe(
      [
        'a:',
        '  b:',
        `    - c: ${v} ${APP}`,
        `    - - ${v} ${APP}`,
        `    - {k: z, j: w} ${APP}`,
        `    - [p, ${v}, # ${APP.slice(2)}`,
        '       r]',
        '',
      ].join('\n'),
    );
    expect(result.problems.map((p) => [p.kind, p.line])).toEqual([['not-a-scalar', 5]]);
  });

  it('updates every document of a multi-document file and names each object', () => {
    const text = [
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: prod}',
      `image: a ${APP}`,
      '---',
      'kind: Job',
      `image: b ${APP}`,
      '...',
      '---',
      `- c ${APP}`,
      '',
    ].join('\n');
    const { changes } = update(text);
    expect(changes.map((c) => [c.oldValue, c.line, c.object])).toEqual([
      ['a', 5, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' }],
      ['b', 8, { kind: 'Job' }],
      ['c', 11, undefined],
    ]);
  });

  it('reports a marker on a key whose value is a map or a list as not-a-scalar', () => {
    const text = `spec: ${APP}\n  image: a\nlist: ${APP}\n  - a\n`;
    const result = update(text);
    expect(result.text).toBe(text);
    expect(result.problems.map((p) => [p.kind, p.line, p.column, p.path])).toEqual([
      ['not-a-scalar', 1, 7, 'm.yaml'],
      ['not-a-scalar', 3, 7, 'm.yaml'],
    ]);
  });

  it('reports markers on aliases and block scalar headers as not-a-scalar', () => {
    const text = `a: &x v\nb: *x ${APP}\nc: | ${APP}\n  text\n`;
    const result = update(text);
    expect(result.text).toBe(text);
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('on an alias'),
      expect.stringContaining('block scalar'),
    ]);
  });

  it('does not see a marker inside a block scalar or a quoted string', () => {
    const text = `script: |\n  image: a ${APP}\nq: "b ${APP.replaceAll('"', '\\"')}"\n`;
    expect(update(text)).toEqual({ text, changes: [], problems: [] });
    expect(findMarkers(text)).toEqual([]);
  });

  it('ignores a marker alone on its line', () => {
    const text = `${APP}\nimage: a\n`;
    expect(update(text)).toEqual({ text, changes: [], problems: [] });
  });

  it('reports an unknown policy and leaves its value alone', () => {
    const text = `image: a ${marker('other:app')}\nnext: b ${APP}\n`;
    const result = update(text);
    expect(result.text).toBe(
      `image: a ${marker('other:app')}\nnext: ghcr.io/acme/app:v2.0.0 ${APP}\n`,
    );
    expect(result.problems).toEqual([
      {
        path: 'm.yaml',
        line: 1,
        column: 8,
        kind: 'unknown-policy',
        setter: 'other:app',
        message: expect.stringContaining('"other:app"'),
      },
    ]);
  });

  it('fills an empty value', () => {
    expect(update(`image: ${APP}\n`).text).toBe(`image: ghcr.io/acme/app:v2.0.0 ${APP}\n`);
  });
});

describe('values', () => {
  it('does not count a value that is already current as a change', () => {
    const text = `image: ghcr.io/acme/app:v2.0.0 ${APP}\nq: "ghcr.io/acme/app:v2.0.0" ${APP}\n`;
    const result = update(text);
    expect(result).toEqual({ text, changes: [], problems: [] });
  });

  it('keeps single and double quotes', () => {
    const text = `a: 'x' ${APP}\nb: "y" ${APP}\n`;
    expect(update(text).text).toBe(
      `a: 'ghcr.io/acme/app:v2.0.0' ${APP}\nb: "ghcr.io/acme/app:v2.0.0" ${APP}\n`,
    );
  });

  it('double-quotes a plain scalar whose new value would not read back as a string', () => {
    const tag = marker('ns:n:tag');
    // Only valid tags get this far; quote.test.ts covers every other string.
    for (const [value, written] of [
      ['1.2', '"1.2"'],
      ['010', '"010"'],
      ['true', '"true"'],
      ['yes', '"yes"'],
      ['on', '"on"'],
      ['null', '"null"'],
      ['1e3', '"1e3"'],
      ['1_000', '"1_000"'],
      ['0x1F', '"0x1F"'],
      ['2024-06-27', '"2024-06-27"'],
      ['1.2.3', '1.2.3'],
    ] as const) {
      const result = updateText(`tag: v1 ${tag}\n`, { 'ns:n': { name: 'n', tag: value } });
      expect(result.text).toBe(`tag: ${written} ${tag}\n`);
      for (const version of ['1.1', '1.2'] as const) {
        expect(parse(result.text, { version }).tag).toBe(value);
      }
    }
  });

  it('quotes a name:tag that YAML 1.1 reads as a sexagesimal number', () => {
    // name "0" and tag "30" are valid, and `0:30` is 30 in eemeli/yaml's 1.1 schema.
    for (const [name, tag] of [
      ['0', '30'],
      ['00', '30'],
      ['0_1', '20'],
    ] as const) {
      const m = marker('ns:n');
      const result = updateText(`image: x ${m}\n`, { 'ns:n': { name, tag } });
      expect(result.text).toBe(`image: "${name}:${tag}" ${m}\n`);
      expect(parse(result.text, { version: '1.1' }).image).toBe(`${name}:${tag}`);
    }
  });
});

describe('verification', () => {
  it('refuses a patch that would not read back, leaving the text unchanged', () => {
    const text = `replicas: !!int 3 ${marker('flux-system:app:tag')}\nimage: a ${APP}\n`;
    const result = update(text);
    expect(result.text).toBe(text);
    expect(result.changes).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'verify-failed', line: 1, column: 17, path: 'm.yaml' }),
    ]);
  });

  it('lets aliases of a marked anchor follow it, as Flux does', () => {
    const text = `base: &img a ${APP}\nimage: *img\n`;
    const result = update(text);
    expect(result.text).toBe(`base: &img ghcr.io/acme/app:v2.0.0 ${APP}\nimage: *img\n`);
    expect(parseAllDocuments(result.text)[0]!.toJS().image).toBe('ghcr.io/acme/app:v2.0.0');
  });

  it('reports a duplicate key as a parse error, as go-yaml does', () => {
    const text = `a: 1\nimage: x ${APP}\na: 2\n`;
    expect(update(text).problems).toEqual([
      expect.objectContaining({ kind: 'parse-error', line: 3, column: 1 }),
    ]);
  });

  it('reports a parse error with line and column and leaves the text alone', () => {
    const text = `a: b ${APP}\nc: d: e\n`;
    const result = update(text);
    expect(result.text).toBe(text);
    expect(result.problems).toEqual([
      {
        path: 'm.yaml',
        line: 2,
        column: 4,
        kind: 'parse-error',
        message:
          'm.yaml:2:4: not valid YAML, left untouched: Nested mappings are not allowed in compact mappings',
      },
    ]);
  });
});

describe('bytes outside the marked values never change', () => {
  const cases: [string, string, string][] = [
    ['CRLF', `a: 1\r\nimage: x ${APP}\r\nb: 2\r\n`, `a: 1\r\nimage: NEW ${APP}\r\nb: 2\r\n`],
    ['a BOM', `\ufeffimage: x ${APP}\n`, `\ufeffimage: NEW ${APP}\n`],
    ['no final newline', `a: 1\nimage: x ${APP}`, `a: 1\nimage: NEW ${APP}`],
    [
      'tabs in comments and trailing spaces',
      `a: 1   \t# tab\there  \nimage: x\t${APP}  \n`,
      `a: 1   \t# tab\there  \nimage: NEW\t${APP}  \n`,
    ],
    [
      'UTF-8 comments and values',
      `# café ☕ 🐳\nnote: naïve # ünïcödé\nimage: x ${APP} \n`,
      `# café ☕ 🐳\nnote: naïve # ünïcödé\nimage: NEW ${APP} \n`,
    ],
    [
      'anchors, aliases and merge keys',
      `base: &b {x: 1}\nuse:\n  <<: *b\n  image: &i x ${APP}\nagain: *i\n`,
      `base: &b {x: 1}\nuse:\n  <<: *b\n  image: &i NEW ${APP}\nagain: *i\n`,
    ],
    [
      'flow collections',
      `args: [ --a,  --b ]\nenv: {A: '1' ,B: 2}\nimage: x ${APP}\n`,
      `args: [ --a,  --b ]\nenv: {A: '1' ,B: 2}\nimage: NEW ${APP}\n`,
    ],
    [
      'block scalars',
      `s: |-\n  keep\n\n   this\nf: >\n  folded\n  text\nimage: x ${APP}\n`,
      `s: |-\n  keep\n\n   this\nf: >\n  folded\n  text\nimage: NEW ${APP}\n`,
    ],
    [
      'document markers and directives',
      `%YAML 1.2\n--- # first\nimage: x ${APP}\n...\n---\nb: 1\n...\n`,
      `%YAML 1.2\n--- # first\nimage: NEW ${APP}\n...\n---\nb: 1\n...\n`,
    ],
    [
      'odd indentation and blank lines',
      `a:\n     b:\n\n\n          - image:   x ${APP}\n`,
      `a:\n     b:\n\n\n          - image:   NEW ${APP}\n`,
    ],
  ];
  it.each(cases)('keeps %s', (_, input, output) => {
    const result = update(input);
    expect(result.problems).toEqual([]);
    expect(result.text).toBe(output.replace('NEW', 'ghcr.io/acme/app:v2.0.0'));
  });

  it('keeps a multi-line plain scalar’s surroundings', () => {
    const text = `a: one\n  two ${APP}\nb: 1\n`;
    expect(update(text).text).toBe(`a: ghcr.io/acme/app:v2.0.0 ${APP}\nb: 1\n`);
  });
});

describe('YAML edge cases the official test suite turned up', () => {
  const TAG = marker('ns:p:tag');
  const V2 = { 'ns:p': { name: 'app', tag: 'v2' } };

  it('keeps a byte-order mark before a top-level block list, with columns that do not count it', () => {
    // yaml 2.9 refuses `\ufeff- a` although YAML allows it: parsed without the mark.
    const result = updateText(`\ufeff- a ${TAG}\n- b\n`, V2);
    expect(result.problems).toEqual([]);
    expect(result.text).toBe(`\ufeff- v2 ${TAG}\n- b\n`);
    expect(result.changes).toEqual([expect.objectContaining({ line: 1, column: 3 })]);
    expect(findMarkers(`\ufeff- a ${TAG}\n`)).toEqual([
      expect.objectContaining({ line: 1, column: 5, value: 'a' }),
    ]);
  });

  it('puts a blank between `:` and a value filled in before a flow comma', () => {
    const result = updateText(`{omitted value:, ${TAG}\n b: 1}\n`, V2);
    expect(result.problems).toEqual([]);
    expect(result.text).toBe(`{omitted value: v2, ${TAG}\n b: 1}\n`);
    expect(parse(result.text)).toEqual({ 'omitted value': 'v2', b: 1 });
  });

  it('refuses a marked anchor that, used as a key, would collide with another key', () => {
    // `*x` is a key; setting the anchor to v2 would make it repeat `v2` and drop one.
    const text = `a: &x v1 ${TAG}\n*x : 3\nv2: 4\n`;
    const result = updateText(text, V2, { path: 'm.yaml' });
    expect(result.text).toBe(text);
    expect(result.changes).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'verify-failed', line: 1, column: 7, setter: 'ns:p:tag' }),
    ]);
    // Without a collision the alias key follows its anchor, as every alias does.
    const free = updateText(`a: &x v1 ${TAG}\n*x : 3\nv3: 4\n`, V2);
    expect(parse(free.text)).toEqual({ a: 'v2', v2: 3, v3: 4 });
  });

  it('quotes a name:tag that a YAML 1.1 reader takes for a sexagesimal number', () => {
    const m = marker('ns:t');
    // `0_1:20` is 80 in eemeli/yaml's 1.1 schema.
    const result = updateText(`- x ${m}\n`, { 'ns:t': { name: '0_1', tag: '20' } });
    expect(result.text).toBe(`- "0_1:20" ${m}\n`);
    expect(parse(result.text, { version: '1.1' })).toEqual(['0_1:20']);
  });
});

describe('findMarkers', () => {
  it('lists every marker with its position, setter and value', () => {
    const text = `a: x ${APP}\nb: ${marker('ns:p:tag')}\n  c: d\n# ${APP.slice(2)} alone\n`;
    expect(findMarkers(text)).toEqual([
      {
        setter: 'flux-system:app',
        policy: 'flux-system:app',
        field: 'ref',
        placement: 'line',
        line: 1,
        column: 6,
        value: 'x',
      },
      { setter: 'ns:p:tag', policy: 'ns:p', field: 'tag', placement: 'line', line: 2, column: 4 },
    ]);
  });

  it('still lists markers in a text that does not parse', () => {
    expect(findMarkers(`a: x ${APP}\n  b: [\n`)).toEqual([
      expect.objectContaining({ setter: 'flux-system:app', line: 1 }),
    ]);
  });
});

describe('hostile input', () => {
  it('patches 10,000 markers in one file', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `k${i}: old${i} ${APP}`);
    const result = update(`${lines.join('\n')}\n`);
    expect(result.problems).toEqual([]);
    expect(result.changes).toHaveLength(10_000);
    expect(result.changes[9_999]!.line).toBe(10_000);
    // yaml's own duplicate-key check is quadratic; keys here are unique by construction.
    const data = parse(result.text, { uniqueKeys: false }) as Record<string, string>;
    expect(Object.keys(data)).toHaveLength(10_000);
    expect(new Set(Object.values(data))).toEqual(new Set(['ghcr.io/acme/app:v2.0.0']));
  });

  it('refuses collections nested deeper than 200 levels instead of overflowing the stack', () => {
    // yaml's composer recurses per level; once it has overflowed (~780 levels),
    // a later deep file made V8 abort the whole process. Both runs must return.
    for (const depth of [1000, 20_000]) {
      const deep = `${'['.repeat(depth)}x${']'.repeat(depth)}`;
      const result = update(`a: ${deep}\nimage: x ${APP}\n`);
      expect(result.changes).toEqual([]);
      expect(result.problems).toEqual([
        expect.objectContaining({ kind: 'parse-error', line: 1, column: 203 }),
      ]);
      expect(result.problems[0]!.message).toContain('nested deeper than 200 levels');
    }
    const nested = (depth: number) => `${'['.repeat(depth)}x ${APP}\n ${']'.repeat(depth)}`;
    expect(update(`a: ${nested(199)}\n`).changes).toHaveLength(1);
    expect(update(`a: ${nested(200)}\n`).problems.map((p) => p.kind)).toEqual(['parse-error']);
  });

  it('refuses deeply nested block maps and lists the same way', () => {
    const maps = (depth: number) =>
      `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} x ${APP}\n`;
    const lists = (depth: number) =>
      `${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}-`).join('\n')} x ${APP}\n`;
    expect(update(maps(200)).changes).toHaveLength(1);
    expect(update(lists(200)).changes).toHaveLength(1);
    expect(update(maps(3000)).problems).toEqual([
      expect.objectContaining({ kind: 'parse-error', line: 201, column: 201 }),
    ]);
    expect(update(lists(3000)).problems).toEqual([
      expect.objectContaining({ kind: 'parse-error', line: 201, column: 401 }),
    ]);
    expect(findMarkers(maps(3000))).toEqual([expect.objectContaining({ line: 3000 })]);
  });

  it('treats a marker-shaped comment on a key as not-a-scalar, never as a key edit', () => {
    const explicit = `? image ${APP}\n: v\nnext: ${APP}\n  w\n`;
    const result = update(explicit);
    expect(result.text).toBe(explicit);
    expect(result.problems.map((p) => [p.kind, p.line, p.column])).toEqual([
      ['not-a-scalar', 1, 9],
      ['not-a-scalar', 3, 7],
    ]);
    for (const problem of result.problems) {
      expect(problem.message).toContain('is on a key whose value is a scalar on a later line');
    }
    // On an implicit key the comment runs to the end of the line: `…}: v` is not JSON, so no marker.
    const inline = `key ${APP}: v\n`;
    expect(update(inline)).toEqual({ text: inline, changes: [], problems: [] });
    expect(findMarkers(inline)).toEqual([]);
  });
});
