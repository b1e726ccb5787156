import { chmod, mkdir, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { expectCode, SECRET_CANARY as SECRET, tempDir } from '@tagsmith/test-utils';
import type { FaultRule, RegistryAuth } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import {
  type Credential,
  type CredentialProvider,
  dockerConfigCredentials,
  RegistryClient,
  RegistryError,
  type RegistryErrorCode,
  staticCredentials,
} from '../src/index.js';
import { expectNoCredential, type Handler, useRegistries, useServers } from './setup.js';

const registry = useRegistries({ app: ['1.0'] });
const server = useServers();

/**
 * Every form a leaked secret could take, in the error (every rendering, down its
 * cause chain) and in the log lines: itself, inside Basic auth, or a token issued for it.
 */
function assertNoSecret(error: unknown, lines: readonly string[]) {
  expectNoCredential(error, lines);
  for (const text of [JSON.stringify(error), ...lines]) {
    expect(text).not.toMatch(/Bearer [0-9a-f]{16,}/);
    expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
  }
}

function clientWith(credentials: CredentialProvider, extra = {}) {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const client = new RegistryClient({
    credentials,
    logger: { debug: log, warn: log },
    retry: { attempts: 2, baseDelayMs: 1 },
    ...extra,
  });
  return { client, lines };
}

/** A helper executable that hands out `bot` / SECRET for any server. */
async function helperConfig(): Promise<{ path: string; env: NodeJS.ProcessEnv }> {
  const dir = (await tempDir('leak')).path;
  await mkdir(join(dir, 'bin'));
  const helper = join(dir, 'bin', 'docker-credential-leaktest');
  await writeFile(
    helper,
    `#!/bin/sh\nread server\nprintf '{"ServerURL":"%s","Username":"bot","Secret":"${SECRET}"}' "$server"\n`,
  );
  await chmod(helper, 0o755);
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify({ credsStore: 'leaktest' }));
  return { path, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}` } };
}

type Case = {
  name: string;
  auth: RegistryAuth;
  credential: Credential | 'docker-config-helper' | 'docker-config-auths';
  faults?: FaultRule[];
  timeoutMs?: number;
  code: RegistryErrorCode;
};

const cases: Case[] = [
  {
    name: 'Basic, wrong password',
    auth: { basic: { username: 'bot', password: 'right' } },
    credential: { username: 'bot', password: SECRET },
    code: 'UNAUTHORIZED',
  },
  {
    name: 'Basic, registry failing',
    auth: { basic: { username: 'bot', password: SECRET } },
    credential: { username: 'bot', password: SECRET },
    faults: [{ path: '/v2/app/tags/list', status: 500, times: Infinity }],
    code: 'UNAVAILABLE',
  },
  {
    name: 'Basic, request timing out',
    auth: { basic: { username: 'bot', password: SECRET } },
    credential: { username: 'bot', password: SECRET },
    faults: [{ path: '/v2/app/tags/list', delayMs: 2000 }],
    timeoutMs: 100,
    code: 'TIMEOUT',
  },
  {
    name: 'Bearer, token endpoint rejecting the password',
    auth: { bearer: { username: 'bot', password: 'right' } },
    credential: { username: 'bot', password: SECRET },
    code: 'UNAUTHORIZED',
  },
  {
    name: 'Bearer, connection resets after a token',
    auth: { bearer: { username: 'bot', password: SECRET } },
    credential: { username: 'bot', password: SECRET },
    faults: [{ path: '/v2/app/tags/list', reset: true, times: Infinity }],
    code: 'NETWORK',
  },
  {
    name: 'identity token rejected by the OAuth2 POST',
    auth: { bearer: { identityToken: 'right' } },
    credential: { identityToken: SECRET },
    code: 'UNAUTHORIZED',
  },
  {
    name: 'identity token rejected by the GET fallback',
    auth: { bearer: { identityToken: 'right' } },
    credential: { identityToken: SECRET },
    faults: [{ method: 'POST', path: '/token', status: 404 }],
    code: 'UNAUTHORIZED',
  },
  {
    name: 'identity token accepted, registry failing',
    auth: { bearer: { identityToken: SECRET } },
    credential: { identityToken: SECRET },
    faults: [{ path: '/v2/app/tags/list', status: 503, times: Infinity }],
    code: 'UNAVAILABLE',
  },
  {
    name: 'registry token rejected',
    auth: { bearer: {} },
    credential: { registryToken: SECRET },
    code: 'UNAUTHORIZED',
  },
  {
    // fetch refuses the header with a TypeError quoting it whole, `Bearer <token>` included.
    name: 'registry token with a trailing newline, as read from a file',
    auth: { bearer: {} },
    credential: { registryToken: `${SECRET}\n` },
    code: 'CREDENTIAL_CONFIG',
  },
  {
    name: 'docker config credential helper, wrong password',
    auth: { basic: { username: 'bot', password: 'right' } },
    credential: 'docker-config-helper',
    code: 'UNAUTHORIZED',
  },
  {
    name: 'docker config auths entry, wrong password',
    auth: { bearer: { username: 'bot', password: 'right' } },
    credential: 'docker-config-auths',
    code: 'UNAUTHORIZED',
  },
];

describe('no secret in errors or logs', () => {
  it.each(cases)('$name -> $code', async (c) => {
    const r = await registry({
      auth: c.auth,
      ...(c.faults === undefined ? {} : { faults: c.faults }),
    });
    let credentials: CredentialProvider;
    if (c.credential === 'docker-config-helper') {
      credentials = dockerConfigCredentials(await helperConfig());
    } else if (c.credential === 'docker-config-auths') {
      const dir = (await tempDir('leak')).path;
      const path = join(dir, 'config.json');
      const auth = Buffer.from(`bot:${SECRET}`).toString('base64');
      await writeFile(path, JSON.stringify({ auths: { [r.host]: { auth } } }));
      credentials = dockerConfigCredentials({ path, env: {} });
    } else {
      credentials = staticCredentials({ [r.host]: c.credential });
    }
    const { client, lines } = clientWith(
      credentials,
      c.timeoutMs ? { timeoutMs: c.timeoutMs } : {},
    );
    const error = await expectCode(client.listTags(`${r.host}/app`), RegistryError, c.code);
    expect(lines.length).toBeGreaterThan(0);
    assertNoSecret(error, lines);
  });
});

/** A loopback server that records the Authorization header of every request it gets. */
async function recordingServer(handle: Handler) {
  const seen: { path: string; authorization: string | undefined }[] = [];
  const started = await server((request, response, origin) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    handle(request, response, origin);
  });
  return { ...started, seen };
}

function json(response: ServerResponse, status: number, body: unknown, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The other host: serves a tag list to anyone and remembers who sent what. */
const otherHost = () =>
  recordingServer((_request, response) =>
    json(response, 200, { name: 'app', tags: ['elsewhere'] }),
  );

describe('Authorization stays with its origin', () => {
  it('drops Basic on a redirect to another origin, keeps it on a same-origin one', async () => {
    const other = await otherHost();
    const registryServer = await recordingServer((request, response, origin) => {
      if (
        request.headers.authorization !== `Basic ${Buffer.from(`bot:${SECRET}`).toString('base64')}`
      ) {
        return json(
          response,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'login' }] },
          {
            'www-authenticate': 'Basic realm="r"',
          },
        );
      }
      if (request.url?.startsWith('/v2/app/')) {
        response.writeHead(307, { location: `${origin}/v2/moved/tags/list?n=1000` }).end();
      } else {
        response.writeHead(302, { location: `${other.origin}/v2/app/tags/list?n=1000` }).end();
      }
    });
    const { client } = clientWith(
      staticCredentials({ [registryServer.host]: { username: 'bot', password: SECRET } }),
    );
    expect(await client.listTags(`${registryServer.host}/app`)).toEqual(['elsewhere']);
    expect(registryServer.seen.map((s) => [s.path, s.authorization?.split(' ')[0]])).toEqual([
      ['/v2/app/tags/list?n=1000', undefined],
      ['/v2/app/tags/list?n=1000', 'Basic'],
      ['/v2/moved/tags/list?n=1000', 'Basic'],
    ]);
    expect(other.seen).toEqual([{ path: '/v2/app/tags/list?n=1000', authorization: undefined }]);
  });

  it('drops a Bearer token on a redirect to another origin', async () => {
    const other = await otherHost();
    const registryServer = await recordingServer((request, response, origin) => {
      if (request.url?.startsWith('/token')) return json(response, 200, { token: `tok-${SECRET}` });
      if (request.headers.authorization !== `Bearer tok-${SECRET}`) {
        return json(
          response,
          401,
          {},
          {
            'www-authenticate': `Bearer realm="${origin}/token",service="s"`,
          },
        );
      }
      response.writeHead(308, { location: `${other.origin}/v2/app/tags/list?n=1000` }).end();
    });
    const { client } = clientWith(staticCredentials({}));
    expect(await client.listTags(`${registryServer.host}/app`)).toEqual(['elsewhere']);
    expect(other.seen).toEqual([{ path: '/v2/app/tags/list?n=1000', authorization: undefined }]);
  });

  /** A registry whose Bearer realm is a second loopback server (another origin). */
  async function registryWithRealmElsewhere() {
    const realm = await recordingServer((_request, response) =>
      json(response, 200, { token: `tok-${SECRET}` }),
    );
    const registryServer = await recordingServer((request, response) => {
      if (request.headers.authorization === `Bearer tok-${SECRET}`) {
        return json(response, 200, { name: 'app', tags: ['ok'] });
      }
      json(response, 401, {}, { 'www-authenticate': `Bearer realm="${realm.origin}/token"` });
    });
    return { realm, registryServer };
  }
  const basicOf = (username: string, password: string) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  it('sends Basic only to a realm on another host, and the token only to the registry', async () => {
    const { realm, registryServer } = await registryWithRealmElsewhere();
    const { client, lines } = clientWith(
      staticCredentials({ [registryServer.host]: { username: 'bot', password: SECRET } }),
    );
    expect(await client.listTags(`${registryServer.host}/app`)).toEqual(['ok']);
    expect(await client.listTags(`${registryServer.host}/app`)).toEqual(['ok']);
    expect(realm.seen.map((s) => s.authorization)).toEqual([basicOf('bot', SECRET)]);
    expect(registryServer.seen.map((s) => s.authorization)).toEqual([
      undefined,
      `Bearer tok-${SECRET}`,
      `Bearer tok-${SECRET}`,
    ]);
    for (const line of lines) expect(line).not.toContain(SECRET);
  });

  it('sends no Authorization to a realm on another host without a credential', async () => {
    const { realm, registryServer } = await registryWithRealmElsewhere();
    // A credential exists, but for another registry: it must not reach this realm.
    const { client } = clientWith(
      staticCredentials({ 'ghcr.io': { username: 'bot', password: SECRET } }),
    );
    expect(await client.listTags(`${registryServer.host}/app`)).toEqual(['ok']);
    expect(realm.seen.map((s) => s.authorization)).toEqual([undefined]);
  });

  it('drops Basic when the token realm redirects to another origin', async () => {
    const other = await recordingServer((_request, response) =>
      json(response, 200, { token: 'x' }),
    );
    const registryServer = await recordingServer((request, response, origin) => {
      if (request.url?.startsWith('/token')) {
        response.writeHead(307, { location: `${other.origin}/token` }).end();
        return;
      }
      if (request.headers.authorization === 'Bearer x') {
        return json(response, 200, { name: 'app', tags: ['ok'] });
      }
      json(response, 401, {}, { 'www-authenticate': `Bearer realm="${origin}/token"` });
    });
    const { client } = clientWith(
      staticCredentials({ [registryServer.host]: { username: 'bot', password: SECRET } }),
    );
    expect(await client.listTags(`${registryServer.host}/app`)).toEqual(['ok']);
    expect(registryServer.seen.find((s) => s.path.startsWith('/token'))?.authorization).toMatch(
      /^Basic /,
    );
    expect(other.seen).toEqual([{ path: '/token', authorization: undefined }]);
  });

  it('follows a cross-origin next link on the registry itself, so nothing reaches the other host', async () => {
    const other = await otherHost();
    const r = await registry({
      auth: { basic: { username: 'bot', password: SECRET } },
      faults: [
        {
          path: '/v2/app/tags/list',
          link: { next: `${other.origin}/v2/app/tags/list?n=1&last=1.0` },
        },
      ],
    });
    await r.pushTags('app', ['2.0']);
    const { client, lines } = clientWith(
      staticCredentials({ [r.host]: { username: 'bot', password: SECRET } }),
      { pageSize: 1 },
    );
    expect(await client.listTags(`${r.host}/app`)).toEqual(['1.0', '2.0']);
    expect(other.seen).toEqual([]);
    const second = r.requests.find((q) => q.path === '/v2/app/tags/list?n=1&last=1.0');
    expect(second?.headers.authorization).toBe(basicOf('bot', SECRET));
    for (const line of lines) expect(line).not.toContain(SECRET);
    expect(lines.some((line) => line.includes(other.origin))).toBe(true);
  });

  it('refuses a redirect to plain HTTP on a non-loopback host', async () => {
    const registryServer = await recordingServer((_request, response) => {
      response
        .writeHead(302, { location: 'http://registry.example.invalid/v2/app/tags/list' })
        .end();
    });
    const error = await expectCode(
      new RegistryClient().listTags(`${registryServer.host}/app`),
      RegistryError,
      'INSECURE_REGISTRY',
    );
    expect(error.url).toBe('http://registry.example.invalid/v2/app/tags/list');
  });

  it('redacts userinfo and signed query parameters from error URLs', async () => {
    const registryServer = await recordingServer((_request, response) => {
      response
        .writeHead(302, {
          location: `http://u:${SECRET}@blob.example.invalid/x?X-Amz-Signature=${SECRET}&token=${SECRET}&n=1`,
        })
        .end();
    });
    const { client, lines } = clientWith(staticCredentials({}));
    const error = await expectCode(
      client.listTags(`${registryServer.host}/app`),
      RegistryError,
      'INSECURE_REGISTRY',
    );
    expect(error.url).toBe(
      'http://blob.example.invalid/x?X-Amz-Signature=REDACTED&token=REDACTED&n=1',
    );
    assertNoSecret(error, lines);
  });

  it('redacts a looping Link that carries a token, in the PAGINATION_LOOP message', async () => {
    const registryServer = await recordingServer((_request, response) => {
      json(
        response,
        200,
        { name: 'app', tags: ['1.0'] },
        {
          link: `</v2/app/tags/list?n=1&access_token=${SECRET}>; rel="next"`,
        },
      );
    });
    const { client, lines } = clientWith(staticCredentials({}), { pageSize: 1 });
    const error = await expectCode(
      client.listTags(`${registryServer.host}/app`),
      RegistryError,
      'PAGINATION_LOOP',
    );
    expect(error.message).toContain('access_token=REDACTED');
    assertNoSecret(error, lines);
  });

  // octokit's RequestError redacts in its constructor; so does RegistryError, so a
  // call site that builds one by hand cannot forget to.
  it('redacts a hand-built error: its url (string or URL) and every URL in its message', () => {
    const raw = `https://u:${SECRET}@blob.example.invalid/x?X-Amz-Signature=${SECRET}&n=1`;
    const redacted = 'https://blob.example.invalid/x?X-Amz-Signature=REDACTED&n=1';
    for (const url of [raw, new URL(raw)]) {
      const error = new RegistryError('NETWORK', `[GET] ${raw}: reset (see '${raw}').`, { url });
      expect(error.url).toBe(redacted);
      expect(error.message).toContain(`${redacted}: reset`);
      expect(error.message).toContain(`'${redacted}').`);
      assertNoSecret(error, []);
    }
  });

  it('leaves a URL with nothing to hide as written, and fields it was not given absent', () => {
    const error = new RegistryError('NETWORK', 'GET https://Host.example/v2/?n=1: reset');
    expect(error.message).toBe('GET https://Host.example/v2/?n=1: reset');
    expect(error).toMatchObject({ name: 'RegistryError', code: 'NETWORK' });
    for (const field of ['registry', 'url', 'status', 'method', 'repository', 'cause']) {
      expect(error).not.toHaveProperty(field);
    }
  });
});
