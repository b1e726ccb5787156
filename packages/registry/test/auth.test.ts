import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode, SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import type { TestRegistry } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import {
  type CredentialProvider,
  dockerConfigCredentials,
  RegistryClient,
  RegistryError,
  staticCredentials,
} from '../src/index.js';
import { useRegistries, useServers } from './setup.js';

const registry = useRegistries({ 'team/app': ['1.0', '2.0'] });
const server = useServers();
/** Each request as `METHOD path [scheme]`, the scheme of the Authorization it carried. */
const trace = (r: TestRegistry) =>
  r.requests.map((q) => {
    const scheme = q.headers.authorization?.split(' ')[0];
    return `${q.method} ${q.path.split('?')[0]}${scheme ? ` [${scheme}]` : ''}`;
  });
const creds = (host: string, credential: Parameters<typeof staticCredentials>[0][string]) =>
  staticCredentials({ [host]: credential });

describe('Basic auth', () => {
  it('answers the challenge, then sends Basic up front', async () => {
    const r = await registry({ auth: { basic: { username: 'bot', password: 'pw' } } });
    const client = new RegistryClient({
      credentials: creds(r.host, { username: 'bot', password: 'pw' }),
    });
    expect(await client.listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
    expect(await client.listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
    expect(trace(r)).toEqual([
      'GET /v2/team/app/tags/list',
      'GET /v2/team/app/tags/list [Basic]',
      'GET /v2/team/app/tags/list [Basic]',
    ]);
  });

  it('fails with UNAUTHORIZED after one try with wrong credentials', async () => {
    const r = await registry({ auth: { basic: { username: 'bot', password: 'pw' } } });
    const client = new RegistryClient({
      credentials: creds(r.host, { username: 'bot', password: 'wrong' }),
    });
    const error = await expectCode(
      client.listTags(`${r.host}/team/app`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.status).toBe(401);
    expect(error.message).toContain('401 Unauthorized');
    expect(error.message).toContain('even with fresh credentials');
    expect(r.requests).toHaveLength(2);
  });

  it('fails with UNAUTHORIZED naming the missing credential when there is none', async () => {
    const r = await registry({ auth: { basic: { username: 'bot', password: 'pw' } } });
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/team/app`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.message).toContain(`no username/password for ${r.host}`);
    expect(r.requests).toHaveLength(1);
  });
});

describe('Bearer auth', () => {
  it('gets an anonymous token with service and scope, without Authorization', async () => {
    const r = await registry({ auth: { bearer: {} } });
    expect(await new RegistryClient().listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
    expect(trace(r)).toEqual([
      'GET /v2/team/app/tags/list',
      'GET /token',
      'GET /v2/team/app/tags/list [Bearer]',
    ]);
    const tokenRequest = new URL(r.requests[1]!.path, r.url);
    expect(tokenRequest.searchParams.get('service')).toBe('testkit');
    expect(tokenRequest.searchParams.getAll('scope')).toEqual(['repository:team/app:pull']);
  });

  it('sends Basic to the token endpoint and caches the token per scope', async () => {
    const r = await registry({ auth: { bearer: { username: 'bot', password: 'pw' } } });
    await r.pushTags('other', ['x']);
    const client = new RegistryClient({
      credentials: creds(r.host, { username: 'bot', password: 'pw' }),
    });
    await client.listTags(`${r.host}/team/app`);
    await client.listTags(`${r.host}/team/app`);
    await client.listTags(`${r.host}/other`);
    expect(trace(r)).toEqual([
      'GET /v2/team/app/tags/list',
      'GET /token [Basic]',
      'GET /v2/team/app/tags/list [Bearer]',
      'GET /v2/team/app/tags/list [Bearer]',
      // The realm is known by now: a new scope costs no anonymous 401 round trip.
      'GET /token [Basic]',
      'GET /v2/other/tags/list [Bearer]',
    ]);
    // The remembered challenge named team/app; the new token is for `other` only.
    const tokenRequests = r.requests.filter((q) => q.path.startsWith('/token'));
    expect(new URL(tokenRequests[1]!.path, r.url).searchParams.getAll('scope')).toEqual([
      'repository:other:pull',
    ]);
  });

  it('renews a token before it expires, by the injected clock', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = () => now;
    const r = await registry({ auth: { bearer: { expiresIn: 300 } }, clock });
    const client = new RegistryClient({ clock });
    await client.listTags(`${r.host}/team/app`);
    now += 269_000; // inside the 30 s margin only after 270 s
    await client.listTags(`${r.host}/team/app`);
    now += 1_000;
    await client.listTags(`${r.host}/team/app`);
    expect(trace(r)).toEqual([
      'GET /v2/team/app/tags/list',
      'GET /token',
      'GET /v2/team/app/tags/list [Bearer]',
      'GET /v2/team/app/tags/list [Bearer]',
      'GET /token',
      'GET /v2/team/app/tags/list [Bearer]',
    ]);
  });

  it('gets a fresh token once when the registry rejects a cached one', async () => {
    let serverNow = Date.parse('2030-01-01T00:00:00Z');
    const r = await registry({ auth: { bearer: { expiresIn: 60 } }, clock: () => serverNow });
    const client = new RegistryClient();
    await client.listTags(`${r.host}/team/app`);
    serverNow += 61_000; // the registry's clock runs ahead of ours
    expect(await client.listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
    expect(trace(r).slice(3)).toEqual([
      'GET /v2/team/app/tags/list [Bearer]',
      'GET /token',
      'GET /v2/team/app/tags/list [Bearer]',
    ]);
  });

  it('accepts a token endpoint that sends only access_token and no expires_in', async () => {
    const r = await registry({ auth: { bearer: { responseFields: ['access_token'] } } });
    expect(await new RegistryClient().listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
  });

  it('fails with UNAUTHORIZED when the token endpoint rejects the credentials', async () => {
    const r = await registry({ auth: { bearer: { username: 'bot', password: 'pw' } } });
    const client = new RegistryClient({
      credentials: creds(r.host, { username: 'bot', password: 'nope' }),
    });
    const error = await expectCode(
      client.listTags(`${r.host}/team/app`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.message).toContain(`[GET] ${r.url}/token?service=testkit&scope=`);
    expect(error.message).toContain('the token endpoint rejected the credentials');
  });

  it('fails with UNAUTHORIZED, not a loop, when a fresh token is refused too', async () => {
    const r = await registry({ auth: { bearer: {} } });
    r.faults.add({
      path: '/v2/team/app/tags/list',
      status: 401,
      times: Infinity,
      headers: { 'www-authenticate': `Bearer realm="${r.url}/token",service="testkit"` },
    });
    await expectCode(
      new RegistryClient().listTags(`${r.host}/team/app`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(trace(r)).toEqual([
      'GET /v2/team/app/tags/list',
      'GET /token',
      'GET /v2/team/app/tags/list [Bearer]',
    ]);
  });

  it('fails with DENIED when the token endpoint refuses the scope', async () => {
    const r = await registry({ auth: { bearer: {} } });
    r.faults.add({ path: '/token', status: 403 });
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/team/app`),
      RegistryError,
      'DENIED',
    );
    // The message names the request that failed: the token endpoint's, with its status.
    expect(error.message).toContain(`[GET] ${r.url}/token?service=testkit&scope=`);
    expect(error.message).toContain(': 403 Forbidden');
  });

  it('maps 403 to DENIED', async () => {
    const r = await registry({ auth: { bearer: {} } });
    r.faults.add({ path: '/v2/team/app/tags/list', status: 403, times: Infinity });
    const error = await expectCode(
      new RegistryClient().listTags(`${r.host}/team/app`),
      RegistryError,
      'DENIED',
    );
    expect(error.status).toBe(403);
  });
});

describe('concurrent calls on one client', () => {
  const tokenRequests = (r: TestRegistry) =>
    trace(r).filter((line) => line.startsWith('GET /token'));

  it('share one token request for the same registry and scope', async () => {
    const r = await registry({ auth: { bearer: { username: 'bot', password: 'pw' } } });
    const client = new RegistryClient({
      credentials: creds(r.host, { username: 'bot', password: 'pw' }),
    });
    const lists = await Promise.all(
      Array.from({ length: 5 }, () => client.listTags(`${r.host}/team/app`)),
    );
    expect(lists).toEqual(Array.from({ length: 5 }, () => ['1.0', '2.0']));
    expect(tokenRequests(r)).toEqual(['GET /token [Basic]']);
    // Once the realm is known, a new scope is fetched up front, still once.
    await r.pushTags('other', ['x']);
    const others = await Promise.all(
      Array.from({ length: 5 }, () => client.listTags(`${r.host}/other`)),
    );
    expect(others).toEqual(Array.from({ length: 5 }, () => ['x']));
    expect(tokenRequests(r)).toHaveLength(2);
  });

  it('reuse a token another call obtained while their own 401 was on its way', async () => {
    let tokens = 0;
    let served!: () => void;
    const firstServed = new Promise<void>((resolve) => {
      served = resolve;
    });
    let anonymous = 0;
    // Holds the second anonymous request's 401 until the first call is done with its token.
    const { host } = await server((request, response, origin) => {
      const reply = (status: number, body: unknown, headers = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      };
      if (request.url?.startsWith('/token')) return reply(200, { token: `t${++tokens}` });
      if (request.headers.authorization === 'Bearer t1') {
        reply(200, { name: 'app', tags: ['a'] });
        return served();
      }
      const challenge = { 'www-authenticate': `Bearer realm="${origin}/token",service="s"` };
      if (++anonymous === 1) return reply(401, {}, challenge);
      void firstServed.then(() => reply(401, {}, challenge));
    });
    const client = new RegistryClient();
    const lists = await Promise.all([
      client.listTags(`${host}/app`),
      client.listTags(`${host}/app`),
    ]);
    expect(lists).toEqual([['a'], ['a']]);
    expect(tokens).toBe(1);
  });

  it('get their own token when the call whose token request they share is aborted', async () => {
    const r = await registry({ auth: { bearer: {} } }, { 'team/app': ['1.0'], other: ['x'] });
    const client = new RegistryClient();
    await client.listTags(`${r.host}/team/app`); // learns the realm
    r.faults.add({ path: '/token', delayMs: 60_000 });
    const controller = new AbortController();
    const starter = client.listTags(`${r.host}/other`, { signal: controller.signal });
    const sharer = client.listTags(`${r.host}/other`);
    while (tokenRequests(r).length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expectCode(starter, RegistryError, 'ABORTED');
    expect(await sharer).toEqual(['x']);
    expect(tokenRequests(r)).toHaveLength(3);
  });

  it('stop waiting for a credential provider as soon as the signal fires', async () => {
    const r = await registry({ auth: { basic: { username: 'bot', password: 'pw' } } });
    const controller = new AbortController();
    const client = new RegistryClient({
      credentials: () => {
        controller.abort(new Error('stop'));
        return new Promise(() => {}); // a credential helper that hangs
      },
    });
    const error = await expectCode(
      client.listTags(`${r.host}/team/app`, { signal: controller.signal }),
      RegistryError,
      'ABORTED',
    );
    expect((error.cause as Error).message).toBe('stop');
  });
});

describe('identity and registry tokens', () => {
  it('exchanges an identity token through the OAuth2 POST', async () => {
    const r = await registry({ auth: { bearer: { identityToken: 'refresh-abc' } } });
    const client = new RegistryClient({
      credentials: creds(r.host, { identityToken: 'refresh-abc' }),
    });
    expect(await client.listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
    expect(trace(r)).toEqual([
      'GET /v2/team/app/tags/list',
      'POST /token',
      'GET /v2/team/app/tags/list [Bearer]',
    ]);
    expect(r.requests[1]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('falls back to GET with the identity token as Basic password when POST is 404', async () => {
    const r = await registry({ auth: { bearer: { identityToken: 'refresh-abc' } } });
    r.faults.add({ method: 'POST', path: '/token', status: 404 });
    const client = new RegistryClient({
      credentials: creds(r.host, { identityToken: 'refresh-abc' }),
    });
    expect(await client.listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
    expect(trace(r)).toEqual([
      'GET /v2/team/app/tags/list',
      'POST /token',
      'GET /token [Basic]',
      'GET /v2/team/app/tags/list [Bearer]',
    ]);
  });

  it('rejects a wrong identity token with UNAUTHORIZED', async () => {
    const r = await registry({ auth: { bearer: { identityToken: 'refresh-abc' } } });
    const client = new RegistryClient({ credentials: creds(r.host, { identityToken: 'nope' }) });
    await expectCode(client.listTags(`${r.host}/team/app`), RegistryError, 'UNAUTHORIZED');
  });

  it('sends a registry token as Bearer without visiting the token endpoint', async () => {
    const r = await registry({ auth: { bearer: {} } });
    const issued = await fetch(
      `${r.url}/token?service=testkit&scope=repository:team/app:pull`,
    ).then((res) => res.json() as Promise<{ token: string }>);
    const client = new RegistryClient({
      credentials: creds(r.host, { registryToken: issued.token }),
    });
    expect(await client.listTags(`${r.host}/team/app`)).toEqual(['1.0', '2.0']);
    expect(trace(r)).toEqual([
      'GET /token',
      'GET /v2/team/app/tags/list',
      'GET /v2/team/app/tags/list [Bearer]',
    ]);
    expect(r.requests[2]!.headers.authorization).toBe(`Bearer ${issued.token}`);
  });
});

describe('credentials of the wrong shape', () => {
  it('fails with CREDENTIAL_CONFIG after the 401 when the docker config entry is null', async () => {
    const r = await registry({ auth: { basic: { username: 'bot', password: 'pw' } } });
    const path = join((await tempDir('auth')).path, 'config.json');
    await writeFile(path, JSON.stringify({ auths: { [r.host]: null } }));
    const client = new RegistryClient({
      credentials: dockerConfigCredentials({ path, env: {} }),
    });
    const error = await expectCode(
      client.listTags(`${r.host}/team/app`),
      RegistryError,
      'CREDENTIAL_CONFIG',
    );
    expect(error.message).toContain(`auths["${r.host}"]`);
  });

  it.each([
    ['a string', 'bot:pw'],
    ['an empty object', {}],
    ['a number as password', { username: 'bot', password: 5 }],
    ['a registry token with a line break', { registryToken: 'abc\ndef' }],
    ['an empty identity token', { identityToken: '' }],
  ])('fails with CREDENTIAL_CONFIG when a provider returns %s', async (_what, credential) => {
    const r = await registry({ auth: { bearer: {} } });
    const credentials = (async () => credential) as unknown as CredentialProvider;
    const error = await expectCode(
      new RegistryClient({ credentials }).listTags(`${r.host}/team/app`),
      RegistryError,
      'CREDENTIAL_CONFIG',
    );
    expect(error.message).toContain(r.host);
  });

  it('treats a provider returning null as no credential', async () => {
    const r = await registry({ auth: { bearer: {} } });
    const credentials = (async () => null) as unknown as CredentialProvider;
    expect(await new RegistryClient({ credentials }).listTags(`${r.host}/team/app`)).toEqual([
      '1.0',
      '2.0',
    ]);
  });

  it('fails with INVALID_RESPONSE when the token endpoint issues a token with a line break', async () => {
    const { host } = await server((request, response, origin) => {
      if (request.url?.startsWith('/token')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ token: 'issued-token\r\nx-injected: 1' }));
      }
      response
        .writeHead(401, { 'www-authenticate': `Bearer realm="${origin}/token",service="s"` })
        .end();
    });
    const error = await expectCode(
      new RegistryClient().listTags(`${host}/team/app`),
      RegistryError,
      'INVALID_RESPONSE',
    );
    expect(error.message).not.toContain('issued-token');
  });
});

/** What a loopback registry saw: method, path with query, Authorization, body. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * A loopback registry whose `/v2/` answers 401 with `challenge` (given the origin)
 * unless a Bearer token is sent, and whose `/token` answers `token(…)`: a status
 * and a raw body, for the token responses the testkit registry never sends.
 */
async function tokenServer(
  token: (seen: Seen) => { status?: number; body: string },
  challenge: (origin: string) => string = (origin) =>
    `Bearer realm="${origin}/token",service="reg.test",scope="repository:team/app:pull"`,
) {
  const seen: Seen[] = [];
  const { host } = await server((request, response, origin) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(entry);
      if (entry.url.startsWith('/token')) {
        const { status = 200, body } = token(entry);
        response.writeHead(status, { 'content-type': 'application/json' });
        return void response.end(body);
      }
      if (entry.authorization?.startsWith('Bearer ')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ name: 'team/app', tags: ['1.0'] }));
      }
      response.writeHead(401, { 'www-authenticate': challenge(origin) }).end();
    });
  });
  const tokenRequests = () => seen.filter((entry) => entry.url.startsWith('/token'));
  const scopesAsked = (i: number) =>
    new URL(tokenRequests()[i]!.url, 'http://x').searchParams.getAll('scope');
  return { host, seen, tokenRequests, scopesAsked };
}

