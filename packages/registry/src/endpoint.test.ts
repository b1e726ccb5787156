import { describe, expect, it } from 'vitest';
import { allowsPlainHttp, endpointFor } from './endpoint.js';

describe('endpointFor', () => {
  it('sends Docker Hub to registry-1.docker.io with the legacy credential key', () => {
    expect(endpointFor('docker.io', [])).toEqual({
      registry: 'docker.io',
      origin: 'https://registry-1.docker.io',
      credentialKey: 'https://index.docker.io/v1/',
    });
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
