import { describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../src/index.js';

/** The token endpoint's JSON answer, as the distribution token spec defines it. */
interface TokenAnswer {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
  refresh_token?: string;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"` into its parameters. */
function bearerParams(header: string | null): Record<string, string> {
  expect(header).toMatch(/^Bearer /);
  const params: Record<string, string> = {};
  for (const match of header!.matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return params;
}

async function tokenFor(
  registry: TestRegistry,
  scope: string,
  authorization?: string,
): Promise<string> {
  const url = new URL('/token', registry.url);
  url.searchParams.set('service', 'testkit');
  url.searchParams.set('scope', scope);
  const response = await fetch(url, { headers: authorization ? { authorization } : {} });
  expect(response.status).toBe(200);
  return ((await response.json()) as TokenAnswer).token;
}

describe('Basic auth', () => {
  const auth = { basic: { username: 'bot', password: 's3cret' } };

  it('challenges anonymous requests with Basic and a 401 OCI error', async () => {
    await using registry = await startRegistry({ auth });
    await registry.pushTags('app', ['a']);
    for (const path of ['/v2/', '/v2/app/tags/list']) {
      const response = await fetch(`${registry.url}${path}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="testkit"');
      expect(await response.json()).toMatchObject({ errors: [{ code: 'UNAUTHORIZED' }] });
    }
  });

  it('accepts the right credentials and refuses wrong ones', async () => {
    await using registry = await startRegistry({ auth });
    await registry.pushTags('app', ['a']);
    const ok = await fetch(`${registry.url}/v2/app/tags/list`, {
      headers: { authorization: basic('bot', 's3cret') },
    });
    expect(await ok.json()).toEqual({ name: 'app', tags: ['a'] });
    const wrong = await fetch(`${registry.url}/v2/app/tags/list`, {
      headers: { authorization: basic('bot', 'nope') },
    });
    expect(wrong.status).toBe(401);
  });

  it('has no token endpoint', async () => {
    await using registry = await startRegistry({ auth });
    expect((await fetch(`${registry.url}/token?service=testkit`)).status).toBe(404);
  });
});

describe('Bearer auth', () => {
  it('challenges with realm, service and the repository pull scope', async () => {
    await using registry = await startRegistry({ auth: { bearer: {} } });
    await registry.pushTags('team/app', ['a']);
    const base = await fetch(`${registry.url}/v2/`);
    expect(base.status).toBe(401);
    expect(base.headers.get('www-authenticate')).toBe(
      `Bearer realm="${registry.url}/token",service="testkit"`,
    );
    const tags = await fetch(`${registry.url}/v2/team/app/tags/list`);
    expect(tags.headers.get('www-authenticate')).toBe(
      `Bearer realm="${registry.url}/token",service="testkit",scope="repository:team/app:pull"`,
    );
    const push = await fetch(`${registry.url}/v2/team/app/blobs/uploads/`, { method: 'POST' });
    expect(bearerParams(push.headers.get('www-authenticate')).scope).toBe(
      'repository:team/app:pull,push',
    );
  });

  it('hands out anonymous tokens that grant the requested scope only', async () => {
    await using registry = await startRegistry({ auth: { bearer: { service: 'reg.test' } } });
    await registry.pushTags('app', ['a']);
    await registry.pushTags('other', ['b']);
    const challenge = bearerParams(
      (await fetch(`${registry.url}/v2/app/tags/list`)).headers.get('www-authenticate'),
    );
    expect(challenge.service).toBe('reg.test');
    const url = new URL(challenge.realm!);
    url.searchParams.set('service', challenge.service!);
    url.searchParams.set('scope', challenge.scope!);
    const answer = (await (await fetch(url)).json()) as TokenAnswer;
    expect(answer).toMatchObject({ expires_in: 300 });
    expect(answer.access_token).toBe(answer.token);
    expect(new Date(answer.issued_at).toString()).not.toBe('Invalid Date');
    const headers = { authorization: `Bearer ${answer.token}` };
    expect((await fetch(`${registry.url}/v2/app/tags/list`, { headers })).status).toBe(200);
    expect((await fetch(`${registry.url}/v2/`, { headers })).status).toBe(200);
    const other = await fetch(`${registry.url}/v2/other/tags/list`, { headers });
    expect(other.status).toBe(401);
    expect(bearerParams(other.headers.get('www-authenticate')).error).toBe('insufficient_scope');
  });

  it('rejects a token request for another service', async () => {
    await using registry = await startRegistry({ auth: { bearer: {} } });
    expect((await fetch(`${registry.url}/token?service=elsewhere`)).status).toBe(400);
  });

  it('requires Basic credentials at the token endpoint when configured', async () => {
    await using registry = await startRegistry({
      auth: { bearer: { username: 'bot', password: 'pw' } },
    });
    await registry.pushTags('app', ['a']);
    const url = `${registry.url}/token?service=testkit&scope=repository:app:pull`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: basic('bot', 'bad') } })).status).toBe(
      401,
    );
    const token = await tokenFor(registry, 'repository:app:pull', basic('bot', 'pw'));
    const tags = await fetch(`${registry.url}/v2/app/tags/list`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(tags.status).toBe(200);
  });

  it('expires tokens after expiresIn by the injected clock', async () => {
    let now = Date.UTC(2026, 0, 1);
    await using registry = await startRegistry({
      auth: { bearer: { expiresIn: 60 } },
      clock: () => now,
    });
    await registry.pushTags('app', ['a']);
    const token = await tokenFor(registry, 'repository:app:pull');
    const list = () =>
      fetch(`${registry.url}/v2/app/tags/list`, { headers: { authorization: `Bearer ${token}` } });
    now += 59_000;
    expect((await list()).status).toBe(200);
    now += 1_000;
    const expired = await list();
    expect(expired.status).toBe(401);
    expect(bearerParams(expired.headers.get('www-authenticate')).error).toBe('invalid_token');
  });

  it('rejects unknown tokens', async () => {
    await using registry = await startRegistry({ auth: { bearer: {} } });
    await registry.pushTags('app', ['a']);
    const response = await fetch(`${registry.url}/v2/app/tags/list`, {
      headers: { authorization: 'Bearer forged' },
    });
    expect(response.status).toBe(401);
  });

  it('exchanges an identity token through the OAuth2 POST refresh_token grant', async () => {
    await using registry = await startRegistry({
      auth: { bearer: { identityToken: 'id-token-1' } },
    });
    await registry.pushTags('app', ['a']);
    const post = (refreshToken: string) =>
      fetch(`${registry.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          service: 'testkit',
          scope: 'repository:app:pull',
          client_id: 'tagsmith',
        }),
      });
    expect((await post('wrong')).status).toBe(401);
    const answer = (await (await post('id-token-1')).json()) as TokenAnswer;
    expect(answer.refresh_token).toBe('id-token-1');
    const tags = await fetch(`${registry.url}/v2/app/tags/list`, {
      headers: { authorization: `Bearer ${answer.access_token}` },
    });
    expect(tags.status).toBe(200);
  });

  it('accepts the OAuth2 password grant and refuses unknown grants', async () => {
    await using registry = await startRegistry({
      auth: { bearer: { username: 'bot', password: 'pw' } },
    });
    const post = (form: Record<string, string>) =>
      fetch(`${registry.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({ service: 'testkit', ...form }),
      });
    expect((await post({ grant_type: 'password', username: 'bot', password: 'pw' })).status).toBe(
      200,
    );
    expect((await post({ grant_type: 'password', username: 'bot', password: 'no' })).status).toBe(
      401,
    );
    expect((await post({ grant_type: 'client_credentials' })).status).toBe(400);
  });

  it('accepts the identity token as the Basic password on GET (the fallback when POST is 404)', async () => {
    await using registry = await startRegistry({
      auth: { bearer: { identityToken: 'id-token-1' } },
      faults: [{ method: 'POST', path: '/token', status: 404, times: Number.POSITIVE_INFINITY }],
    });
    const post = await fetch(`${registry.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'id-token-1',
        service: 'testkit',
      }),
    });
    expect(post.status).toBe(404);
    await tokenFor(registry, 'repository:app:pull', basic('<token>', 'id-token-1'));
  });

  it('sends only the configured token response fields', async () => {
    await using registry = await startRegistry({
      auth: { bearer: { responseFields: ['access_token'] } },
    });
    const answer = (await (
      await fetch(`${registry.url}/token?service=testkit`)
    ).json()) as TokenAnswer;
    expect(Object.keys(answer)).toEqual(['access_token']);
  });
});
