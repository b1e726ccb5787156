// Scrubbing secrets and URL user info out of what is shown.
import { SECRET_CANARY } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { basicAuthForms, redactUrl, Scrubber } from './redact.js';

describe('redactUrl', () => {
  it.each([
    ['https://x-access-token:tok@github.com/o/r.git', 'https://github.com/o/r.git'],
    ['https://tok@github.com/o/r.git', 'https://github.com/o/r.git'],
    ['ssh://git@github.com:22/o/r.git', 'ssh://github.com:22/o/r.git'],
    ['git@github.com:o/r.git', 'github.com:o/r.git'],
    [
      "fatal: unable to access 'https://u:p@h/r.git/': 401",
      "fatal: unable to access 'https://h/r.git/': 401",
    ],
    ['file:///tmp/r.git', 'file:///tmp/r.git'],
    ['/tmp/r.git', '/tmp/r.git'],
  ])('%s → %s', (input, shown) => {
    expect(redactUrl(input)).toBe(shown);
  });
});

describe('Scrubber', () => {
  it('replaces every secret, the longest first, and the lines of a multi-line one', () => {
    const key = `-----BEGIN KEY-----\n${SECRET_CANARY}-line-one\nsecond-line-of-key\n-----END KEY-----`;
    const scrubber = new Scrubber(['short', `${SECRET_CANARY}`, key, '']);
    expect(scrubber.scrub(`a ${SECRET_CANARY} b short c`)).toBe('a *** b *** c');
    expect(scrubber.scrub(`got: ${key}`)).toBe('got: ***');
    expect(scrubber.scrub('Load key: second-line-of-key')).toBe('Load key: ***');
    expect(scrubber.scrub('nothing here')).toBe('nothing here');
  });

  it('hides the base64 form of a Basic pair, and URL user info', () => {
    const scrubber = new Scrubber(basicAuthForms('bot', SECRET_CANARY));
    const header = Buffer.from(`bot:${SECRET_CANARY}`).toString('base64');
    expect(scrubber.scrub(`Authorization: Basic ${header}`)).toBe('Authorization: Basic ***');
    expect(scrubber.scrub('https://a:b@h/')).toBe('https://h/');
  });

  it('adds secrets without changing the original', () => {
    const base = new Scrubber(['one-secret']);
    const more = base.with(['two-secret']);
    expect(base.scrub('one-secret two-secret')).toBe('*** two-secret');
    expect(more.scrub('one-secret two-secret')).toBe('*** ***');
  });
});
