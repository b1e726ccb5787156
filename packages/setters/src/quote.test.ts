import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { canStayPlain, renderScalar, type ScalarStyle } from './quote.js';

function readBack(rendered: string, version: '1.1' | '1.2'): unknown {
  return parse(`key: ${rendered}\nflow: [${rendered}]\n`, { version }).key;
}

// The README's quoting table; every row is checked here.
const QUOTED = [
  '',
  '1.2',
  '123',
  '-1',
  '+1',
  '010',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '1:30',
  '1e3',
  '1_0.5',
  '1:30.5',
  'e1',
  '+e5',
  '1_0e5',
  '09_',
  '1e1_0',
  '0X1F',
  '-0o17',
  '0B11',
  '.5',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'False',
  'TRUE',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'null',
  'Null',
  'NULL',
  '~',
  '2024-06-27',
  '2024-06-27T10:00:00Z',
  // 1.1 sexagesimal numbers and timestamps with one-digit parts (eemeli/yaml's 1.1 schema)
  '0:30',
  '00:30',
  '+0:30',
  '0_1:20',
  '1:5',
  '-1:30',
  '1:2:3',
  '190:20:30',
  '1_0:30',
  '190:20:30.15',
  '-1:30.5',
  '1:5.5',
  '.',
  '._',
  '2024-06-27  1:2:3',
  '2024-06-27 1:2:3.25',
  '2024-06-27 1:2:3',
  '2024-06-27T10:0:0',
  '2024-6-7t1:2:3.5 +5',
  '...',
  '... x',
  '<<',
  '=',
  '-x',
  '*x',
  '&x',
  '!x',
  '%x',
  '@x',
  '`x',
  '|x',
  '>x',
  '#x',
  '?x',
  ':x',
  "'x",
  '"x',
  '{x',
  '[x',
  'a: b',
  'a #b',
  'a:',
  'a,b',
  'a[0]',
  ' a',
  'a ',
  'a\tb',
  'a\nb',
  'a\u0007b',
];
const PLAIN = [
  // sexagesimal parts run from 0 to 59
  '1:60',
  '1:300',
  '1:30x',
  '1:30.5x',
  'x1:30.5',
  'hello world',
  '...x',
  '1:2:3:4x',
  'v1.0.0',
  '1.0.0',
  '1.2.3-rc.1',
  'ghcr.io/acme/app',
  'ghcr.io/acme/app:v1.2.3',
  'app:v1@sha256:0123abcd',
  'sha256:0123abcd',
  'localhost:5000/app',
  'a#b',
  'a:b',
  'café',
  '🐳',
  'main-2024-06-27',
  'v20240627',
];

