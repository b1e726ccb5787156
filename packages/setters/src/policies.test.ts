import { describe, expect, it } from 'vitest';
import { SettersError } from './errors.js';
import { checkPolicies } from './policies.js';

const SHA256 = `sha256:${'0123456789abcdef'.repeat(4)}`;
const SHA512 = `sha512:${'0123456789abcdef'.repeat(8)}`;

/** The SettersError `checkPolicies` throws for one ref under key `ns:p`. */
function refError(ref: unknown): SettersError {
  try {
    checkPolicies({ 'ns:p': ref });
  } catch (error) {
    if (error instanceof SettersError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(ref)}`);
}

describe('checkPolicies accepts', () => {
  it.each([
    ['a Docker Hub short name', { name: 'nginx', tag: '1.27' }],
    ['a path on Docker Hub', { name: 'library/nginx', tag: 'latest' }],
    ['a registry with a port', { name: 'localhost:5000/team/app', tag: 'v1' }],
    ['an IPv6 registry', { name: '[::1]:5000/app', tag: 'v1' }],
    ['separators', { name: 'ghcr.io/a-b/c__d/e.f--g_h', tag: '_x.Y-9' }],
    ['an uppercase registry host', { name: 'Registry.Example.com/app', tag: 'v1' }],
    ['a 128-character tag', { name: 'app', tag: 'a'.repeat(128) }],
    ['a sha256 digest', { name: 'app', tag: 'v1', digest: SHA256 }],
    ['a sha512 digest', { name: 'app', tag: 'v1', digest: SHA512 }],
    ['an empty digest (Flux: none)', { name: 'app', tag: 'v1', digest: '' }],
    ['an undefined digest', { name: 'app', tag: 'v1', digest: undefined }],
  ])('%s', (_, ref) => {
    const checked = checkPolicies({ 'ns:p': ref });
    const { digest, ...rest } = ref as { digest?: string };
    expect(checked.get('ns:p')).toEqual(digest ? { ...rest, digest } : rest);
  });

  it('takes a Map or a record, and reads each ref once into a snapshot', () => {
    let reads = 0;
    const ref = {
      name: 'app',
      get tag() {
        reads++;
        return reads === 1 ? 'v1' : 'bad tag!';
      },
    };
    const checked = checkPolicies(new Map([['ns:p', ref]]));
    expect(checked.get('ns:p')).toEqual({ name: 'app', tag: 'v1' });
    expect(reads).toBe(1);
    expect(checkPolicies(checked)).toBe(checked);
    expect(checkPolicies({}).size).toBe(0);
  });

  it('never looks a key up through the prototype', () => {
    expect(checkPolicies({ 'ns:p': { name: 'a', tag: 'b' } }).get('toString')).toBeUndefined();
  });
});

describe('checkPolicies refuses', () => {
  it.each([
    ['an undefined tag', { name: 'app' }, 'tag'],
    ['a numeric tag', { name: 'app', tag: 5 }, 'tag'],
    ['an empty tag', { name: 'app', tag: '' }, 'tag'],
    ['a tag with a blank', { name: 'app', tag: 'bad tag!' }, 'tag'],
    ['a tag starting with a dot', { name: 'app', tag: '.v1' }, 'tag'],
    ['a tag starting with a dash', { name: 'app', tag: '-rc' }, 'tag'],
    ['a 129-character tag', { name: 'app', tag: 'a'.repeat(129) }, 'tag'],
    ['an empty name', { name: '', tag: 'v1' }, 'name'],
    ['a numeric name', { name: 5, tag: 'v1' }, 'name'],
    ['a missing name', { tag: 'v1' }, 'name'],
    ['an uppercase path', { name: 'ghcr.io/Acme/app', tag: 'v1' }, 'name'],
    ['a name with a tag', { name: 'ghcr.io/acme/app:v1', tag: 'v1' }, 'name'],
    ['a name with a digest', { name: `app@${SHA256}`, tag: 'v1' }, 'name'],
    ['a trailing slash', { name: 'ghcr.io/acme/', tag: 'v1' }, 'name'],
    ['a registry alone', { name: 'localhost:5000', tag: 'v1' }, 'name'],
    ['a port over 65535', { name: 'localhost:65536/app', tag: 'v1' }, 'name'],
    ['a bad host label', { name: 'bad_host.io/app', tag: 'v1' }, 'name'],
    ['a name over 255 characters', { name: `a/${'b'.repeat(254)}`, tag: 'v1' }, 'name'],
    ['a numeric digest', { name: 'app', tag: 'v1', digest: 7 }, 'digest'],
    ['a null digest', { name: 'app', tag: 'v1', digest: null }, 'digest'],
    ['an unregistered algorithm', { name: 'app', tag: 'v1', digest: 'md5:x' }, 'digest'],
    ['a digest that is not algorithm:hex', { name: 'app', tag: 'v1', digest: 'sha256' }, 'digest'],
    ['a short sha256', { name: 'app', tag: 'v1', digest: 'sha256:abc' }, 'digest'],
    [
      'an uppercase sha256',
      { name: 'app', tag: 'v1', digest: SHA256.toUpperCase().replace('SHA', 'sha') },
      'digest',
    ],
    [
      'a sha512 of 64 digits',
      { name: 'app', tag: 'v1', digest: SHA256.replace('256', '512') },
      'digest',
    ],
    ['"constructor" as algorithm', { name: 'app', tag: 'v1', digest: 'constructor:ab' }, 'digest'],
  ])('%s', (_, ref, field) => {
    const error = refError(ref);
    expect(error.code).toBe('INVALID_REF');
    expect(error.policy).toBe('ns:p');
    expect(error.field).toBe(field);
    expect(error.message).toContain('"ns:p"');
    expect(error.message).toContain(`ref.${field}`);
  });

  it.each([
    ['null', null],
    ['a string', 'app:v1'],
    ['a number', 5],
    ['an array', ['app', 'v1']],
  ])('a ref that is %s', (_, ref) => {
    const error = refError(ref);
    expect(error.code).toBe('INVALID_REF');
    expect(error.policy).toBe('ns:p');
    expect(error.field).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ns:p'],
    ['an array', [{ name: 'a', tag: 'b' }]],
  ])('policies that are %s', (_, policies) => {
    expect(() => checkPolicies(policies)).toThrow(
      expect.objectContaining({ name: 'SettersError', code: 'INVALID_ARGUMENT' }),
    );
  });

  it('a Map key that is not a string', () => {
    expect(() => checkPolicies(new Map([[5, { name: 'a', tag: 'b' }]]))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('any bad ref, whichever policy it is, with the others valid', () => {
    const policies = new Map<string, unknown>([
      ['ns:a', { name: 'a', tag: 'v1' }],
      ['ns:b', { name: 'b', tag: 'v 1' }],
    ]);
    expect(() => checkPolicies(policies)).toThrow(
      expect.objectContaining({ code: 'INVALID_REF', policy: 'ns:b', field: 'tag' }),
    );
  });

  it('cuts long values short in the message', () => {
    const error = refError({ name: 'app', tag: 'x '.repeat(5000) });
    expect(error.message.length).toBeLessThan(300);
  });
});