describe('the scope a Bearer challenge names', () => {
  it('is asked for next to the repository scope when it differs', async () => {
    const s = await tokenServer(
      () => ({ body: JSON.stringify({ token: 't' }) }),
      (origin) =>
        `Bearer realm="${origin}/token",service="reg.test",scope="repository:team/app:pull,push"`,
    );
    expect(await new RegistryClient().listTags(`${s.host}/team/app`)).toEqual(['1.0']);
    expect(s.scopesAsked(0)).toEqual(['repository:team/app:pull', 'repository:team/app:pull,push']);
    expect(new URL(s.tokenRequests()[0]!.url, 'http://x').searchParams.get('service')).toBe(
      'reg.test',
    );
  });

  it('is asked for once when it is the repository scope', async () => {
    const s = await tokenServer(() => ({ body: JSON.stringify({ token: 't' }) }));
    await new RegistryClient().listTags(`${s.host}/team/app`);
    expect(s.scopesAsked(0)).toEqual(['repository:team/app:pull']);
  });

  it('goes with the identity-token POST too, in one space-separated scope', async () => {
    const s = await tokenServer(
      () => ({ body: JSON.stringify({ access_token: 't' }) }),
      (origin) => `Bearer realm="${origin}/token",service="reg.test",scope="registry:catalog:*"`,
    );
    const client = new RegistryClient({
      credentials: creds(s.host, { identityToken: 'refresh-abc' }),
    });
    expect(await client.listTags(`${s.host}/team/app`)).toEqual(['1.0']);
    const post = s.tokenRequests()[0]!;
    expect(post.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(post.body))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'tagsmith',
      service: 'reg.test',
      scope: 'repository:team/app:pull registry:catalog:*',
      refresh_token: 'refresh-abc',
    });
    expect(post.authorization).toBeUndefined();
  });

  it('and a challenge without service sends no service, on GET and on POST', async () => {
    const s = await tokenServer(
      (seen) => (seen.method === 'POST' ? { status: 404, body: '{}' } : { body: '{"token":"t"}' }),
      (origin) => `Bearer realm="${origin}/token"`,
    );
    const client = new RegistryClient({
      credentials: creds(s.host, { identityToken: 'refresh-abc' }),
    });
    expect(await client.listTags(`${s.host}/team/app`)).toEqual(['1.0']);
    const [post, get] = s.tokenRequests();
    expect(new URLSearchParams(post!.body).has('service')).toBe(false);
    expect(new URL(get!.url, 'http://x').searchParams.has('service')).toBe(false);
    expect(get!.authorization).toBe(
      `Basic ${Buffer.from('<token>:refresh-abc').toString('base64')}`,
    );
  });
});

