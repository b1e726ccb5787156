import { describe, expect, it } from 'vitest';
import { credentialHost, findCredentialKey, staticCredentials } from './credentials.js';

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
