import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors.js';
import { parseReference, toReference } from './reference.js';

const parts = (ref: string) => {
  const { registry, repository, tag, digest } = parseReference(ref);
  return { registry, repository, tag, digest };
};
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it('applies Docker Hub rules', () => {
    expect(parts('nginx')).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
    expect(parts('bitnami/redis:7.2')).toEqual({
      registry: 'docker.io',
      repository: 'bitnami/redis',
      tag: '7.2',
    });
    expect(parts('docker.io/nginx:1')).toMatchObject({ repository: 'library/nginx', tag: '1' });
    expect(parts('index.docker.io/library/nginx')).toMatchObject({ registry: 'docker.io' });
  });

  it('recognises a registry by a dot, a colon or localhost', () => {
    expect(parts('ghcr.io/org/app:v1')).toMatchObject({
      registry: 'ghcr.io',
      repository: 'org/app',
    });
    expect(parts('localhost:5000/a/b/c:latest')).toEqual({
      registry: 'localhost:5000',
      repository: 'a/b/c',
      tag: 'latest',
    });
    expect(parts('localhost/app')).toMatchObject({ registry: 'localhost', repository: 'app' });
    expect(parts('127.0.0.1:5000/app')).toMatchObject({ registry: '127.0.0.1:5000' });
    expect(parts('[::1]:5000/app')).toMatchObject({ registry: '[::1]:5000' });
    expect(parts('myorg/app')).toMatchObject({ registry: 'docker.io', repository: 'myorg/app' });
  });

  it('parses tags and digests together', () => {
    expect(parts(`ghcr.io/a/b:1.0@${DIGEST}`)).toEqual({
      registry: 'ghcr.io',
      repository: 'a/b',
      tag: '1.0',
      digest: DIGEST,
    });
    expect(parts(`nginx@${DIGEST}`)).toMatchObject({ tag: undefined, digest: DIGEST });
  });

  it('prints the canonical form', () => {
    expect(String(parseReference('nginx:1.25'))).toBe('docker.io/library/nginx:1.25');
    expect(parseReference(`localhost:5000/x@${DIGEST}`).toString()).toBe(
      `localhost:5000/x@${DIGEST}`,
    );
  });

  it.each([
    ['', 'empty'],
    ['Nginx', 'repository path component "Nginx"'],
    ['ghcr.io/org//app', 'repository path component ""'],
    ['ghcr.io/a__-b', 'repository path component "a__-b"'],
    ['ghcr.io/app:-bad', 'tag "-bad"'],
    [`ghcr.io/app:${'x'.repeat(129)}`, 'tag "xxx'],
    ['ghcr.io/app@sha256:abc', 'digest "sha256:abc" has the wrong length'],
    ['ghcr.io/app@nope', 'digest "nope" must look like algorithm:hex'],
    // blake3 is registered in the OCI image spec: its encoding is checked like sha256's.
    [`ghcr.io/app@blake3:${'a'.repeat(63)}`, 'has the wrong length'],
    [`ghcr.io/app@sha512:${'a'.repeat(64)}`, 'has the wrong length'],
    ['bad_host.io/app', 'registry host "bad_host.io"'],
    ['host.io:99999/app', 'registry port "99999"'],
    ['ghcr.io/', 'repository name is empty'],
    [`ghcr.io/${'a'.repeat(250)}`, 'more than 255'],
  ])('rejects %j naming the bad part', (ref, fragment) => {
    const error = expectCode(() => parseReference(ref), RegistryError, 'INVALID_REFERENCE');
    expect(error.message).toContain(fragment);
  });
});

describe('parseReference: the registry host', () => {
  // Each of these once passed and failed later as `TypeError: Invalid URL` (issue 7's fuzzing).
  it.each([
    ['1.2.3.4.5/x', '1.2.3.4.5'],
    ['999.1.1.1/x', '999.1.1.1'],
    ['08.1.1.1/x', '08.1.1.1'],
    ['010.1.1.1/x', '010.1.1.1'], // URL reads it as octal 8.1.1.1
    ['1.2.3/x', '1.2.3'], // URL reads it as 1.2.0.3
    ['0x7f.0.0.1/x', '0x7f.0.0.1'],
    ['registry.1/x', 'registry.1'],
    ['a.0x10/x', 'a.0x10'],
    ['[:::]/x', '[:::]'],
    ['[::1.2.3]:5000/x', '[::1.2.3]'],
    ['xn--a.example.com/x', 'xn--a.example.com'],
    [`${'a'.repeat(64)}.io/x`, 'a'.repeat(64)],
    ['host.io:0/x', 'registry port "0"'],
    ['host.io:65536/x', 'registry port "65536"'],
    ['host.io:/x', 'registry port ""'],
  ])('refuses %j, naming the registry', (ref, named) => {
    const error = expectCode(() => parseReference(ref), RegistryError, 'INVALID_REFERENCE');
    expect(error.message).toContain(named);
    expect(error.registry).toBe(ref.slice(0, ref.indexOf('/')));
  });

  it.each([
    '127.0.0.1/x',
    '0.0.0.0/x',
    '255.255.255.255:65535/x',
    '[::]/x',
    '[::ffff:1.2.3.4]:5000/x',
    '[1:2:3:4:5:6:7:8]/x',
    'xn--nxasmq6b.com/x',
    '1.2.3.4.example.com/x',
    'a-b.c--d.io:1/x',
    `${'a'.repeat(63)}.io/x`,
    'Registry.Example.COM/x',
  ])('accepts %j, a host new URL accepts too', (ref) => {
    const { registry } = parseReference(ref);
    expect(registry).toBe(ref.slice(0, ref.indexOf('/')));
    expect(URL.canParse(`https://${registry}/`)).toBe(true);
  });

  it('looks digest algorithms up as own keys only', () => {
    // `constructor` once found Object's constructor and threw `hex.test is not a function`.
    expect(parts('nginx@constructor:abc')).toMatchObject({ digest: 'constructor:abc' });
  });
});

describe('toReference', () => {
  it('validates and normalises plain objects', () => {
    expect(String(toReference({ registry: 'docker.io', repository: 'nginx', tag: '1' }))).toBe(
      'docker.io/library/nginx:1',
    );
    const upper = expectCode(
      () => toReference({ registry: 'ghcr.io', repository: 'UPPER' }),
      RegistryError,
      'INVALID_REFERENCE',
    );
    expect(upper.message).toContain('repository path component "UPPER"');
    expect(String(toReference({ registry: 'index.docker.io', repository: 'library/a' }))).toBe(
      'docker.io/library/a',
    );
  });

  it('refuses a registry that a string reference would read as a Docker Hub namespace', () => {
    expect(() => toReference({ registry: 'myregistry', repository: 'app' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_REFERENCE',
        message: expect.stringContaining('registry "myregistry" is not a host name'),
      }),
    );
  });
});