describe('renderScalar', () => {
  it.each(QUOTED)('double-quotes plain %j', (value) => {
    expect(canStayPlain(value)).toBe(false);
    const rendered = renderScalar(value, 'PLAIN');
    expect(rendered.startsWith('"')).toBe(true);
    expect(readBack(rendered, '1.1')).toBe(value);
    expect(readBack(rendered, '1.2')).toBe(value);
  });

  it.each(['...', '... x', '---', '--- x'])(
    'quotes %j, which would end or start a document at a line start',
    (value) => {
      const rendered = renderScalar(value, 'PLAIN');
      expect(parse(`---\n${rendered}\n`)).toBe(value);
    },
  );

  it.each(PLAIN)('keeps plain %j plain', (value) => {
    expect(renderScalar(value, 'PLAIN')).toBe(value);
    expect(readBack(value, '1.1')).toBe(value);
    expect(readBack(value, '1.2')).toBe(value);
  });

  it('keeps quote styles and escapes inside them', () => {
    expect(renderScalar("it's", 'QUOTE_SINGLE')).toBe("'it''s'");
    expect(renderScalar('say "hi" \\o/', 'QUOTE_DOUBLE')).toBe('"say \\"hi\\" \\\\o/"');
    expect(renderScalar('1.2', 'QUOTE_SINGLE')).toBe("'1.2'");
    expect(renderScalar('a\nb', 'QUOTE_SINGLE')).toBe('"a\\nb"');
    expect(renderScalar('\u0085\u2028\u00a0\u0000\u007f', 'QUOTE_DOUBLE')).toBe(
      '"\\N\\L\\_\\0\\x7F"',
    );
  });

  it('reads back every string in every style under YAML 1.1 and 1.2', () => {
    const styles: ScalarStyle[] = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.constantFrom(...'ab01.:-# \t\n\'"\\[],{}yYnN~e+_@&*!|>%`?') }),
        ),
        fc.constantFrom(...styles),
        (value, style) => {
          const rendered = renderScalar(value, style);
          expect(readBack(rendered, '1.2')).toBe(value);
          expect(readBack(rendered, '1.1')).toBe(value);
        },
      ),
      { numRuns: 3000 },
    );
  });

  // Each holds a keyword, number or time somewhere inside, or nearly is one,
  // but is not one: a pattern that lost its `^` or `$` would quote it.
  it.each([
    'main',
    'ubuntu:jammy',
    'nginx',
    'onion',
    'yes-please',
    'untrue',
    'trueish',
    'nullable',
    'a~',
    '~a',
    'v0o17',
    '0o17x',
    'v0x1F',
    '0x1Fg',
    'v1',
    '1a',
    'v0b1',
    '0b1x',
    'x1:30',
    'x.5',
    '.5x',
    'x1e3',
    '1e3x',
    '1e',
    'x.inf',
    '.infx',
    'x.nan',
    '.nanx',
    'x2024-06-27',
    '2024-06-27x',
    '2024-06-27 1:2:3x',
    'x<<',
    '<<x',
    'x=',
    '=x',
    'a...',
    'a-',
    'a?',
    'a!',
    "a'",
    'a"',
    'a%',
    'a@',
    'a`',
    'a|',
    'a>',
    'a&',
    'a*',
  ])('keeps %j plain: it only looks like a keyword, number or time', (value) => {
    expect(renderScalar(value, 'PLAIN')).toBe(value);
    expect(readBack(value, '1.1')).toBe(value);
    expect(readBack(value, '1.2')).toBe(value);
  });

  // [character, its double-quoted escape, the styles that hold it unescaped]
  type Holds = 'plain and single' | 'single' | 'none';
  const ESCAPES: readonly (readonly [string, string, Holds])[] = [
    ['\\', '\\\\', 'plain and single'],
    ['"', '\\"', 'plain and single'],
    ['\u00a0', '\\_', 'plain and single'],
    ['\t', '\\t', 'single'],
    ['\0', '\\0', 'none'],
    ['\u0007', '\\a', 'none'],
    ['\b', '\\b', 'none'],
    ['\n', '\\n', 'none'],
    ['\v', '\\v', 'none'],
    ['\f', '\\f', 'none'],
    ['\r', '\\r', 'none'],
    ['\u001b', '\\e', 'none'],
    ['\u0085', '\\N', 'none'],
    ['\u2028', '\\L', 'none'],
    ['\u2029', '\\P', 'none'],
    ['\u0001', '\\x01', 'none'],
    ['\u001a', '\\x1A', 'none'],
    ['\u001f', '\\x1F', 'none'],
    ['\u007f', '\\x7F', 'none'],
    ['\u0080', '\\x80', 'none'],
    ['\u009b', '\\x9B', 'none'],
    ['\u009f', '\\x9F', 'none'],
    ['\ufeff', '\\uFEFF', 'none'],
    ['\ufffe', '\\uFFFE', 'none'],
    ['\uffff', '\\uFFFF', 'none'],
    ['\ud800', '\\uD800', 'none'],
    ['\udbff', '\\uDBFF', 'none'],
    ['\udc00', '\\uDC00', 'none'],
    ['\udfff', '\\uDFFF', 'none'],
  ];

  it.each(ESCAPES)(
    'writes %j as %s inside double quotes, and in the styles that cannot hold it',
    (char, escaped, holds) => {
      const value = `a${char}b`;
      const double = `"a${escaped}b"`;
      expect(renderScalar(value, 'QUOTE_DOUBLE')).toBe(double);
      expect(renderScalar(value, 'PLAIN')).toBe(holds === 'plain and single' ? value : double);
      expect(renderScalar(value, 'QUOTE_SINGLE')).toBe(holds === 'none' ? double : `'${value}'`);
      for (const style of ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'] as const) {
        expect(readBack(renderScalar(value, style), '1.2')).toBe(value);
        expect(readBack(renderScalar(value, style), '1.1')).toBe(value);
      }
    },
  );

  it('escapes a lone surrogate but keeps a surrogate pair as it is', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['\ud83d\udc33', '"\ud83d\udc33"'],
      ['\ud83d', '"\\uD83D"'],
      ['\udc33', '"\\uDC33"'],
      ['\ud83d!', '"\\uD83D!"'],
      ['!\udc33', '"!\\uDC33"'],
      ['\udc33\ud83d', '"\\uDC33\\uD83D"'],
      ['\ud800\ud83d\udc33', '"\\uD800\ud83d\udc33"'],
      ['\ud83d\udc33\udc33', '"\ud83d\udc33\\uDC33"'],
    ];
    for (const [value, double] of cases) {
      expect(renderScalar(value, 'QUOTE_DOUBLE')).toBe(double);
      expect(readBack(double, '1.2')).toBe(value);
      const plainOk = !/\\u/.test(double);
      expect(renderScalar(value, 'PLAIN')).toBe(plainOk ? value : double);
      expect(renderScalar(value, 'QUOTE_SINGLE')).toBe(plainOk ? `'${value}'` : double);
    }
  });

  it('writes a plain value that needs no quotes exactly as it is, whatever it holds', () => {
    // Printable non-ASCII, a no-break space inside, an inner quote: plain can hold them.
    for (const value of ['café', 'a\u00a0b', "it's", 'say"hi"', 'a\\b', '\u00ff', '\ufffd']) {
      expect(renderScalar(value, 'PLAIN')).toBe(value);
      expect(readBack(value, '1.1')).toBe(value);
      expect(readBack(value, '1.2')).toBe(value);
    }
  });
});
