import { describe, expect, test } from 'vitest';
import { lex } from './lexer.js';
import { parse, TemplateSyntaxError } from './parse.js';

const opts = { name: 'msg', hasFunction: (n: string) => ['print', 'len'].includes(n) };

describe('lexer', () => {
  test('trim markers eat the spaces beside them', () => {
    const toks = lex('a  {{- .x -}}  b').filter((t) => t.type === 'text');
    expect(toks.map((t) => t.val)).toEqual(['a', 'b']);
  });
  test('a comment must close right before the delimiter', () => {
    expect(lex('{{/* c */ }}').at(-1)?.val).toBe('comment ends before closing delimiter');
  });
});

// What Go's lexer accepts and our parser then refuses (hex floats, imaginary numbers), and the
// token stream itself, which the oracle only sees through the parser.
describe('lexer tokens', () => {
  const kinds = (text: string) =>
    lex(text)
      .filter((t) => t.type !== 'space')
      .map((t) => `${t.type}:${t.val}`);
  test.each([
    ['{{0x1p-2}}', 'number:0x1p-2'],
    ['{{0X1.8P+3}}', 'number:0X1.8P+3'],
    ['{{-0x1p4}}', 'number:-0x1p4'],
    ['{{1e+5}}', 'number:1e+5'],
    ['{{1E-5}}', 'number:1E-5'],
    ['{{2i}}', 'number:2i'],
    ['{{1.5e3i}}', 'number:1.5e3i'],
    ['{{0b1_0}}', 'number:0b1_0'],
    ['{{0o7_7}}', 'number:0o7_7'],
  ])('%s is one number token', (text, token) => {
    expect(kinds(text)).toEqual(['leftDelim:{{', token, 'rightDelim:}}', 'eof:']);
  });
  test.each([
    ['{{0x1e+3}}', 'number:0x1e', 'number:+3'],
    ['{{0b1p2}}', 'error:bad number syntax: "0b1p"'],
    ['{{1p2}}', 'error:bad number syntax: "1p"'],
    ['{{0x1g}}', 'error:bad number syntax: "0x1g"'],
    ['{{1ix}}', 'error:bad number syntax: "1ix"'],
  ])('%s: an exponent only where its base allows one', (text, ...tokens) => {
    expect(kinds(text).slice(1, 1 + tokens.length)).toEqual(tokens);
  });
  test('keywords, bools, fields, variables, the lone dot and the lone dollar', () => {
    expect(
      kinds(
        '{{if true false . $ $x .a.b nil else end range with define block template break continue}}',
      ),
    ).toEqual([
      'leftDelim:{{',
      'if:if',
      'bool:true',
      'bool:false',
      'dot:.',
      'variable:$',
      'variable:$x',
      'field:.a',
      'field:.b',
      'nil:nil',
      'else:else',
      'end:end',
      'range:range',
      'with:with',
      'define:define',
      'block:block',
      'template:template',
      'break:break',
      'continue:continue',
      'rightDelim:}}',
      'eof:',
    ]);
  });
  test('lines: each token knows the line it starts on, after text, comments and raw strings', () => {
    const tokens = lex('a\n{{/* x\ny */}}\n{{`r\ns` .x\n}}b\n{{.y}}');
    expect(tokens.map((t) => `${t.type}@${t.line}`)).toEqual([
      'text@1',
      'text@3',
      'leftDelim@4',
      'rawString@4',
      'space@5',
      'field@5',
      'space@5',
      'rightDelim@6',
      'text@6',
      'leftDelim@7',
      'field@7',
      'rightDelim@7',
      'eof@7',
    ]);
  });
});

describe('parser', () => {
  test.each([
    ['{{if .x}}', 'template: msg:1: unexpected EOF'],
    ['{{end}}', 'template: msg:1: unexpected {{end}}'],
    ['{{now}}', 'template: msg:1: function "now" not defined'],
    ['{{$x}}', 'template: msg:1: undefined variable "$x"'],
    ['{{break}}', 'template: msg:1: {{break}} outside {{range}}'],
    ['{{.x | 1}}', 'template: msg:1: non executable command in pipeline stage 2'],
    ['a\n\n{{ (print }}', 'template: msg:3: unclosed left paren'],
  ])('%s', (text, message) => {
    expect(() => parse(text, opts)).toThrow(TemplateSyntaxError);
    expect(() => parse(text, opts)).toThrow(message);
  });
  test('else if nests an if in the else list', () => {
    const t = parse('{{if .a}}1{{else if .b}}2{{end}}', opts);
    const n = t.root.nodes[0];
    expect(n?.type === 'if' && n.elseList?.nodes[0]?.type).toBe('if');
  });
});
