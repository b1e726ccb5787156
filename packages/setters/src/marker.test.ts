import { describe, expect, it } from 'vitest';
import { parseSetter, readMarkerComment, setterValue } from './marker.js';

describe('readMarkerComment', () => {
  it.each([
    ['# {"$imagepolicy": "ns:app"}', 'ns:app'],
    ['#{"$imagepolicy":"ns:app"}', 'ns:app'],
    ['#   {  "$imagepolicy"  :  "ns:app:tag"  }  ', 'ns:app:tag'],
    ['## {"$imagepolicy": "ns:app"}', 'ns:app'],
    ['# {"$imagepolicy": "ns:app", "note": "x"}', 'ns:app'],
    ['# {\t"$imagepolicy":\t"ns:app"}', 'ns:app'],
    // Go's json.Unmarshal into map[string]string accepts null (as "") and lets the last duplicate win.
    ['# {"$imagepolicy": "ns:app", "note": null}', 'ns:app'],
    ['# {"$imagepolicy": "ns:old", "$imagepolicy": "ns:app"}', 'ns:app'],
  ])('reads %j', (comment, setter) => {
    expect(readMarkerComment(comment)).toBe(setter);
  });

  it.each([
    '# {"$imagepolicy": "ns:app"} trailing text',
    '# see {"$imagepolicy": "ns:app"}',
    '# {"$imagepolicy": "ns:app"',
    "# {'$imagepolicy': 'ns:app'}",
    '# {"$imagepolicy": ""}',
    '# {"$imagepolicy": 1}',
    '# {"$imagepolicy": null}',
    '# {"$imagepolicy": "ns:app", "n": true}',
    '# {"$imagepolicy": "ns:app", "n": {}}',
    '# {"$imagepolicy": "ns:app", "n": 1}',
    '# ["$imagepolicy", "ns:app"]',
    '# {"$imagePolicy": "ns:app"}',
    '# $imagepolicy: ns:app',
  ])('ignores %j', (comment) => {
    expect(readMarkerComment(comment)).toBeUndefined();
  });
});

describe('setters', () => {
  const ref = { name: 'ghcr.io/acme/app', tag: 'v1', digest: 'sha256:abc' };

  it('splits the four forms and keeps anything else whole', () => {
    expect(parseSetter('ns:app')).toEqual({ setter: 'ns:app', policy: 'ns:app', field: 'ref' });
    expect(parseSetter('ns:app:tag').field).toBe('tag');
    expect(parseSetter('ns:app:name').field).toBe('name');
    expect(parseSetter('ns:app:digest').field).toBe('digest');
    expect(parseSetter('ns:app:other')).toMatchObject({ policy: 'ns:app:other', field: 'ref' });
    expect(parseSetter('app')).toMatchObject({ policy: 'app', field: 'ref' });
  });

  it('writes name:tag, plus @digest when there is one, and "" for a missing digest', () => {
    expect(setterValue(ref, 'ref')).toBe('ghcr.io/acme/app:v1@sha256:abc');
    expect(setterValue({ name: 'a', tag: 'b' }, 'ref')).toBe('a:b');
    expect(setterValue(ref, 'tag')).toBe('v1');
    expect(setterValue(ref, 'name')).toBe('ghcr.io/acme/app');
    expect(setterValue(ref, 'digest')).toBe('sha256:abc');
    // Flux's digest setter value is latestRef.digest, "" when there is none.
    expect(setterValue({ name: 'a', tag: 'b' }, 'digest')).toBe('');
  });
});
