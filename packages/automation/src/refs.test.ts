import { describe, expect, it } from 'vitest';
import { mapWithLimit } from './pool.js';
import { formatRef, parseSetter, readValue } from './refs.js';

const known = new Set(['flux-system:app', 'ns:a:b']);

describe('parseSetter', () => {
  it('reads the policy and field of every marker form', () => {
    expect(parseSetter('flux-system:app', known)).toEqual({
      policy: 'flux-system:app',
      field: 'ref',
    });
    expect(parseSetter('flux-system:app:tag', known)).toEqual({
      policy: 'flux-system:app',
      field: 'tag',
    });
    expect(parseSetter('flux-system:app:name', known)).toEqual({
      policy: 'flux-system:app',
      field: 'name',
    });
    expect(parseSetter('flux-system:app:digest', known)).toEqual({
      policy: 'flux-system:app',
      field: 'digest',
    });
  });
  it('is undefined for a policy it does not know or a field that does not exist', () => {
    expect(parseSetter('other:app', known)).toBeUndefined();
    expect(parseSetter('flux-system:app:size', known)).toBeUndefined();
  });
});

describe('readValue', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it('takes the tag and digest out of a ref, a tag or a digest field', () => {
    expect(readValue('ref', `registry.example.com/app:1.2.3@${digest}`)).toEqual({
      tag: '1.2.3',
      digest,
    });
    expect(readValue('ref', 'localhost:5000/app:1.2.3')).toEqual({ tag: '1.2.3' });
    expect(readValue('tag', '1.2.3')).toEqual({ tag: '1.2.3' });
    expect(readValue('digest', digest)).toEqual({ digest });
    expect(readValue('digest', '')).toEqual({});
    expect(readValue('name', 'registry.example.com/app')).toEqual({});
    expect(readValue('ref', 'Not A Reference')).toEqual({});
  });
  it('formats refs as a ref marker writes them', () => {
    expect(formatRef({ name: 'a/b', tag: '1' })).toBe('a/b:1');
    expect(formatRef({ name: 'a/b', tag: '1', digest })).toBe(`a/b:1@${digest}`);
  });
});

describe('mapWithLimit', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const result = await mapWithLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
