import { describe, expect, it } from 'vitest';
import { InvalidLinkError, parseLinks, relations } from './link.js';

const read = (header: string) =>
  parseLinks(header).map((link) => ({
    target: link.target,
    params: Object.fromEntries(link.params),
  }));

describe('parseLinks', () => {
  it('reads every link with its parameters, unescaping quoted values', () => {
    expect(
      read('</a?x=1,2>; rel="next"; title="say \\"hi\\", then go", /b; REL=prev; hreflang'),
    ).toEqual([
      { target: '/a?x=1,2', params: { rel: 'next', title: 'say "hi", then go' } },
      { target: '/b', params: { rel: 'prev', hreflang: '' } },
    ]);
  });

  it('keeps the first of a repeated parameter (RFC 8288 section 3)', () => {
    expect(read('</a>; rel=prev; rel=next')).toEqual([{ target: '/a', params: { rel: 'prev' } }]);
  });

  it('keeps an empty bracketed target (the page itself)', () => {
    expect(read('<>; rel=next')).toEqual([{ target: '', params: { rel: 'next' } }]);
  });

  it.each(['<a', '</a>; t="x', '</a>; =next', ';rel=next'])('throws for %j', (header) => {
    expect(() => parseLinks(header)).toThrow(InvalidLinkError);
  });
});

describe('relations', () => {
  it('splits and lower-cases rel', () => {
    const [link] = parseLinks('</a>; rel="Next  LAST"');
    expect(relations(link!)).toEqual(['next', 'last']);
    expect(relations(parseLinks('</a>')[0]!)).toEqual([]);
  });
});
