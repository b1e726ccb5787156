import { describe, expect, test } from 'vitest';
import { parseTemplate } from './engine.js';
import { SPRIG } from './sprig.js';
import { GoFloat } from './values.js';

const render = (t: string, data: unknown = {}): string =>
  parseTemplate(t, { name: 'msg', funcs: SPRIG }).execute(data as never);

// Expected outputs pinned by hand from Masterminds/sprig v3's documented behaviour.
const CASES: [string, string][] = [
  [
    '{{ "Hello World" | lower }} {{ "hi" | upper }} {{ "hello world" | title }}',
    'hello world HI Hello World',
  ],
  [
    '{{ trim "  a b  " }}|{{ trimAll "$" "$5.00$" }}|{{ trimPrefix "v" "v1.2" }}|{{ trimSuffix ".0" "1.0" }}',
    'a b|5.00|1.2|1',
  ],
  [
    '{{ contains "cat" "catch" }} {{ hasPrefix "ca" "cat" }} {{ hasSuffix "at" "cat" }}',
    'true true true',
  ],
  [
    '{{ replace "a" "b" "banana" }} {{ repeat 3 "ab" }} {{ substr 1 3 "hello" }} {{ trunc 3 "hello" }} {{ trunc -2 "hello" }}',
    'bbnbnb ababab el hel lo',
  ],
  [
    '{{ nospace "a b\tc" }} {{ abbrev 5 "hello world" }} {{ quote "a" 1 }} {{ squote "a" }} {{ cat "a" nil 2 }}',
    'abc he... "a" "1" \'a\' a 2',
  ],
  ['{{ indent 2 "a\\nb" }}|{{ nindent 2 "a" }}', '  a\n  b|\n  a'],
  [
    '{{ splitList "," "a,b,c" }} {{ join "-" (list "a" 1 nil) }} {{ sortAlpha (list "b" "a" "C") }}',
    '[a b c] a-1 [C a b]',
  ],
  [
    '{{ first (list 1 2 3) }} {{ last (list 1 2 3) }} {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }} {{ uniq (list 1 1 2) }} {{ has 2 (list 1 2) }}',
    '1 3 [2 3] [1 2] [1 2] true',
  ],
  ['{{ slice (list 1 2 3 4) 1 3 }} {{ slice (list 1 2 3) 1 }}', '[2 3] [2 3]'],
  [
    '{{ default "x" "" }} {{ default "x" "y" }} {{ empty 0 }} {{ empty (list) }} {{ coalesce "" 0 "z" }} {{ ternary "y" "n" true }}',
    'x y true true z y',
  ],
  [
    '{{ toString 1 }} {{ toJson (dict "b" 1 "a" (list "x" "<")) }} {{ toPrettyJson (list 1) }}',
    '1 {"a":["x","\\u003c"],"b":1} [\n  1\n]',
  ],
  [
    '{{ $d := dict "a" 1 "b" 2 }}{{ get $d "a" }} {{ get $d "z" }} {{ keys $d }} {{ values $d }} {{ pick $d "a" }} {{ omit $d "a" }} {{ (set $d "c" 3).c }}',
    '1  [a b] [1 2] map[a:1] map[b:2] 3',
  ],
  [
    '{{ add 1 2 "3" }} {{ sub 5 2 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 }} {{ add1 1 }}',
    '6 3 24 3 1 5 2 2',
  ],
  [
    '{{ int "12" }} {{ int64 2.7 }} {{ float64 "1.5" }} {{ float64 2 }} {{ atoi "42" }} {{ atoi "x" }}',
    '12 2 1.5 2 42 0',
  ],
  [
    '{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "abc" }}',
    'aGk= hi ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  ],
  [
    '{{ regexMatch "^v[0-9]+" "v12" }} {{ regexFind "[0-9]+" "ab123c" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}',
    'true 123 ---',
  ],
];

describe('sprig functions', () => {
  test.each(CASES)('%s', (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test('data numbers and float64 behave as in Go', () => {
    expect(render('{{ add .n 1 }} {{ .f }}', { n: new GoFloat(2), f: new GoFloat(3) })).toBe('3 3');
  });

  test('a string function given an int is Go wrong-type error', () => {
    expect(() => render('{{ upper .n }}', { n: 1 })).toThrow(
      'wrong type for value; expected string; got int',
    );
  });

  test('non-deterministic functions are absent', () => {
    for (const f of ['now', 'date', 'randAlpha', 'uuidv4', 'env', 'expandenv'])
      expect(Object.hasOwn(SPRIG, f)).toBe(false);
  });
});
