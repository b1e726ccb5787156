import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { plainUnsafeReason, renderScalar, type ScalarStyle } from './quote.js';

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
    expect(plainUnsafeReason(value)).toBeDefined();
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
});
