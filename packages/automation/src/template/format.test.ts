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