describe('token responses', () => {
  const answering = (body: string) => tokenServer(() => ({ body }));

  it.each([
    ['an empty object', '{}'],
    ['an empty token', '{"token":""}'],
    ['an empty token and an empty access_token', '{"token":"","access_token":""}'],
    ['a number as token', '{"token":5}'],
    ['a null access_token', '{"access_token":null}'],
    ['an object as token', '{"token":{"value":"t"}}'],
    ['JSON null', 'null'],
    ['a JSON array', '["t"]'],
    ['a JSON string', '"t"'],
  ])('refuses %s with INVALID_RESPONSE naming the token request', async (_, body) => {
    const s = await answering(body);
    const error = await expectCode(
      new RegistryClient().listTags(`${s.host}/team/app`),
      RegistryError,
      'INVALID_RESPONSE',
    );
    expect(error.status).toBe(200);
    expect(error.method).toBe('GET');
    expect(error.url).toContain('/token?service=reg.test&scope=');
    expect(error.message).toContain('neither "token" nor "access_token"');
  });

  it.each([
    ['not JSON', 'token=abc'],
    ['cut short', '{"token":"abc'],
  ])('refuses a body that is %s with INVALID_RESPONSE', async (_, body) => {
    const s = await answering(body);
    const error = await expectCode(
      new RegistryClient().listTags(`${s.host}/team/app`),
      RegistryError,
      'INVALID_RESPONSE',
    );
    expect(error.status).toBe(200);
    expect(error.message).toContain('token response');
    expect(error.message).not.toContain('abc');
  });

  it.each([
    ['token over access_token', '{"token":"a","access_token":"b"}', 'Bearer a'],
    ['access_token when token is empty', '{"token":"","access_token":"b"}', 'Bearer b'],
    ['access_token when token is not a string', '{"token":7,"access_token":"b"}', 'Bearer b'],
  ])('takes %s', async (_, body, sent) => {
    const s = await answering(body);
    expect(await new RegistryClient().listTags(`${s.host}/team/app`)).toEqual(['1.0']);
    expect(s.seen.at(-1)!.authorization).toBe(sent);
  });

  it('names the realm it obtained a token from in a debug line, never the token', async () => {
    const s = await answering(JSON.stringify({ token: SECRET_CANARY }));
    const lines: string[] = [];
    await new RegistryClient({ logger: { debug: (line) => lines.push(line) } }).listTags(
      `${s.host}/team/app`,
    );
    expect(lines).toContain(`obtained a token for repository:team/app:pull from http://${s.host}`);
    expect(lines.join('\n')).not.toContain(SECRET_CANARY);
  });

  it('fails with UNEXPECTED_STATUS, not UNAUTHORIZED, for a token endpoint error', async () => {
    const s = await tokenServer(() => ({ status: 400, body: '{}' }));
    const error = await expectCode(
      new RegistryClient().listTags(`${s.host}/team/app`),
      RegistryError,
      'UNEXPECTED_STATUS',
    );
    expect(error.status).toBe(400);
  });

  it('fails with INVALID_RESPONSE when the realm is not a URL, before any token request', async () => {
    const s = await tokenServer(
      () => ({ body: '{"token":"t"}' }),
      () => 'Bearer realm="/token",service="reg.test"',
    );
    await expectCode(
      new RegistryClient().listTags(`${s.host}/team/app`),
      RegistryError,
      'INVALID_RESPONSE',
    );
    expect(s.tokenRequests()).toHaveLength(0);
  });
});

