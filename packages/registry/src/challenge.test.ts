import { describe, expect, it } from 'vitest';
import { parseChallenges } from './challenge.js';

const params = (header: string) =>
  parseChallenges(header).map((c) => [c.scheme, Object.fromEntries(c.params)]);

describe('parseChallenges', () => {
  it('parses a Docker Hub style Bearer challenge', () => {
    expect(
      params(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      ),
    ).toEqual([
      [
        'bearer',
        {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull',
        },
      ],
    ]);
  });

  it('splits several challenges in one header and keeps quoted commas', () => {
    expect(
      params(
        'Basic realm="Registry, with comma", Bearer realm="https://a/token", service="svc", scope="repository:x:pull,push"',
      ),
    ).toEqual([
      ['basic', { realm: 'Registry, with comma' }],
      ['bearer', { realm: 'https://a/token', service: 'svc', scope: 'repository:x:pull,push' }],
    ]);
  });

  it('unescapes backslashes in quoted strings and lower-cases names and schemes', () => {
    expect(params('BEARER Realm="a\\"b\\\\c", Error=insufficient_scope')).toEqual([
      ['bearer', { realm: 'a"b\\c', error: 'insufficient_scope' }],
    ]);
  });

  it('tolerates spaces around "=" and unquoted values', () => {
    expect(params('Bearer realm = https://x/token , service=reg')).toEqual([
      ['bearer', { realm: 'https://x/token', service: 'reg' }],
    ]);
  });

  it('skips token68 blobs and bare schemes', () => {
    expect(params('Negotiate abc==, Basic, Bearer realm="r"')).toEqual([
      ['negotiate', {}],
      ['basic', {}],
      ['bearer', { realm: 'r' }],
    ]);
  });

  it('returns nothing for an absent or empty header, and survives garbage', () => {
    expect(parseChallenges(null)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
    expect(params('=,="x", Bearer realm="unterminated')).toEqual([
      ['bearer', { realm: 'unterminated' }],
    ]);
  });
});
