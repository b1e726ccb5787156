import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { compilePolicy, PolicyError, selectTag } from '../src/index.js';

const alphabetical = (order?: string) => ({
  policy: { alphabetical: order === undefined ? {} : { order: order as 'asc' } },
});
const numerical = (order?: string) => ({
  policy: { numerical: order === undefined ? {} : { order: order as 'asc' } },
});

describe('alphabetical', () => {
  it('orders by UTF-8 bytes (code points), not UTF-16 code units', () => {
    // U+FFFD sorts below U+1F600 in UTF-8; as UTF-16 the surrogate 0xD83D sorts first.
    expect(selectTag(['\u{FFFD}', '\u{1F600}'], alphabetical())).toBe('\u{1F600}');
    expect(selectTag(['\u{FFFD}', '\u{1F600}'], alphabetical('desc'))).toBe('\u{FFFD}');
    expect(selectTag(['a\u{E000}', 'a\u{10000}'], alphabetical())).toBe('a\u{10000}');
  });
  it('is case-sensitive in the values: uppercase sorts before lowercase', () => {
    expect(selectTag(['Zeta', 'alpha'], alphabetical())).toBe('alpha');
  });
  it('a prefix sorts before its extensions', () => {
    expect(selectTag(['1.0', '1.0.1'], alphabetical())).toBe('1.0.1');
    expect(selectTag(['1.0', '1.0.1'], alphabetical('desc'))).toBe('1.0');
  });
  it.each(['asc', 'ASC', 'Asc', 'desc', 'DESC', 'dEsC'])(
    'accepts order %s in any case',
    (order) => {
      expect(() => compilePolicy(alphabetical(order))).not.toThrow();
    },
  );
  it.each(['ascending', '', 'up'])('rejects order %j with INVALID_ORDER', (order) => {
    expect(() => compilePolicy(alphabetical(order))).toThrow(
      expect.objectContaining({
        code: 'INVALID_ORDER',
        message: expect.stringContaining(`"${order}"`),
      }),
    );
  });
  it('rejects a non-string order with INVALID_ORDER', () => {
    expect(() => compilePolicy(alphabetical(3 as unknown as string))).toThrow(
      expect.objectContaining({ code: 'INVALID_ORDER' }),
    );
  });
  it('breaks ties on equal extracted values by the greatest original tag', () => {
    const spec = {
      policy: { alphabetical: {} },
      filterTags: { pattern: '^(?:main|dev)-(?P<ts>\\d+)$', extract: '$ts' },
    };
    expect(selectTag(['dev-200', 'main-200', 'main-100'], spec)).toBe('main-200');
    expect(selectTag(['main-200', 'dev-200', 'main-100'], spec)).toBe('main-200');
  });
  it('an empty extracted value is the smallest value', () => {
    const spec = {
      policy: { alphabetical: { order: 'desc' as const } },
      filterTags: { pattern: '^x(\\d*)', extract: '$1' },
    };
    expect(selectTag(['x5', 'x'], spec)).toBe('x');
  });
});

describe('numerical', () => {
  it('picks the largest number (asc) or the smallest (desc)', () => {
    expect(selectTag(['10', '9', '-1', '2e0'], numerical())).toBe('10');
    expect(selectTag(['10', '9', '-1', '2e0'], numerical('desc'))).toBe('-1');
  });
  it('ties go to the greatest tag: 10 and 1e1 are equal', () => {
    expect(selectTag(['10', '1e1'], numerical())).toBe('1e1');
    expect(selectTag(['1e1', '10'], numerical())).toBe('1e1');
  });
  it('treats -0 and 0 as equal', () => {
    expect(selectTag(['0', '-0'], numerical('desc'))).toBe('0');
  });
  it('ranks NaN below every number in both orders', () => {
    expect(selectTag(['NaN', '1', '-5'], numerical())).toBe('1');
    expect(selectTag(['NaN', '1', '-5'], numerical('desc'))).toBe('-5');
    expect(selectTag(['nan', 'NaN'], numerical())).toBe('nan');
  });
  it('orders infinities', () => {
    expect(selectTag(['Inf', '1e308', '-infinity'], numerical())).toBe('Inf');
    expect(selectTag(['Inf', '1e308', '-infinity'], numerical('desc'))).toBe('-infinity');
  });
  it('fails the whole selection on one non-numeric candidate, naming it', () => {
    const error = expectCode(
      () => selectTag(['1', '2', 'latest'], numerical()),
      PolicyError,
      'INVALID_NUMBER',
    );
    expect(error).toMatchObject({ code: 'INVALID_NUMBER', tag: 'latest' });
    expect(error.message).toContain('"latest"');
    expect(error.message).toContain('filterTags.pattern');
  });
  it('fails on a value that overflows float64, like Go (ErrRange)', () => {
    expect(() => selectTag(['1', '1e400'], numerical())).toThrow(
      expect.objectContaining({
        code: 'INVALID_NUMBER',
        message: expect.stringContaining('overflows'),
      }),
    );
  });
  it('a filter pattern keeps non-numeric tags out', () => {
    const spec = { policy: { numerical: {} }, filterTags: { pattern: '^[0-9]+$' } };
    expect(selectTag(['1', '22', 'latest'], spec)).toBe('22');
  });
  it('reports the extracted value too', () => {
    const spec = { policy: { numerical: {} }, filterTags: { pattern: '^b-(.*)$', extract: '$1' } };
    expect(() => selectTag(['b-1', 'b-x'], spec)).toThrow(
      expect.objectContaining({
        code: 'INVALID_NUMBER',
        message: expect.stringContaining('"b-x" (extracted "x")'),
      }),
    );
  });
});
