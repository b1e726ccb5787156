import { describe, expect, it } from 'vitest';
import { isMap, isScalar, type Node } from 'yaml';
import { parseDocuments } from './locate.js';
import { LineIndex } from './positions.js';
import { verifyPatch } from './verify.js';

/** Parses `before`, splices `replacement` over the value of `key`, and verifies that it reads back as `want`. */
function verifyValue(before: string, key: string, replacement: string, want: string) {
  const parsed = parseDocuments(before, new LineIndex(before));
  if (!parsed.ok) throw new Error(parsed.message);
  const root = parsed.documents[0]!.contents;
  if (!isMap(root)) throw new Error('not a map');
  const node = root.get(key, true) as Node;
  if (!isScalar(node)) throw new Error('not a scalar');
  const [start, end] = node.range!;
  const patched = before.slice(0, start) + replacement + before.slice(end);
  return verifyPatch(parsed.documents, patched, new Map([[node, want]]));
}

describe('verifyPatch', () => {
  it('proves a value that reads back under YAML 1.2 and 1.1', () => {
    expect(verifyValue('a: x\nb: 1\n', 'a', '"0:30"', '0:30')).toBeUndefined();
    expect(verifyValue('a: x\nb: 1\n', 'a', 'v1.2.3', 'v1.2.3')).toBeUndefined();
  });

  it('refuses a plain value that only a YAML 1.1 reader takes for a number, time or boolean', () => {
    // Each reads back as the string under 1.2 (no %YAML directive), so only the 1.1 re-read can tell.
    for (const value of ['0:30', '2024-06-27 1:2:3', 'yes']) {
      expect(verifyValue('a: x\n', 'a', value, value)).toContain('YAML 1.1');
    }
  });

  it('refuses a value that does not read back under YAML 1.2', () => {
    expect(verifyValue('a: x\n', 'a', '1.5', '1.5')).toContain('does not read back');
  });

  it('refuses a patch that makes an alias key repeat another key', () => {
    const before = 'a: &x v1\n*x : 3\nv2: 4\n';
    expect(verifyValue(before, 'a', 'v2', 'v2')).toContain('repeats another key');
    expect(verifyValue(before, 'a', 'v3', 'v3')).toBeUndefined();
  });
});

/**
 * Verifies `after` as a patch of `before`, with each `[path, value, document]`
 * naming a marked node (by its path in that document, default the first) and
 * the string it must now hold. Returns the verifier's reason, or `undefined`.
 */
function prove(
  before: string,
  after: string,
  marks: readonly (readonly [
    path: readonly (string | number)[],
    value: string,
    document?: number,
  ])[] = [],
) {
  const parsed = parseDocuments(before, new LineIndex(before));
  if (!parsed.ok) throw new Error(parsed.message);
  const expected = new Map<Node, string>();
  for (const [path, value, document = 0] of marks) {
    const node = parsed.documents[document]!.getIn(path, true);
    if (!isScalar(node)) throw new Error(`no scalar at ${path.join('.')}`);
    expected.set(node, value);
  }
  return verifyPatch(parsed.documents, after, expected);
}