describe('expires_in', () => {
  /** Token requests after a first listing and one at `laterS` seconds, with `expires_in` as given. */
  const tokensFetched = async (expiresIn: unknown, laterS: number) => {
    const s = await tokenServer(() => ({
      body: JSON.stringify({ token: 't', expires_in: expiresIn }),
    }));
    let now = Date.parse('2030-01-01T00:00:00Z');
    const client = new RegistryClient({ clock: () => now });
    await client.listTags(`${s.host}/team/app`);
    now += laterS * 1000;
    await client.listTags(`${s.host}/team/app`);
    return s.tokenRequests().length;
  };

  it('keeps a token for its lifetime in seconds, less the margin', async () => {
    expect(await tokensFetched(300, 269)).toBe(1);
    expect(await tokensFetched(300, 270)).toBe(2);
  });

  it.each([
    ['a string', '300'],
    ['null', null],
    ['zero', 0],
    ['negative', -5],
  ])('takes the default 60 s for an expires_in that is %s', async (_, expiresIn) => {
    expect(await tokensFetched(expiresIn, 53)).toBe(1);
    expect(await tokensFetched(expiresIn, 54)).toBe(2);
  });
});

describe('challenges that cannot be answered', () => {
  it('skips a Bearer challenge without realm and answers the Basic one next to it', async () => {
    const basic = `Basic ${Buffer.from('bot:pw').toString('base64')}`;
    const seen: (string | undefined)[] = [];
    const { host } = await server((request, response) => {
      seen.push(request.headers.authorization);
      if (request.headers.authorization === basic) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end('{"name":"team/app","tags":["1.0"]}');
      }
      response.writeHead(401, { 'www-authenticate': 'Bearer service="x", Basic realm="r"' }).end();
    });
    const client = new RegistryClient({
      credentials: creds(host, { username: 'bot', password: 'pw' }),
    });
    expect(await client.listTags(`${host}/team/app`)).toEqual(['1.0']);
    expect(seen).toEqual([undefined, basic]);
  });

  it('fails with UNAUTHORIZED for a Basic challenge when the credential is an identity token', async () => {
    const r = await registry({ auth: { basic: { username: 'bot', password: 'pw' } } });
    const client = new RegistryClient({
      credentials: creds(r.host, { identityToken: 'refresh-abc' }),
    });
    const error = await expectCode(
      client.listTags(`${r.host}/team/app`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.message).toContain(`no username/password for ${r.host}`);
    expect(r.requests).toHaveLength(1);
  });

  it('fails with UNAUTHORIZED for a scheme it does not speak', async () => {
    const { host } = await server((_request, response) => {
      response.writeHead(401, { 'www-authenticate': 'Negotiate abc==' }).end();
    });
    const error = await expectCode(
      new RegistryClient().listTags(`${host}/team/app`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.message).toContain('no Bearer or Basic challenge to answer');
  });
});
