import { describe, expect, it } from 'vitest';
import { InvalidBodyError } from './body.js';
import { nextPageUrl, parseTagPage } from './pagination.js';

const base = new URL('https://reg.io/v2/a/b/tags/list?n=2');
const next = (header: string | null) => nextPageUrl(header, base)?.href;

describe('nextPageUrl', () => {
  it('resolves distribution-style relative links against the request URL', () => {
    expect(next('</v2/a/b/tags/list?last=t2&n=2>; rel="next"')).toBe(
      'https://reg.io/v2/a/b/tags/list?last=t2&n=2',
    );
    expect(next('<list?last=x>; rel=next')).toBe('https://reg.io/v2/a/b/tags/list?last=x');
  });

  it('keeps absolute links as given, including other origins (the caller refuses them)', () => {
    expect(next('<http://other:9/v2/x?n=1>; rel="next"')).toBe('http://other:9/v2/x?n=1');
  });

  it('picks rel=next among several links, with commas inside targets and quotes', () => {
    expect(
      next(
        '</v2/a/b/tags/list?last=a,b>; rel="prev"; title="x, y", </v2/a/b/tags/list?last=c,d>; REL="last next"',
      ),
    ).toBe('https://reg.io/v2/a/b/tags/list?last=c,d');
  });

  it('ignores later duplicate rel parameters and links without next', () => {
    expect(next('</p>; rel="prev"; rel="next"')).toBeUndefined();
    expect(next('</p>; rel="prev"')).toBeUndefined();
    expect(next(null)).toBeUndefined();
    expect(next('garbage')).toBeUndefined();
    expect(next('<unterminated; rel="next"')).toBeUndefined();
  });
});

describe('parseTagPage', () => {
  const page = (text: string) => parseTagPage(Buffer.from(text));
  it('returns the tags, treating null and absent as none', () => {
    expect(page('{"name":"x","tags":["a","b"]}')).toEqual(['a', 'b']);
    expect(page('{"name":"x","tags":null}')).toEqual([]);
    expect(page('{"name":"x"}')).toEqual([]);
  });

  it.each([
    ['{"tags":', 'not valid JSON'],
    ['[1]', 'not a JSON object'],
    ['{"tags":"a"}', 'not an array'],
    ['{"tags":["a",3]}', '"tags"[1] is not a string'],
  ])('rejects %j', (text, message) => {
    expect(() => page(text)).toThrow(InvalidBodyError);
    expect(() => page(text)).toThrow(message);
  });
});
