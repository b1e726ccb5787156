import { describe, expect, it } from 'vitest';
import { GoFloat, parseGoFloat } from './go-float.js';

describe("Go's strconv.ParseFloat syntax", () => {
  const parse = (s: string) => {
    const out = parseGoFloat(s, new GoFloat());
    return out.status === 'ok' ? out.value : out.status;
  };
  it.each([
    ['0', 0],
    ['+1', 1],
    ['-1.5', -1.5],
    ['1.', 1],
    ['.5', 0.5],
    ['007', 7],
    ['1e3', 1000],
    ['1E+3', 1000],
    ['1e-3', 0.001],
    ['1_000', 1000],
    ['1_23.50_0_0e+1_2', 1.235e14],
    ['0x1p-2', 0.25],
    ['0X1P2', 4],
    ['0x1.8p1', 3],
    ['0x_1p2', 4],
    ['0x_1_2.3_4_5p+1_2', 74565],
    ['-0x1p0', -1],
    ['0x1.fffffffffffffp1023', Number.MAX_VALUE],
    ['0x1p-1074', 5e-324],
    ['0x1p-1075', 0],
    ['0x1.8p-1074', 1e-323],
    ['0x1.00000000000008p0', 1],
    ['0x1.00000000000018p0', 1.0000000000000004],
    ['1e-400', 0],
    ['inf', Number.POSITIVE_INFINITY],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['INFINITY', Number.POSITIVE_INFINITY],
    ['1.7976931348623157e308', Number.MAX_VALUE],
  ])('accepts %j', (s, value) => {
    expect(parse(s)).toBe(value);
  });
  it.each(['nan', 'NaN', 'NAN'])('accepts %j as NaN', (s) => {
    expect(parse(s)).toBeNaN();
  });
  it.each([
    '',
    ' 1',
    '1 ',
    '0x10',
    '0x',
    '0b1',
    '0o7',
    '1n',
    '.',
    '+',
    'e5',
    '1e',
    '1e+',
    '1.2.3',
    '_1',
    '1_',
    '1__0',
    '1_.5',
    '1._5',
    '1e_5',
    '1e5_',
    '-_1',
    '0x1p',
    '0x1.5',
    '0xp1',
    '+nan',
    '-nan',
    'infin',
    'infinityx',
    'Infinit',
    '1,000',
    '１',
  ])('rejects %j', (s) => {
    expect(parse(s)).toBe('syntax');
  });
  it.each(['1e400', '-1e400', '1.7976931348623159e308', '0x1p1024', '1e99999999'])(
    'reports %j as out of range',
    (s) => {
      expect(parse(s)).toBe('range');
    },
  );
});
