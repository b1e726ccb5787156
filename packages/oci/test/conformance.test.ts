// One conformance table for the OCI facts every @tagsmith package takes from
// here: names, tags and digests as the distribution and image specs define them.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digestProblem,
  isDomainComponent,
  isIndexMediaType,
  isIpv6Host,
  isPathComponent,
  isPortDigits,
  isRepositoryPath,
  isSha256Digest,
  isTag,
  MANIFEST_MEDIA_TYPES,
  REGISTERED_DIGEST_ALGORITHMS,
  REPOSITORY_NAME_PATTERN,
  sha256Digest,
  TAG_GRAMMAR,
} from '../src/index.js';

const hex = (n: number) => 'a'.repeat(n);

describe('repository names', () => {
  it.each([
    ['app', true],
    ['team/app', true],
    ['a.b_c__d-e---f/g', true],
    ['0/9', true],
    ['', false],
    ['App', false],
    ['team/', false],
    ['/app', false],
    ['a..b', false],
    ['a___b', false],
    ['-app', false],
    ['app-', false],
    ['a:b', false],
  ])('%j is a repository path: %s', (name, valid) => {
    expect(isRepositoryPath(name)).toBe(valid);
    expect(new RegExp(`^${REPOSITORY_NAME_PATTERN}$`).test(name)).toBe(valid);
    const components = name.split('/');
    expect(components.every(isPathComponent)).toBe(valid);
  });
});

describe('registry hosts', () => {
  it.each([
    ['ghcr', true],
    ['my-registry', true],
    ['a', true],
    ['-a', false],
    ['a-', false],
    ['a_b', false],
    ['', false],
  ])('%j is a domain component: %s', (label, valid) => {
    expect(isDomainComponent(label)).toBe(valid);
  });

  it.each([
    ['[::1]', true],
    ['[2001:db8::1]', true],
    ['::1', false],
    ['[]', false],
    ['[::g]', false],
  ])('%j is an IPv6 host: %s', (host, valid) => {
    expect(isIpv6Host(host)).toBe(valid);
  });

  it.each([
    ['0', true],
    ['5000', true],
    ['65535', true],
    ['123456', false],
    ['', false],
    ['50a', false],
  ])('%j is port digits: %s', (port, valid) => {
    expect(isPortDigits(port)).toBe(valid);
  });
});

describe('tags', () => {
  const TAG = new RegExp(`^${TAG_GRAMMAR}$`);

  it.each([
    ['latest', true],
    ['1.2.3', true],
    ['_x', true],
    ['v1-rc.1_b', true],
    ['A'.repeat(128), true],
    ['A'.repeat(129), false],
    ['', false],
    ['.x', false],
    ['-x', false],
    ['a/b', false],
    ['a:b', false],
    ['a+b', false],
    ['é', false],
  ])('%j is a tag: %s', (tag, valid) => {
    expect(isTag(tag)).toBe(valid);
    expect(TAG.test(tag)).toBe(valid);
  });

  it('the fast check agrees with the grammar on any string', () => {
    const tagLike = fc.string({
      unit: fc.constantFrom(...'aZ09_.-/:+é'.split('')),
      maxLength: 130,
    });
    fc.assert(
      fc.property(fc.oneof(tagLike, fc.string({ maxLength: 140 })), (value) => {
        expect(isTag(value)).toBe(TAG.test(value));
      }),
    );
  });
});

describe('digests', () => {
  it.each([
    [`sha256:${hex(64)}`, undefined],
    [`sha512:${hex(128)}`, undefined],
    [`blake3:${hex(64)}`, undefined],
    [`sha256:${hex(63)}`, 'bad-encoding'],
    [`sha256:${'A'.repeat(64)}`, 'bad-encoding'],
    [`sha512:${hex(64)}`, 'bad-encoding'],
    [`blake3:${hex(128)}`, 'bad-encoding'],
    ['md5:abc', 'unregistered-algorithm'],
    ['sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564', 'unregistered-algorithm'],
    ['constructor:x', 'unregistered-algorithm'],
    ['sha256', 'not-digest'],
    ['sha256:', 'not-digest'],
    [':abc', 'not-digest'],
    ['SHA256:abc', 'not-digest'],
    [`sha256:${hex(64)}!`, 'not-digest'],
    ['', 'not-digest'],
  ])('%j has problem %s', (digest, problem) => {
    expect(digestProblem(digest)).toBe(problem);
    expect(isSha256Digest(digest)).toBe(digest.startsWith('sha256:') && problem === undefined);
  });

  it('registers the image spec algorithms', () => {
    expect(REGISTERED_DIGEST_ALGORITHMS).toEqual(['sha256', 'sha512', 'blake3']);
  });

  it('sha256Digest is the sha256 of exactly the bytes', () => {
    const bytes = new TextEncoder().encode('{"schemaVersion":2}');
    const expected = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    expect(sha256Digest(bytes)).toBe(expected);
    expect(isSha256Digest(sha256Digest(bytes))).toBe(true);
    expect(sha256Digest(new Uint8Array())).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

describe('manifest media types', () => {
  it('lists the four manifest types, most specific first', () => {
    expect(MANIFEST_MEDIA_TYPES).toEqual([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
  });

  it('an index lists manifests; a manifest does not', () => {
    expect(MANIFEST_MEDIA_TYPES.map(isIndexMediaType)).toEqual([true, false, true, false]);
  });
});
