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
