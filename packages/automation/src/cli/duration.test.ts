import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { UsageError } from './exit-codes.js';

describe('parseDuration', () => {
  it.each([
    ['300ms', 300],
    ['5m', 300_000],
    ['30s', 30_000],
    ['1.5h', 5_400_000],
    ['1h30m', 5_400_000],
    ['2h45m30.5s', 9_930_500],
    ['.5s', 500],
    ['1500us', 1.5],
    ['1m0s', 60_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['5', '-1m', '+1m', '0s', '0h0m', '1x', '', 'm', '1 m', '5m ', '1.5', '1hh'])(
    'refuses %j with a UsageError naming the value',
    (text) => {
      expect(() => parseDuration(text)).toThrow(UsageError);
      expect(() => parseDuration(text)).toThrow(`--interval ${JSON.stringify(text)}`);
    },
  );
});
