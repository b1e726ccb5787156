import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { allowsPlainHttp, endpointFor, hostOrigins } from './endpoint.js';
import { RegistryError } from './errors.js';

describe('endpointFor', () => {
  it('sends Docker Hub to registry-1.docker.io with the legacy credential key', () => {
    expect(endpointFor('docker.io', [])).toEqual({
      registry: 'docker.io',
      origin: 'https://registry-1.docker.io',
      credentialKey: 'https://index.docker.io/v1/',
      mapped: false,
    });
  });

  it('sends a mapped registry to its endpoint, keeping the name and credential key', () => {
    const hosts = hostOrigins({
      'registry.example.com': { endpoint: 'http://127.0.0.1:5000/' },
      'index.docker.io': { endpoint: 'https://mirror.internal:8443' },
    });
    expect(endpointFor('registry.example.com', [], hosts)).toEqual({
      registry: 'registry.example.com',
      origin: 'http://127.0.0.1:5000',
      credentialKey: 'registry.example.com',
      mapped: true,
    });
    expect(endpointFor('docker.io', [], hosts)).toEqual({
      registry: 'docker.io',
      origin: 'https://mirror.internal:8443',
      credentialKey: 'https://index.docker.io/v1/',
      mapped: true,
    });
    expect(endpointFor('ghcr.io', [], hosts).mapped).toBe(false);
  });

  it('uses HTTPS except for loopback and listed hosts', () => {
    expect(endpointFor('ghcr.io', []).origin).toBe('https://ghcr.io');
    expect(endpointFor('localhost:5000', []).origin).toBe('http://localhost:5000');
    expect(endpointFor('reg.internal:5000', ['reg.internal:5000']).origin).toBe(
      'http://reg.internal:5000',
    );
  });
});

describe('allowsPlainHttp', () => {
  it.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['registry.localhost:80', true],
    ['127.0.0.1:5000', true],
    ['127.8.9.10', true],
    ['[::1]:5000', true],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['evil-localhost', false],
    ['10.0.0.1:5000', false],
    ['[::2]:5000', false],
  ])('%s -> %s', (host, expected) => {
    expect(allowsPlainHttp(host, [])).toBe(expected);
  });

  it('matches listed hosts with or without a port', () => {
    expect(allowsPlainHttp('reg.lan:5000', ['reg.lan'])).toBe(true);
    expect(allowsPlainHttp('reg.lan:5000', ['REG.lan:5000'])).toBe(true);
    expect(allowsPlainHttp('reg.lan:5001', ['reg.lan:5000'])).toBe(false);
  });
});

describe('hostOrigins', () => {
  it('accepts nothing, an empty object, and http(s) origins with default ports normalised', () => {
    expect(hostOrigins(undefined)).toEqual(new Map());
    expect(hostOrigins({})).toEqual(new Map());
    expect(hostOrigins({ 'r.io': { endpoint: 'HTTPS://Mirror.Lan:443' } })).toEqual(
      new Map([['r.io', 'https://mirror.lan']]),
    );
  });

  it.each([
    ['not an object', null, ''],
    ['an array', [], ''],
    ['an entry that is not an object', { 'r.io': 'http://x' }, 'r.io'],
    ['a missing endpoint', { 'r.io': {} }, 'r.io'],
    ['an endpoint that is not a URL', { 'r.io': { endpoint: 'http://mirror:99999' } }, 'r.io'],
    ['a scheme other than http(s)', { 'r.io': { endpoint: 'ftp://mirror' } }, 'r.io'],
    ['credentials in the endpoint', { 'r.io': { endpoint: 'https://u:SECRET@mirror' } }, 'r.io'],
    ['a path', { 'r.io': { endpoint: 'https://mirror/v2' } }, 'r.io'],
    ['a query', { 'r.io': { endpoint: 'https://mirror/?ns=r.io' } }, 'r.io'],
    ['a key with a scheme', { 'https://r.io': { endpoint: 'https://mirror' } }, 'https://r.io'],
    ['an empty key', { '': { endpoint: 'https://mirror' } }, ''],
  ])('refuses %s with INVALID_ARGUMENT naming the key', (_, hosts, key) => {
    const error = expectCode(() => hostOrigins(hosts), RegistryError, 'INVALID_ARGUMENT');
    // An empty key is no registry: the field is absent, never `''`.
    expect(error.registry).toBe(key === '' ? undefined : key);
    if (key !== '') expect(error.message).toContain(`hosts["${key}"]`);
    expect(error.message).not.toContain('SECRET');
  });
});
