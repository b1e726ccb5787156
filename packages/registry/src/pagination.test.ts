import { describe, expect, it } from 'vitest';
import { InvalidBodyError } from './body.js';
import { InvalidLinkError } from './link.js';
import { nextPageUrl, onOrigin, parseTagPage } from './pagination.js';

const base = new URL('https://reg.io/v2/a/b/tags/list?n=2');
const next = (header: string | null) => nextPageUrl(header, base)?.href;

describe('nextPageUrl', () => {
  it('resolves distribution-style relative links against the request URL', () => {
    expect(next('</v2/a/b/tags/list?last=t2&n=2>; rel="next"')).toBe(
      'https://reg.io/v2/a/b/tags/list?last=t2&n=2',
    );
    expect(next('<list?last=x>; rel=next')).toBe('https://reg.io/v2/a/b/tags/list?last=x');
  });

  it('keeps absolute links as given, including other origins (the client moves them)', () => {
    expect(next('<http://other:9/v2/x?n=1>; rel="next"')).toBe('http://other:9/v2/x?n=1');
  });

  it.each([
    ['unquoted rel', '</v2/x?last=a>; rel=next'],
    ['mixed-case name and value', '</v2/x?last=a>; REL=Next'],
    ['no space, no semicolon before rel', '</v2/x?last=a>;rel="next"'],
    ['space instead of a semicolon', '</v2/x?last=a> rel=next'],
    ['rel with several values', '</v2/x?last=a>; rel="last next"'],
    ['rel with several values, next first', '</v2/x?last=a>; rel="next last"'],
    ['several links in one header', '</v2/x?first>; rel="first", </v2/x?last=a>; rel="next"'],
    ['several Link headers as fetch joins them', '</v2/x?p>; rel=prev, </v2/x?last=a>; rel=next'],
    ['a target without angle brackets', '/v2/x?last=a; rel=next'],
    ['a bare target after a bracketed one', '</v2/x?p>; rel=prev, /v2/x?last=a; rel=next'],
    ['a bracketed target after a bare one', '/v2/x?p; rel=prev, </v2/x?last=a>; rel=next'],
    ['an empty element in the list', ', , </v2/x?last=a>; rel=next'],
    ['a quoted title with escapes and commas', '</v2/x?last=a>; title="a \\"b\\", c"; rel=next'],
    ['a parameter without a value', '</v2/x?last=a>; crossorigin; rel=next'],
  ])('reads %s', (_, header) => {
    expect(next(header)).toBe('https://reg.io/v2/x?last=a');
  });

  it('keeps commas inside targets, bracketed or not, and inside quoted values', () => {
    expect(
      next(
        '</v2/a/b/tags/list?last=a,b>; rel="prev"; title="x, y", </v2/a/b/tags/list?last=c,d>; REL="last next"',
      ),
    ).toBe('https://reg.io/v2/a/b/tags/list?last=c,d');
    expect(next('/v2/x/tags/list?n=100&last=a,b; rel=next')).toBe(
      'https://reg.io/v2/x/tags/list?n=100&last=a,b',
    );
  });

  it('takes the first next link when there are several', () => {
    expect(next('</v2/x?1>; rel=next, </v2/x?2>; rel=next')).toBe('https://reg.io/v2/x?1');
  });

  it('finds no next page where the header has none', () => {
    expect(next(null)).toBeUndefined();
    expect(next('')).toBeUndefined();
    expect(next('</p>; rel="prev"')).toBeUndefined();
    expect(next('</v2/next/tags/list>; rel="prev"; title="next page"')).toBeUndefined();
    expect(next('</p>; rel="nextpage"')).toBeUndefined();
    // Unreadable, but it never says "next", so no page can be hiding behind it.
    expect(next('<unterminated; rel="prev"')).toBeUndefined();
  });

  it.each([
    ['a "<" without ">"', '<unterminated; rel="next"'],
    ['an unterminated quote', '</p>; title="x; rel=next'],
    ['junk where a parameter belongs', '</p>; "rel"=next'],
    ['a link with no target', '; rel=next'],
    ['a rel=next ignored as a repeated parameter', '</p>; rel="prev"; rel="next"'],
    ['rel=next with no target', 'rel=next'],
    ['a space inside the target', '<http://a b/v2/x>; rel=next'],
    ['a bare target with spaces', '/v2/x?a, /v2/y; rel=next'],
    ['an unclosed IPv6 host', '<http://[::1/v2/x>; rel=next'],
    ['a port over 65535', '<http://reg.io:70000/v2/x>; rel=next'],
    ['a scheme that is not http(s)', '<ftp://reg.io/v2/x>; rel=next'],
    ['a control character', '</v2/x\u0001>; rel=next'],
  ])('refuses %s rather than ending the listing', (_, header) => {
    expect(() => nextPageUrl(header, base)).toThrow(InvalidLinkError);
  });

  it('never quotes the query of a bad target, which may hold a token', () => {
    expect(() => nextPageUrl('<http://a b/x?token=s3cret>; rel=next', base)).toThrow(
      '"http://a b/x?…"',
    );
  });
});

describe('onOrigin', () => {
  it('keeps the path and query of a link to another origin, on the given origin', () => {
    const moved = onOrigin(
      new URL('http://core.harbor.internal:8080/v2/x?n=2&last=b#f'),
      base.origin,
    );
    expect(moved.href).toBe('https://reg.io/v2/x?n=2&last=b');
  });

  it('drops userinfo even on the same origin', () => {
    expect(onOrigin(new URL('https://u:p@reg.io/v2/x?n=1'), base.origin).href).toBe(
      'https://reg.io/v2/x?n=1',
    );
  });

  it('returns a link on the origin unchanged', () => {
    const url = new URL('https://reg.io/v2/x?n=1');
    expect(onOrigin(url, base.origin)).toBe(url);
  });
});

describe('parseTagPage', () => {
  const page = (text: string) => parseTagPage(Buffer.from(text));
  it('returns the tags, treating null and absent as none', () => {
    expect(page('{"name":"x","tags":["a","b"]}')).toEqual({
      tags: ['a', 'b'],
      nulls: 0,
      notTags: 0,
    });
    expect(page('{"name":"x","tags":null}').tags).toEqual([]);
    expect(page('{"name":"x"}').tags).toEqual([]);
  });

  it('skips and counts null entries and strings that are not tag names', () => {
    expect(page('{"tags":[null,"a",null,"sha256:0123","b","",".x","c"]}')).toEqual({
      tags: ['a', 'b', 'c'],
      nulls: 2,
      notTags: 3,
      firstNotTag: 'sha256:0123',
    });
    expect(page(`{"tags":["${'a'.repeat(128)}","${'a'.repeat(129)}"]}`).tags).toEqual([
      'a'.repeat(128),
    ]);
  });

  it.each([
    ['{"tags":', 'not valid JSON'],
    ['[1]', 'not a JSON object'],
    ['{"tags":"a"}', 'not an array'],
    ['{"tags":["a",3]}', '"tags"[1] is not a string'],
    ['{"tags":[null,{"b":1}]}', '"tags"[1] is not a string'],
  ])('rejects %j', (text, message) => {
    expect(() => page(text)).toThrow(InvalidBodyError);
    expect(() => page(text)).toThrow(message);
  });
});
