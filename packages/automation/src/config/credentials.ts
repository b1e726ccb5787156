// tagsmith.yaml's credential references, as written (`env:NAME`, `{ file: PATH }`),
// to the contract's CredentialReference. A `file:` path is resolved against the
// config's directory, so a config works from any working directory.
import { resolve } from 'node:path';
import type { CredentialReference, GitCredentialsReference } from '../config-types.js';
import type { CredentialReferenceText, GitCredentialsText } from './tagsmith-schema.js';

/** A reference as written to the contract's shape. */
export function credentialReference(
  text: CredentialReferenceText,
  baseDir: string,
): CredentialReference {
  if (typeof text === 'string') {
    const colon = text.indexOf(':');
    const scheme = text.slice(0, colon);
    const rest = text.slice(colon + 1);
    if (scheme === 'env') return { env: rest };
    if (scheme === 'file') return { file: resolve(baseDir, rest) };
    return { helper: rest };
  }
  if ('file' in text) return { file: resolve(baseDir, text.file) };
  return { ...text };
}

/** Git credentials as written to the contract's shape. */
export function gitCredentials(text: GitCredentialsText, baseDir: string): GitCredentialsReference {
  const ref = (value: CredentialReferenceText) => credentialReference(value, baseDir);
  switch (text.type) {
    case 'token':
      return {
        type: 'token',
        token: ref(text.token),
        ...(text.username === undefined ? {} : { username: text.username }),
      };
    case 'basic':
      return { type: 'basic', username: text.username, password: ref(text.password) };
    case 'bearer':
      return { type: 'bearer', token: ref(text.token) };
    case 'ssh':
      return {
        type: 'ssh',
        privateKey: ref(text.privateKey),
        knownHosts: ref(text.knownHosts),
        ...(text.passphrase === undefined ? {} : { passphrase: ref(text.passphrase) }),
      };
  }
}
