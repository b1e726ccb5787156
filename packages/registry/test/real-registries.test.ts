// What real registries do that the OCI spec does not say, each imitated by a
// loopback server and named after the registry that does it: Link headers in
// every shape seen in the wild, junk entries in "tags", next links naming a
// proxy's internal host, page sizes refused, Docker Hub's answers for missing
// repositories and rate limits.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { RegistryClient, type RegistryClientOptions, RegistryError } from '../src/index.js';
import { type LoopbackServer, useServers } from './setup.js';

const server = useServers();

/** What the imitated registry does; everything is optional. */
interface Imitation {
  /** The entries of `"tags"` as the registry stores them (strings, nulls, …). */
  readonly entries: readonly unknown[];
  /** Entries per page when the request has no `n`. Default: all. */
  readonly defaultPageSize?: number;
  /** The Link header(s) for a next page at `next` (path and query), page numbered from 1. */
  readonly link?: (next: string, page: number) => string | string[];
  /** Answers a request instead of the registry (e.g. refuses its `n`); return true when it did. */
  readonly intercept?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
}

interface Imitated extends LoopbackServer {
  /** Path and query of every request, in order. */
  readonly paths: string[];
  /** The `Authorization` header of every request, in order. */
  readonly authorizations: (string | undefined)[];
}

/**
 * A registry serving one repository, `app`, paged by position: `?n=2&last=3`
 * means "two entries after the fourth". Links are written by `imitation.link`,
 * distribution's form by default.
 */
