import { describe, expect, test } from 'vitest';
import { formatFloatShortest, goQuote, sprint, sprintf, sprintln } from './format.js';
import { GoFloat, goStruct } from './values.js';

describe('Go fmt', () => {
  test('Print puts a space between operands when neither is a string', () => {
    expect(sprint([1, 2, 'x', 3, 'y', 'z'])).toBe('1 2x3yz');
    expect(sprintln(['a', 1])).toBe('a 1\n');
  });
  test('float64 shortest form', () => {
    expect([1, 1.5, 1e6, 1e21, 1e-5, 0.0001, 123456].map(formatFloatShortest)).toEqual([
      '1',
      '1.5',
      '1e+06',
      '1e+21',
      '1e-05',
      '0.0001',
      '123456',
    ]);
  });
  test('%v of structs, maps (sorted), slices and nil', () => {
    const s = goStruct('x.T', { A: 'a', B: [1, null] });
    expect(sprintf('%v %+v %v %v', [s, s, { b: 1, a: new GoFloat(2) }, null])).toBe(
      '{a [1 <nil>]} {A:a B:[1 <nil>]} map[a:2 b:1] <nil>',
    );
  });
  test('Stringers print through String', () => {
    const n = goStruct(
      'types.NamespacedName',
      { Namespace: 'ns', Name: 'n' },
      { String: () => 'ns/n' },
    );
    expect(sprintf('%v %s %d', [n, n, n])).toBe('ns/n ns/n {%!d(string=ns) %!d(string=n)}');
  });
  test('bad verbs, missing and extra operands', () => {
    expect(sprintf('%d %z %d', ['x', 1])).toBe('%!d(string=x) %!z(int=1) %!d(MISSING)');
    expect(sprintf('%d', [1, 'a'])).toBe('1%!(EXTRA string=a)');
  });
  test('%q quotes like strconv.Quote', () => {
    expect(goQuote('a"b\n\u0001é')).toBe('"a\\"b\\n\\x01é"');
  });
});

// Expected strings from Go's own fmt tests (src/fmt/fmt_test.go) and strconv, for values the
// oracle cannot carry in JSON: infinities, NaN, -0, subnormals, structs, Stringers, funcs.
describe('Go fmt beyond JSON data', () => {
  const inf = new GoFloat(Number.POSITIVE_INFINITY);
  const negInf = new GoFloat(Number.NEGATIVE_INFINITY);
  const nan = new GoFloat(Number.NaN);
  test.each([
    ['%f', inf, '+Inf'],
    ['%v', inf, '+Inf'],
    ['%.1f', negInf, '-Inf'],
    ['% f', nan, ' NaN'],
    ['%f', nan, 'NaN'],
    ['%20f', inf, '                +Inf'],
    ['% 20F', inf, '                 Inf'],
    ['% 20e', negInf, '                -Inf'],
    ['% 20x', negInf, '                -Inf'],
    ['%+20E', negInf, '                -Inf'],
    ['% +20g', negInf, '                -Inf'],
    ['%+-20G', inf, '+Inf                '],
    ['%20e', nan, '                 NaN'],
    ['% +20E', nan, '                +NaN'],
    ['% -20g', nan, ' NaN                '],
    ['%+-20G', nan, '+NaN                '],
    ['%+020e', inf, '                +Inf'],
    ['%-020f', negInf, '-Inf                '],
    ['%020f', nan, '                 NaN'],
    ['%e', inf, '+Inf'],
    ['%x', nan, 'NaN'],
    ['%.3g', negInf, '-Inf'],
  ])('%s of a non-finite float', (format, value, expected) => {
    expect(sprintf(format, [value])).toBe(expected);
  });

  test('shortest form of the special values, the %e switch and three-digit exponents', () => {
    expect(
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e100, 1e-100].map(
        formatFloatShortest,
      ),
    ).toEqual(['NaN', '+Inf', '-Inf', '-0', '0', '1e+100', '1e-100']);
    expect([123456789, 999999, 1e-4, 0.00012, -1.5e-7, -2.5, 100].map(formatFloatShortest)).toEqual(
      ['1.23456789e+08', '999999', '0.0001', '0.00012', '-1.5e-07', '-2.5', '100'],
    );
  });

  test('%x of floats: -0, subnormals and the upper-case form', () => {
    const f = (x: number) => new GoFloat(x);
    expect(sprintf('%x|%x|%X|%x|%x|%X', [f(1), f(-0), f(1), f(5e-324), f(3), f(-0.5)])).toBe(
      '0x1p+00|-0x0p+00|0X1P+00|0x1p-1074|0x1.8p+01|-0X1P-01',
    );
  });

  test('structs: %v, %+v, %d per field, nested, with a nil field', () => {
    const inner = goStruct('x.In', { N: 1, S: 'a' });
    const outer = goStruct('x.Out', { In: inner, L: [inner], Z: null });
    expect(sprintf('%v', [outer])).toBe('{{1 a} [{1 a}] <nil>}');
    expect(sprintf('%+v', [outer])).toBe('{In:{N:1 S:a} L:[{N:1 S:a}] Z:<nil>}');
    expect(sprintf('%d', [inner])).toBe('{1 %!d(string=a)}');
    expect(sprintf('%T|%10T|%-6T|', [inner, 1, 'x'])).toBe('x.In|       int|string|');
  });

  test('a func prints as an address with %v, as Go prints a func value', () => {
    expect(sprintf('%v', [() => 1])).toMatch(/^0x[0-9a-f]+$/);
  });

  test('a Stringer formats its String() with the string verbs and its fields otherwise', () => {
    const n = goStruct('t.N', { A: 'x', B: 2 }, { String: () => 'héllo' });
    expect(sprintf('%q|%x|%X|%.2s|%7v|%-7s|', [n, n, n, n, n, n])).toBe(
      '"héllo"|68c3a96c6c6f|68C3A96C6C6F|hé|  héllo|héllo  |',
    );
    expect(sprintf('%t', [n])).toBe('{%!t(string=x) %!t(int=2)}');
  });

  test('maps with sorted keys, %v of nested containers, %!(EXTRA) of several kinds', () => {
    expect(sprintf('%v', [{ b: [1, { c: null }], a: goStruct('s.T', { X: true }) }])).toBe(
      'map[a:{true} b:[1 map[c:<nil>]]]',
    );
    expect(sprintf('%d', [1, null, 'x', new GoFloat(2), [1]])).toBe(
      '1%!(EXTRA <nil>, string=x, float64=2, []interface {}=[1])',
    );
    expect(sprint([null, 1, null])).toBe('<nil> 1 <nil>');
    expect(sprintln([])).toBe('\n');
  });

  test('%q of strings quotes as strconv.Quote, %+q as QuoteToASCII, %#q as a raw string', () => {
    expect(goQuote('\u0007\b\f\v\u007f\u00ad\u{1f600}\u{e0001}é')).toBe(
      '"\\a\\b\\f\\v\\x7f\\u00ad😀\\U000e0001é"',
    );
    expect(sprintf('%+q|%#q|%#q|%#+q', ['é😀', 'raw', 'a`b', 'x'])).toBe(
      '"\\u00e9\\U0001f600"|`raw`|"a`b"|`x`',
    );
  });
});
