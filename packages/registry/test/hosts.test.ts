// The `hosts` option against the testkit registry: Flux manifests say
// `registry.example.com/team/app`, a local registry serves it. The name stays
// what references, credentials and messages use; only requests move.
import type { ServerResponse } from 'node:http';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type Credential,
  type CredentialProvider,
  RegistryClient,
  RegistryError,
  staticCredentials,
} from '../src/index.js';
import { useRegistries, useServers } from './setup.js';

const registry = useRegistries({ 'team/app': ['1.0.0', '1.1.0', '2.0.0'] });
const server = useServers();
const NAME = 'registry.example.com';
const basic = { username: 'bot', password: 'pass-for-registry-example' };

/** A provider that answers for `registry.example.com` only and remembers every key asked. */
function recordingCredentials(map: Record<string, Credential>): {
  credentials: CredentialProvider;
  asked: string[];
} {
  const asked: string[] = [];
  const inner = staticCredentials(map);
  return {
    asked,
    credentials: (key) => {
      asked.push(key);
      return inner(key);
    },
  };
}

describe('hosts: a registry served by another endpoint', () => {
  it('lists, pages and resolves registry.example.com on the testkit registry with its Basic credentials', async () => {
    const r = await registry({ auth: { basic } });
    const { credentials, asked } = recordingCredentials({ [NAME]: basic });
    const client = new RegistryClient({
      credentials,
      hosts: { [NAME]: { endpoint: r.url } },
      pageSize: 2,
    });
    expect(await client.listTags(`${NAME}/team/app`)).toEqual(['1.0.0', '1.1.0', '2.0.0']);
    const pages: string[][] = [];
    for await (const page of client.tags(`${NAME}/team/app`)) pages.push(page);
    expect(pages).toEqual([['1.0.0', '1.1.0'], ['2.0.0']]);
    const pushed = await r.pushImage('team/app', '3.0.0');
    expect(await client.resolveDigest(`${NAME}/team/app:3.0.0`)).toBe(pushed.digest);
    expect(new Set(asked)).toEqual(new Set([NAME]));
    expect(r.requests.every((q) => q.path === '/v2/' || q.path.startsWith('/v2/team/app/'))).toBe(
      true,
    );
  });

  it('gets Bearer tokens from the endpoint with credentials keyed by the name', async () => {
    const r = await registry({ auth: { bearer: basic } });
    const { credentials, asked } = recordingCredentials({ [NAME]: basic });
    const client = new RegistryClient({ credentials, hosts: { [NAME]: { endpoint: r.url } } });
    expect(await client.listTags(`${NAME}/team/app`)).toEqual(['1.0.0', '1.1.0', '2.0.0']);
    expect(asked).toEqual([NAME]);
    const token = r.requests.find((q) => q.path.startsWith('/token'));
    expect(token?.headers.authorization).toMatch(/^Basic /);
  });

  it('does not use credentials stored for the endpoint host', async () => {
    const r = await registry({ auth: { basic } });
    const client = new RegistryClient({
      credentials: staticCredentials({ [r.host]: basic }),
      hosts: { [NAME]: { endpoint: r.url } },
    });
    const error = await expectCode(
      client.listTags(`${NAME}/team/app`),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.registry).toBe(NAME);
    expect(error.message).toContain(NAME);
  });

  it('keeps the name in errors: registry, and the message beside the endpoint URL', async () => {
    const r = await registry();
    const client = new RegistryClient({ hosts: { [NAME]: { endpoint: r.url } } });
    const error = await expectCode(
      client.listTags(`${NAME}/team/missing`),
      RegistryError,
      'NAME_UNKNOWN',
    );
    expect(error.registry).toBe(NAME);
    expect(error.url).toBe(`${r.url}/v2/team/missing/tags/list?n=1000`);
    expect(error.message).toContain(NAME);
  });

  it('still reaches a token realm on another host, Bearer only to the endpoint', async () => {
    const seen: { server: string; authorization: string | undefined }[] = [];
    const realm = await server((request, response) => {
      seen.push({ server: 'realm', authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ token: 'mapped-token' }));
    });
    const endpoint = await server((request, response) => {
      seen.push({ server: 'endpoint', authorization: request.headers.authorization });
      if (request.headers.authorization === 'Bearer mapped-token') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ name: 'team/app', tags: ['1.0.0'] }));
        return;
      }
      response.writeHead(401, {
        'www-authenticate': `Bearer realm="${realm.origin}/token",service="example"`,
      });
      response.end();
    });
    const client = new RegistryClient({
      credentials: staticCredentials({ [NAME]: basic }),
      hosts: { [NAME]: { endpoint: endpoint.origin } },
    });
    expect(await client.listTags(`${NAME}/team/app`)).toEqual(['1.0.0']);
    const basicValue = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    expect(seen).toEqual([
      { server: 'endpoint', authorization: undefined },
      { server: 'realm', authorization: basicValue },
      { server: 'endpoint', authorization: 'Bearer mapped-token' },
    ]);
  });

  it('keeps the credentials of two names on one endpoint apart', async () => {
    const r = await registry({ auth: { basic } });
    const client = new RegistryClient({
      credentials: staticCredentials({
        [NAME]: basic,
        'other.example.com': { username: 'bot', password: 'wrong' },
      }),
      hosts: { [NAME]: { endpoint: r.url }, 'other.example.com': { endpoint: r.url } },
    });
    expect(await client.listTags(`${NAME}/team/app`)).toHaveLength(3);
    // Had the Basic value been cached by origin, the other name would ride on it.
    const error = await expectCode(
      client.listTags('other.example.com/team/app'),
      RegistryError,
      'UNAUTHORIZED',
    );
    expect(error.registry).toBe('other.example.com');
  });

  it('maps docker.io, keeping library/ and Hub credential key', async () => {
    const r = await registry({ auth: { basic } }, { 'library/nginx': ['1.27'] });
    const { credentials, asked } = recordingCredentials({ 'https://index.docker.io/v1/': basic });
    const client = new RegistryClient({ credentials, hosts: { 'docker.io': { endpoint: r.url } } });
    expect(await client.listTags('nginx')).toEqual(['1.27']);
    expect(asked).toEqual(['https://index.docker.io/v1/']);
  });

  it('takes an http:// endpoint as the opt-in to plain HTTP there, and only there', async () => {
    const r = await registry();
    // 0.0.0.0 reaches the loopback server on Linux but is no loopback name, so
    // without the hosts entry plain HTTP to it would be refused.
    const endpoint = r.url.replace('127.0.0.1', '0.0.0.0');
    const client = new RegistryClient({ hosts: { [NAME]: { endpoint } } });
    expect(await client.listTags(`${NAME}/team/app`)).toHaveLength(3);

    const redirecting = await server((_request, response: ServerResponse) => {
      response.writeHead(302, { location: 'http://plain.example.invalid/v2/team/app/tags/list' });
      response.end();
    });
    const elsewhere = new RegistryClient({
      hosts: { [NAME]: { endpoint: redirecting.origin.replace('127.0.0.1', '0.0.0.0') } },
    });
    await expectCode(elsewhere.listTags(`${NAME}/team/app`), RegistryError, 'INSECURE_REGISTRY');
  });

  it('refuses a bad hosts option with INVALID_ARGUMENT naming the key', () => {
    const error = expectCode(
      () => new RegistryClient({ hosts: { [NAME]: { endpoint: 'https://u:p@mirror.internal' } } }),
      RegistryError,
      'INVALID_ARGUMENT',
    );
    expect(error.message).toContain(NAME);
  });
});