async function imitate(imitation: Imitation): Promise<Imitated> {
  const paths: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const link = imitation.link ?? ((next: string) => `<${next}>; rel="next"`);
  const started = await server((request, response) => {
    paths.push(request.url ?? '');
    authorizations.push(request.headers.authorization);
    const url = new URL(request.url ?? '/', 'http://registry');
    if (imitation.intercept?.(request, response, url)) return;
    if (url.pathname !== '/v2/app/tags/list') return json(response, 404, {});
    const { entries } = imitation;
    const n = Number(url.searchParams.get('n') ?? imitation.defaultPageSize ?? entries.length);
    const from = url.searchParams.has('last') ? Number(url.searchParams.get('last')) + 1 : 0;
    const page = entries.slice(from, from + n);
    const headers: Record<string, string | string[]> = {};
    if (from + n < entries.length) {
      headers.link = link(
        `/v2/app/tags/list?n=${n}&last=${from + n - 1}`,
        Math.floor(from / n) + 1,
      );
    }
    json(response, 200, { name: 'app', tags: page }, headers);
  });
  return { ...started, paths, authorizations };
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const tagNames = (count: number) =>
  Array.from({ length: count }, (_, i) => `v${String(i).padStart(4, '0')}`);

function clientWith(options: RegistryClientOptions = {}) {
  const warnings: string[] = [];
  const client = new RegistryClient({
    logger: { warn: (line) => warnings.push(line) },
    retry: { attempts: 2, baseDelayMs: 1 },
    ...options,
  });
  return { client, warnings };
}

describe('Link headers as registries send them', () => {
  it('a Link without angle brackets (250 tags, 100 per page): all 250, not the first 100', async () => {
    const r = await imitate({
      entries: tagNames(250),
      link: (next) => `${next}; rel=next`,
    });
    const { client } = clientWith({ pageSize: 100 });
    expect(await client.listTags(`${r.host}/app`)).toEqual(tagNames(250));
    expect(r.paths).toHaveLength(3);
  });

  it('several Link headers, REL=Next, rel="next last", unquoted rel: every page followed', async () => {
    const styles = [
      (next: string) => [`</v2/app/tags/list?n=1>; rel="first"`, `<${next}>; rel="next"`],
      (next: string) => `<${next}>; REL=Next`,
      (next: string) => `<${next}>; rel="next last"; title="page \\"3\\", of 5"`,
      (next: string) => `</v2/app/tags/list?n=1>; rel=prev, <${next}>; rel=next`,
    ];
    const r = await imitate({
      entries: tagNames(5),
      link: (next, page) => styles[page - 1]!(next),
    });
    const { client } = clientWith({ pageSize: 1 });
    expect(await client.listTags(`${r.host}/app`)).toEqual(tagNames(5));
    expect(r.paths).toHaveLength(5);
  });

  it.each([
    ['a target with a space', '<http://a b/v2/app/tags/list?n=1&last=0>; rel="next"'],
    ['an unclosed IPv6 host', '<http://[::1/v2/app/tags/list?n=1&last=0>; rel="next"'],
    ['a port over 65535', '<http://127.0.0.1:70000/v2/app/tags/list?n=1&last=0>; rel="next"'],
    ['no closing ">"', '</v2/app/tags/list?n=1&last=0; rel="next"'],
    ['an unterminated quote', '</v2/app/tags/list?n=1&last=0>; rel="next'],
    ['rel=next with no link', 'rel=next'],
  ])(
    'an unreadable Link (%s) is INVALID_RESPONSE, not a TypeError or a short list',
    async (_, header) => {
      const r = await imitate({ entries: tagNames(3), link: () => header });
      const error = await expectCode(
        clientWith({ pageSize: 1 }).client.listTags(`${r.host}/app`),
        RegistryError,
        'INVALID_RESPONSE',
      );
      expect(error.status).toBe(200);
      expect(error.message).toContain('Link');
      expect(r.paths).toHaveLength(1);
    },
  );
});

describe('"tags" entries that are not tags', () => {
  it('Nexus 3.58: null in tags is skipped and counted, the rest listed', async () => {
    const r = await imitate({ entries: ['1.0', null, '1.1', null, '1.2'] });
    const { client, warnings } = clientWith();
    expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '1.1', '1.2']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('skipped 2 entries');
    expect(warnings[0]).toContain('2 null');
  });

  it('Artifactory: digests among tags are skipped, counted over all pages in one line', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const r = await imitate({
      entries: ['1.0', digest, '1.1', `sha256:${'cd'.repeat(32)}`, '1.2', null],
      defaultPageSize: 2,
    });
    const { client, warnings } = clientWith({ pageSize: 2 });
    expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '1.1', '1.2']);
    expect(r.paths).toHaveLength(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('skipped 3 entries');
    expect(warnings[0]).toContain('2 not a tag name');
    expect(warnings[0]).toContain(digest);
  });

  it('reports what a listing stopped early skipped, too', async () => {
    const r = await imitate({ entries: [null, '1.0', '1.1'], defaultPageSize: 2 });
    const { client, warnings } = clientWith({ pageSize: 2 });
    for await (const page of client.tags(`${r.host}/app`)) {
      expect(page).toEqual(['1.0']);
      break;
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('1 null');
  });
});

describe('next links naming another host', () => {
  it('Harbor behind a proxy: next link on an internal host', async () => {
    // The internal host is real, and records what reaches it: nothing must.
    const internal = await imitate({ entries: ['never'] });
    const r = await imitate({
      entries: tagNames(4),
      // Harbor's core answers with its own (internal) URL when the proxy does not rewrite it.
      link: (next, page) =>
        page === 1
          ? `<${internal.origin}${next}>; rel="next"`
          : `<http://core.harbor.internal:8080${next}>; rel="next"`,
      intercept: (request, response, url) => {
        if (url.pathname === '/service/token') {
          json(response, 200, { token: 'harbor-token' });
          return true;
        }
        if (request.headers.authorization !== 'Bearer harbor-token') {
          json(
            response,
            401,
            { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] },
            {
              'www-authenticate': `Bearer realm="http://${request.headers.host}/service/token",service="harbor-registry"`,
            },
          );
          return true;
        }
        return false;
      },
    });
    const { client, warnings } = clientWith({ pageSize: 1 });
    expect(await client.listTags(`${r.host}/app`)).toEqual(tagNames(4));
    expect(internal.paths).toEqual([]);
    const pages = r.paths.filter((path) => path.startsWith('/v2/app/tags/list'));
    expect(pages).toEqual([
      '/v2/app/tags/list?n=1',
      '/v2/app/tags/list?n=1',
      '/v2/app/tags/list?n=1&last=0',
      '/v2/app/tags/list?n=1&last=1',
      '/v2/app/tags/list?n=1&last=2',
    ]);
    // Only the very first, anonymous try goes without the token.
    expect(r.authorizations.filter((a) => a === 'Bearer harbor-token')).toHaveLength(4);
    // One line per internal origin named, not one per page.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(internal.origin);
    expect(warnings[1]).toContain('http://core.harbor.internal:8080');
  });
});

