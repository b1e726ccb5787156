import { describe, expect, it } from 'vitest';
import { InvalidBodyError } from './body.js';
import { InvalidLinkError } from './link.js';
import {
  nextPageUrl,
  onOrigin,
  parseTagPage,
  refusesPageSize,
  SkippedEntries,
  type TagPage,
} from './pagination.js';

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
    ['rel in upper case, unquoted', '</v2/x?last=a>; REL=NEXT'],
    ['a quoted rel written with escapes', '</v2/x?last=a>; rel="ne\\xt"'],
    [
      'an escaped quote in a title before rel',
      '</v2/x?last=a>; title="\\"next\\" page"; rel="next"',
    ],
    ["distribution's shape with an absolute target", '<https://reg.io/v2/x?last=a>; rel="next"'],
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
    expect(next('</p>; rel=prev; rel=nextpage')).toBeUndefined();
    // "next" inside other parameters, escaped quotes included, is no next link.
    expect(next('</p>; title="the \\"next\\" one"; rel=prev')).toBeUndefined();
    expect(next('</p>; prefrel=next')).toBeUndefined();
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
    ['a DEL character', '</v2/x\u007f>; rel=next'],
    ['a tab inside the target', '</v2/x\t?last=a>; rel=next'],
    ['a backslash, which a URL parser reads as a slash', '</v2\\x?last=a>; rel=next'],
    ['a quote inside a bare target', '/v2/x"?last=a; rel=next'],
    ['a ">" inside a bare target', '/v2/x>?last=a; rel=next'],
    ['a "<" inside a bare target', '/v2/x<?last=a; rel=next'],
    ["distribution's shape with junk before it", 'x</v2/x?last=a>; rel="next"'],
    ["distribution's shape with junk after it", '</v2/x?last=a>; rel="next"; title="x'],
    ['an unterminated target that says NEXT in capitals', '<unterminated; REL=NEXT'],
    ['an upper-case REL=NEXT ignored as a repeated parameter', '</p>; rel=prev; REL=NEXT'],
    ['a spaced rel = next ignored as a repeated parameter', '</p>; rel=prev; rel = next'],
    ['a quoted rel with next among others, repeated', '</p>; rel=prev; rel="last next"'],
  ])('refuses %s rather than ending the listing', (_, header) => {
    expect(() => nextPageUrl(header, base)).toThrow(InvalidLinkError);
  });

  it('never quotes the query of a bad target, which may hold a token', () => {
    expect(() => nextPageUrl('<http://a b/x?token=s3cret>; rel=next', base)).toThrow(
      '"http://a b/x?…"',
    );
  });

  it('quotes a bad target without a query whole, and a long one cut at 100 characters', () => {
    expect(() => nextPageUrl('<http://a b/x>; rel=next', base)).toThrow(
      'the rel="next" target "http://a b/x" is not an http(s) URL',
    );
    const path = `/${'p'.repeat(200)}`;
    expect(() => nextPageUrl(`<http://a b${path}>; rel=next`, base)).toThrow(
      `"${`http://a b${path}`.slice(0, 100)}…"`,
    );
    const exactly100 = `http://a b/${'q'.repeat(89)}`;
    expect(exactly100).toHaveLength(100);
    expect(() => nextPageUrl(`<${exactly100}>; rel=next`, base)).toThrow(`"${exactly100}" is`);
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

  it('drops a password without a username, and a fragment, on the same origin', () => {
    expect(onOrigin(new URL('https://:pw@reg.io/v2/x?n=1'), base.origin).href).toBe(
      'https://reg.io/v2/x?n=1',
    );
    expect(onOrigin(new URL('https://reg.io/v2/x?n=1#frag'), base.origin).href).toBe(
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

  it('keeps the order of the tags around skipped entries, wherever the first one is', () => {
    expect(page('{"tags":["sha256:0123","a","b"]}').tags).toEqual(['a', 'b']);
    expect(page('{"tags":["a","b",null]}').tags).toEqual(['a', 'b']);
    expect(page('{"tags":["a",null,"b",null,"c"]}')).toEqual({
      tags: ['a', 'b', 'c'],
      nulls: 2,
      notTags: 0,
      firstNotTag: undefined,
    });
  });

  it('reads an empty tag list as no tags', () => {
    expect(page('{"name":"x","tags":[]}')).toEqual({ tags: [], nulls: 0, notTags: 0 });
  });

  it.each([
    ['{"tags":', 'not valid JSON'],
    ['[1]', 'not a JSON object'],
    ['[]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    ['"tags"', 'not a JSON object'],
    ['42', 'not a JSON object'],
    ['true', 'not a JSON object'],
    ['{"tags":{"0":"a"}}', 'not an array'],
    ['{"tags":false}', 'not an array'],
    ['{"tags":0}', 'not an array'],
    ['{"tags":"a"}', 'not an array'],
    ['{"tags":["a",3]}', '"tags"[1] is not a string'],
    ['{"tags":[null,{"b":1}]}', '"tags"[1] is not a string'],
  ])('rejects %j', (text, message) => {
    expect(() => page(text)).toThrow(InvalidBodyError);
    expect(() => page(text)).toThrow(message);
  });
});

describe('SkippedEntries', () => {
  const url = new URL('https://reg.io/v2/a/b/tags/list?n=2&token=s3cret');
  const logged = (...pages: TagPage[]) => {
    const lines: string[] = [];
    const skipped = new SkippedEntries(url);
    for (const page of pages) skipped.add(page);
    skipped.report({ warn: (line) => lines.push(line) });
    return lines;
  };
  const pageOf = (nulls: number, notTags: number, firstNotTag?: string): TagPage => ({
    tags: ['a'],
    nulls,
    notTags,
    firstNotTag,
  });

  it("returns each page's tags", () => {
    expect(new SkippedEntries(url).add(pageOf(1, 0))).toEqual(['a']);
  });

  it('logs nothing when nothing was skipped', () => {
    expect(logged(pageOf(0, 0), pageOf(0, 0))).toEqual([]);
  });

  it('logs one line for the whole listing, with the redacted URL', () => {
    expect(logged(pageOf(1, 0), pageOf(0, 1, 'sha256:ab'), pageOf(1, 1, 'sha256:cd'))).toEqual([
      'GET https://reg.io/v2/a/b/tags/list?n=2&token=REDACTED: skipped 4 entries of "tags" (2 null; 2 not a tag name, e.g. "sha256:ab")',
    ]);
  });

  it('says "entry" for one, and leaves out the kind that was not skipped', () => {
    expect(logged(pageOf(1, 0))).toEqual([
      'GET https://reg.io/v2/a/b/tags/list?n=2&token=REDACTED: skipped 1 entry of "tags" (1 null)',
    ]);
    expect(logged(pageOf(0, 1, '-x'))[0]).toMatch(
      /skipped 1 entry of "tags" \(1 not a tag name, e\.g\. "-x"\)$/,
    );
  });

  it('quotes at most 80 characters of the example', () => {
    const long = `sha256:${'f'.repeat(100)}`;
    expect(logged(pageOf(0, 1, long))[0]).toContain(`e.g. "${long.slice(0, 80)}…")`);
    const fits = `${'x'.repeat(79)}!`;
    expect(logged(pageOf(0, 1, fits))[0]).toContain(`e.g. "${fits}")`);
  });

  it('does without a logger, or one without warn', () => {
    const skipped = new SkippedEntries(url);
    skipped.add(pageOf(1, 0));
    expect(() => skipped.report(undefined)).not.toThrow();
    expect(() => skipped.report({})).not.toThrow();
  });
});

describe('refusesPageSize', () => {
  const reply = (status: number, body: unknown = {}) => ({
    status,
    body: Buffer.from(JSON.stringify(body)),
  });
  const invalid = { errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number' }] };

  it("sees ECR's 405 and distribution 3's 400 PAGINATION_NUMBER_INVALID", () => {
    expect(refusesPageSize(reply(405))).toBe(true);
    expect(refusesPageSize(reply(400, invalid))).toBe(true);
  });

  it('leaves other failures alone', () => {
    expect(refusesPageSize(reply(400))).toBe(false);
    expect(refusesPageSize(reply(400, { errors: [{ code: 'NAME_INVALID' }] }))).toBe(false);
    expect(refusesPageSize(reply(404, invalid))).toBe(false);
    expect(refusesPageSize(reply(500, invalid))).toBe(false);
  });
});