describe('verifyPatch refuses a tampered patch', () => {
  const BEFORE = [
    'kind: Deployment',
    'spec:',
    '  replicas: 2',
    '  containers:',
    '    - name: app',
    '      image: ghcr.io/acme/app:v1.0.0',
    '    - name: sidecar',
    '      image: ghcr.io/acme/proxy:v2',
    '      args: [--port, "8080"]',
    '',
  ].join('\n');
  const IMAGE: readonly (string | number)[] = ['spec', 'containers', 0, 'image'];
  const patch = (from: string, to: string) => {
    expect(BEFORE).toContain(from);
    return BEFORE.replace(from, to);
  };

  it('accepts the marked value changed and nothing else', () => {
    const after = patch('app:v1.0.0', 'app:v1.1.0');
    expect(prove(BEFORE, after, [[IMAGE, 'ghcr.io/acme/app:v1.1.0']])).toBeUndefined();
    expect(prove(BEFORE, BEFORE)).toBeUndefined();
  });

  it('refuses a text that no longer parses, saying where', () => {
    expect(prove(BEFORE, patch('[--port, "8080"]', '[--port, "8080"'))).toMatch(
      /^the patched text does not parse \(line \d+, column \d+: .+\)$/,
    );
    expect(prove('a: x\n', 'a: [\n')).toMatch(
      /^the patched text does not parse \(line 2, column 1: /,
    );
  });

  it('refuses a document added or removed', () => {
    const documents = 'a: 1\n---\nb: 2\n';
    expect(prove(BEFORE, `${BEFORE}---\nextra: 1\n`)).toBe(
      'the patched text has a different number of documents',
    );
    expect(prove(documents, 'a: 1\n')).toBe('the patched text has a different number of documents');
  });

  it('refuses a change to an unmarked scalar anywhere, in the last document too', () => {
    // Deep in the tree, in the last item of a list, in a flow list and at the root.
    expect(prove(BEFORE, patch('proxy:v2', 'proxy:v3'), [[IMAGE, 'ghcr.io/acme/app:v1.0.0']])).toBe(
      'an unmarked value changed',
    );
    expect(prove(BEFORE, patch('"8080"', '"8081"'))).toBe('an unmarked value changed');
    expect(prove(BEFORE, patch('replicas: 2', 'replicas: 3'))).toBe('an unmarked value changed');
    expect(prove(BEFORE, patch('Deployment', 'StatefulSet'))).toBe('an unmarked value changed');
    expect(prove('a: 1\n---\nb: 2\n', 'a: 1\n---\nb: 3\n')).toBe('an unmarked value changed');
    expect(prove('a\n', 'b\n')).toBe('an unmarked value changed');
  });

  it('refuses a renamed key and a reordered map', () => {
    expect(prove(BEFORE, patch('replicas:', 'replica:'))).toBe('an unmarked value changed');
    expect(prove('a: 1\nb: 1\n', 'b: 1\na: 1\n')).toBe('an unmarked value changed');
  });

  it('refuses a change of type, however the value is written', () => {
    // The number 2 becomes the string "2": same text, different value.
    expect(prove(BEFORE, patch('replicas: 2', 'replicas: "2"'))).toBe('an unmarked scalar changed');
    expect(prove('a: x\n', "a: 'x'\n")).toBe('an unmarked scalar changed');
    expect(prove('a: 2\n', 'a: !!str 2\n')).toBe('an unmarked scalar changed');
    expect(prove('a: 2\n', 'a: &n 2\n')).toBe('an unmarked scalar changed');
    // Written differently, read the same: not a change.
    expect(prove('a: 0x10\n', 'a: 16\n')).toBeUndefined();
    expect(prove('a: 2\n', 'a: 2.0\n')).toBeUndefined();
  });

  it('refuses a node dropped, added, or turned into another kind', () => {
    const second =
      '    - name: sidecar\n      image: ghcr.io/acme/proxy:v2\n      args: [--port, "8080"]\n';
    expect(prove(BEFORE, patch(second, ''))).toBe('a collection changed shape');
    expect(prove(BEFORE, patch('[--port, "8080"]', '[--port, "8080", -v]'))).toBe(
      'a collection changed shape',
    );
    expect(prove(BEFORE, `${BEFORE}extra: 1\n`)).toBe('a collection changed shape');
    expect(prove(BEFORE, patch('replicas: 2', 'replicas: [2]'))).toBe('a node changed kind');
    expect(prove('a: [x]\n', 'a: {x: 1}\n')).toBe('a node changed kind');
    expect(prove('a: {x: 1}\n', 'a: [x]\n')).toBe('a node changed kind');
  });

  it('refuses a value that appears in or disappears from an empty slot', () => {
    expect(prove('{a, b: 1}\n', '{a: x, b: 1}\n')).toBe('a value appeared or disappeared');
    expect(prove('{a: x, b: 1}\n', '{a, b: 1}\n')).toBe('a value appeared or disappeared');
    expect(prove('{a, b: 1}\n', '{a, b: 1}\n')).toBeUndefined();
  });

  it("refuses a change of a collection's tag, anchor or flow style", () => {
    expect(prove('a: [x]\n', 'a: !!seq [x]\n')).toBe('a collection changed shape');
    expect(prove('a: {x: 1}\n', 'a: &m {x: 1}\n')).toBe('a collection changed shape');
    expect(prove('a: [x]\n', 'a:\n  - x\n')).toBe('a collection changed style');
    expect(prove('a:\n  x: 1\n', 'a: {x: 1}\n')).toBe('a collection changed style');
  });

  it('refuses an alias pointed at another anchor', () => {
    const before = 'a: &x 1\nb: &y 1\nc: *x\n';
    expect(prove(before, 'a: &x 1\nb: &y 1\nc: *y\n')).toBe('an alias changed');
    expect(prove(before, before)).toBeUndefined();
    expect(prove(before, 'a: &x 1\nb: &y 1\nc: 1\n')).toBe('a node changed kind');
  });

  it('compares timestamps and binary values by what they hold', () => {
    // Under %YAML 1.1 these are Dates and bytes: equal values are distinct objects.
    const dated = '%YAML 1.1\n---\nd: 2024-01-01\nb: !!binary aGVsbG8=\n';
    expect(prove(dated, dated)).toBeUndefined();
    expect(prove(dated, dated.replace('2024-01-01', '2024-01-01 00:00:00Z'))).toBeUndefined();
    expect(prove(dated, dated.replace('2024-01-01', '2024-01-02'))).toBe(
      'an unmarked value changed',
    );
    expect(prove(dated, dated.replace('aGVsbG8=', 'aGVscG8='))).toBe('an unmarked value changed');
    expect(prove(dated, dated.replace('aGVsbG8=', 'aGVsbA=='))).toBe('an unmarked value changed');
  });

  it('refuses a marked value that reads back as something else', () => {
    const after = patch('app:v1.0.0', 'app:v1.1.0');
    expect(prove(BEFORE, after, [[IMAGE, 'ghcr.io/acme/app:v1.2.0']])).toBe(
      'a marked value does not read back as "ghcr.io/acme/app:v1.2.0"',
    );
    // Not a scalar any more, or a scalar of another type.
    expect(prove('a: x\n', 'a: [x]\n', [[['a'], 'x']])).toBe(
      'a marked value does not read back as "x"',
    );
    expect(prove('a: x\n', 'a: 12\n', [[['a'], '12']])).toBe(
      'a marked value does not read back as "12"',
    );
    expect(prove('a: x\n', 'a: "12"\n', [[['a'], '12']])).toBeUndefined();
  });

  it('leaves a marked value free to change style, but proves everything around it', () => {
    expect(prove('a: x\nb: 1\n', 'a: "y"\nb: 1\n', [[['a'], 'y']])).toBeUndefined();
    expect(prove('a: x\nb: 1\n', 'a: "y"\nb: 2\n', [[['a'], 'y']])).toBe(
      'an unmarked value changed',
    );
  });

  it('reads a plain marked value back under YAML 1.1 only when it is untagged', () => {
    // `!!str` and quotes make the value a string under both schemas; written plain, 0:30 is 30 minutes in 1.1.
    expect(prove('a: x\n', 'a: !!str 0:30\n', [[['a'], '0:30']])).toBeUndefined();
    expect(prove('a: x\n', "a: '0:30'\n", [[['a'], '0:30']])).toBeUndefined();
    expect(prove('a: x\n', 'a: 0:30\n', [[['a'], '0:30']])).toBe(
      'a marked value does not read back as "0:30" under YAML 1.1 (it reads as 30)',
    );
  });

  it('proves the marks of every document, each against its own anchors', () => {
    const before = 'a: 1\n---\na: &x v1\n*x : 3\nv2: 4\n';
    expect(prove(before, before.replace('v1', 'v2'), [[['a'], 'v2', 1]])).toBe(
      'a marked anchor used as a key now repeats another key of its map (or no longer does)',
    );
    expect(prove(before, before.replace('v1', 'v3'), [[['a'], 'v3', 1]])).toBeUndefined();
    // A collision that was there before and stays is not a change; one that goes away is.
    const colliding = 'a: &x v2\n*x : 3\nv2: 4\n';
    expect(prove(colliding, colliding.replace('v2', 'v2'), [[['a'], 'v2']])).toBeUndefined();
    expect(prove(colliding, colliding.replace('v2', 'v3'), [[['a'], 'v3']])).toBe(
      'a marked anchor used as a key now repeats another key of its map (or no longer does)',
    );
  });

  it('compares timestamp keys by their time when an anchored timestamp key stops repeating one', () => {
    // Under %YAML 1.1 `*x` and `2024-01-01` are two Date keys of one time: the same key, before.
    const before = '%YAML 1.1\n---\na: &x 2024-01-01\n*x : 1\n2024-01-01: 2\n';
    expect(prove(before, before.replace('2024-01-01', 'v2'), [[['a'], 'v2']])).toBe(
      'a marked anchor used as a key now repeats another key of its map (or no longer does)',
    );
    expect(prove(before, before)).toBeUndefined();
  });

  it('refuses a new YAML warning, but not one the original already raised', () => {
    expect(prove('a: !!int 1\n', 'a: !!int x\n', [[['a'], 'x']])).toMatch(
      /^the patched text raises a YAML warning: Unresolved tag: tag:yaml\.org,2002:int$/,
    );
    const warned = 'w: !!int x\na: 1\n';
    expect(prove(warned, warned)).toBeUndefined();
    expect(prove(`a: 1\n---\n${warned}`, `a: 1\n---\n${warned}`)).toBeUndefined();
    expect(prove('a: 1\n---\nb: !!int 1\n', 'a: 1\n---\nb: !!int y\n', [[['b'], 'y', 1]])).toMatch(
      /^the patched text raises a YAML warning: /,
    );
  });
});