describe('page sizes a registry refuses', () => {
  const refuseAbove = (max: number, refuse: (response: ServerResponse) => void) => ({
    intercept: (_request: IncomingMessage, response: ServerResponse, url: URL) => {
      const n = url.searchParams.get('n');
      if (n === null || Number(n) <= max) return false;
      refuse(response);
      return true;
    },
  });
  const paginationNumberInvalid = (response: ServerResponse) =>
    json(response, 400, {
      errors: [
        { code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested' },
      ],
    });

  it('distribution 3: PAGINATION_NUMBER_INVALID, asked again with n=1000, then without n', async () => {
    const r = await imitate({
      entries: tagNames(250),
      defaultPageSize: 100,
      ...refuseAbove(100, paginationNumberInvalid),
    });
    const { client, warnings } = clientWith({ pageSize: 5000 });
    expect(await client.listTags(`${r.host}/app`)).toEqual(tagNames(250));
    expect(r.paths).toEqual([
      '/v2/app/tags/list?n=5000',
      '/v2/app/tags/list?n=1000',
      '/v2/app/tags/list',
      '/v2/app/tags/list?n=100&last=99',
      '/v2/app/tags/list?n=100&last=199',
    ]);
    expect(warnings).toHaveLength(2);
  });

  it('distribution 3: PAGINATION_NUMBER_INVALID for a pageSize up to 1000 goes straight to no n', async () => {
    const r = await imitate({
      entries: tagNames(3),
      ...refuseAbove(100, paginationNumberInvalid),
    });
    expect(await clientWith({ pageSize: 500 }).client.listTags(`${r.host}/app`)).toEqual(
      tagNames(3),
    );
    expect(r.paths).toEqual(['/v2/app/tags/list?n=500', '/v2/app/tags/list']);
  });

  it('ECR: 405 for n > 1000, asked again with n=1000', async () => {
    const r = await imitate({
      entries: tagNames(1500),
      ...refuseAbove(1000, (response) => json(response, 405, {})),
    });
    const { client } = clientWith({ pageSize: 2000 });
    expect(await client.listTags(`${r.host}/app`)).toEqual(tagNames(1500));
    expect(r.paths).toEqual([
      '/v2/app/tags/list?n=2000',
      '/v2/app/tags/list?n=1000',
      '/v2/app/tags/list?n=1000&last=999',
    ]);
  });

  it('a 400 of another code is not a page-size refusal', async () => {
    const r = await imitate({
      entries: tagNames(3),
      intercept: (_request, response) => {
        json(response, 400, { errors: [{ code: 'NAME_INVALID', message: 'invalid name' }] });
        return true;
      },
    });
    await expectCode(
      clientWith({ pageSize: 5000 }).client.listTags(`${r.host}/app`),
      RegistryError,
      'INVALID_REFERENCE',
    );
    expect(r.paths).toHaveLength(1);
  });

  it('a refusal on a later page, or of a request without n, is final', async () => {
    const later = await imitate({
      entries: tagNames(3),
      ...refuseAbove(1, (response) => json(response, 405, {})),
      link: (next) => `<${next.replace('n=1', 'n=50')}>; rel="next"`,
    });
    const error = await expectCode(
      clientWith({ pageSize: 1 }).client.listTags(`${later.host}/app`),
      RegistryError,
      'UNEXPECTED_STATUS',
    );
    expect(error.status).toBe(405);
    expect(later.paths).toEqual(['/v2/app/tags/list?n=1', '/v2/app/tags/list?n=50&last=0']);

    const always = await imitate({
      entries: [],
      intercept: (_request, response) => {
        json(response, 405, {});
        return true;
      },
    });
    await expectCode(
      clientWith({ pageSize: 5000 }).client.listTags(`${always.host}/app`),
      RegistryError,
      'UNEXPECTED_STATUS',
    );
    expect(always.paths).toEqual([
      '/v2/app/tags/list?n=5000',
      '/v2/app/tags/list?n=1000',
      '/v2/app/tags/list',
    ]);
  });
});

describe('Docker Hub', () => {
  /** Hub's registry and its token service (auth.docker.io) on one loopback server. */
  async function hub(answer: (request: IncomingMessage, response: ServerResponse) => void) {
    return server((request, response, origin) => {
      const url = new URL(request.url ?? '/', origin);
      if (url.pathname === '/token') return json(response, 200, { token: 'anonymous-hub-token' });
      const scope = `repository:${url.pathname.split('/').slice(2, -2).join('/')}:pull`;
      const challenge = `Bearer realm="${origin}/token",service="registry.docker.io",scope="${scope}"`;
      if (request.headers.authorization === undefined) {
        return json(
          response,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
          { 'www-authenticate': challenge },
        );
      }
      answer(request, response);
    });
  }

  it('Docker Hub: insufficient_scope for a missing repository says it may not exist', async () => {
    const r = await hub((request, response) => {
      const scope = `repository:library/nope:pull`;
      json(
        response,
        401,
        {
          errors: [
            {
              code: 'UNAUTHORIZED',
              message: 'authentication required',
              detail: [{ Type: 'repository', Class: '', Name: 'library/nope', Action: 'pull' }],
            },
          ],
        },
        {
          'www-authenticate': `Bearer realm="http://${request.headers.host}/token",service="registry.docker.io",scope="${scope}",error="insufficient_scope"`,
        },
      );
    });
    const error = await expectCode(
      clientWith().client.listTags(`${r.host}/library/nope`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.status).toBe(401);
    expect(error.message).toContain('insufficient_scope');
    expect(error.message).toContain('library/nope');
    expect(error.message).toContain('may not exist');
  });

  it('a plain 401 after a fresh token gets no such hint', async () => {
    const r = await hub((_request, response) =>
      json(response, 401, {
        errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
      }),
    );
    const error = await expectCode(
      clientWith().client.listTags(`${r.host}/library/nope`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.message).not.toContain('insufficient_scope');
  });

  const rateLimited =
    (retryAfter?: string) => (_request: IncomingMessage, response: ServerResponse) =>
      json(
        response,
        429,
        {
          errors: [
            {
              code: 'TOOMANYREQUESTS',
              message: 'You have reached your unauthenticated pull rate limit.',
            },
          ],
        },
        {
          'ratelimit-limit': '100;w=21600',
          'ratelimit-remaining': '0;w=21600',
          'docker-ratelimit-source': '192.0.2.1',
          ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
        },
      );

  it.each([
    ['a Retry-After beyond maxDelayMs', '3600'],
    ['429 through every retry', undefined],
  ])(
    'Docker Hub: RATE_LIMITED (%s) names ratelimit-limit and ratelimit-remaining',
    async (_, retryAfter) => {
      const r = await hub(rateLimited(retryAfter));
      const error = await expectCode(
        clientWith().client.listTags(`${r.host}/library/nginx`),
        RegistryError,
        'RATE_LIMITED',
      );
      expect(error.message).toContain('ratelimit-limit: 100;w=21600');
      expect(error.message).toContain('ratelimit-remaining: 0;w=21600');
    },
  );
});
