import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

function clockAt(start: number) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

describe('TokenCache', () => {
  it('keeps tokens per registry and scope', () => {
    const cache = new TokenCache(() => 0);
    cache.set('a.io', 'repository:x:pull', 'tx', 300);
    cache.set('a.io', 'repository:y:pull', 'ty', 300);
    expect(cache.get('a.io', 'repository:x:pull')).toBe('tx');
    expect(cache.get('a.io', 'repository:y:pull')).toBe('ty');
    expect(cache.get('b.io', 'repository:x:pull')).toBeUndefined();
  });

  it('drops a token a tenth of its lifetime early, at most 30 s early', () => {
    const clock = clockAt(1_000_000);
    const cache = new TokenCache(clock.read);
    cache.set('r', 's', 'short', 100); // expires at +100 s, renewed from +90 s
    cache.set('r', 'long', 'long', 3600); // renewed from +3570 s
    clock.now += 89_999;
    expect(cache.get('r', 's')).toBe('short');
    clock.now += 1;
    expect(cache.get('r', 's')).toBeUndefined();
    clock.now = 1_000_000 + 3_569_999;
    expect(cache.get('r', 'long')).toBe('long');
    clock.now += 1;
    expect(cache.get('r', 'long')).toBeUndefined();
  });

  it('assumes 60 s when the server gives no usable lifetime', () => {
    const clock = clockAt(0);
    const cache = new TokenCache(clock.read);
    cache.set('r', 'a', 't', undefined);
    cache.set('r', 'b', 't', -5);
    clock.now = 53_999;
    expect(cache.get('r', 'a')).toBe('t');
    expect(cache.get('r', 'b')).toBe('t');
    clock.now = 54_000;
    expect(cache.get('r', 'a')).toBeUndefined();
  });

  it('forgets a deleted token', () => {
    const cache = new TokenCache(() => 0);
    cache.set('r', 's', 't', 300);
    cache.delete('r', 's');
    expect(cache.get('r', 's')).toBeUndefined();
  });
});
