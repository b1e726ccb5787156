import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  checkCredential,
  credentialHost,
  findCredentialKey,
  staticCredentials,
} from './credentials.js';
import { RegistryError } from './errors.js';

describe('credentialHost', () => {
  it('strips scheme and path and folds Docker Hub spellings', () => {
    expect(credentialHost('https://ghcr.io/v2/')).toBe('ghcr.io');
    expect(credentialHost('localhost:5000')).toBe('localhost:5000');
    expect(credentialHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(credentialHost('registry-1.docker.io')).toBe('docker.io');
    expect(credentialHost('Docker.IO')).toBe('docker.io');
  });
});

describe('findCredentialKey', () => {
  it('prefers an exact key over a host match', () => {
    expect(findCredentialKey(['https://ghcr.io', 'ghcr.io'], 'ghcr.io')).toBe('ghcr.io');
    expect(findCredentialKey(['http://ghcr.io/x', 'quay.io'], 'ghcr.io')).toBe('http://ghcr.io/x');
    expect(findCredentialKey(['quay.io'], 'ghcr.io')).toBeUndefined();
  });
});

describe('staticCredentials', () => {
  it('answers by exact key, by host and for Docker Hub aliases', async () => {
    const provider = staticCredentials({
      'docker.io': { username: 'hub', password: 'p1' },
      'https://localhost:5000/': { registryToken: 't' },
    });
    expect(await provider('https://index.docker.io/v1/')).toEqual({
      username: 'hub',
      password: 'p1',
    });
    expect(await provider('localhost:5000')).toEqual({ registryToken: 't' });
    expect(await provider('ghcr.io')).toBeUndefined();
  });
});

describe('checkCredential', () => {
  it('passes the three shapes through and reads undefined or null as none', () => {
    expect(checkCredential({ username: 'u', password: '' }, 'r.io', 'r.io')).toEqual({
      username: 'u',
      password: '',
    });
    expect(checkCredential({ identityToken: 'i' }, 'r.io', 'r.io')).toEqual({ identityToken: 'i' });
    expect(checkCredential({ registryToken: 'eyJ.a-b_c~+/=' }, 'r.io', 'r.io')).toEqual({
      registryToken: 'eyJ.a-b_c~+/=',
    });
    expect(checkCredential(undefined, 'r.io', 'r.io')).toBeUndefined();
    expect(checkCredential(null, 'r.io', 'r.io')).toBeUndefined();
  });

  it.each([
    'secret-canary',
    42,
    ['secret-canary'],
    {},
    { username: 'u' },
    { username: 'u', password: 7 },
    { identityToken: 7 },
    { identityToken: '' },
    { registryToken: '' },
    { registryToken: 'secret-canary\n' },
    { registryToken: 'secret canary' },
    { registryToken: 'secret-canary\u00e9' },
  ])('refuses %j with CREDENTIAL_CONFIG naming the key, not the value', (value) => {
    const error = expectCode(
      () => checkCredential(value, 'docker.io', 'https://index.docker.io/v1/'),
      RegistryError,
      'CREDENTIAL_CONFIG',
    );
    expect(error.registry).toBe('docker.io');
    expect(error.message).toContain('https://index.docker.io/v1/');
    expect(error.message).not.toContain('canary');
  });
});
