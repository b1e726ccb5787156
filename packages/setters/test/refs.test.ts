// Refs are checked at the API boundary: a bad one is a SettersError naming the
// policy and the field, thrown before anything is read or written.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { type Policies, SettersError, updateText, updateTree } from '../src/index.js';
import { marker, readTree, tempPath } from './helpers.js';

const GOOD = { name: 'ghcr.io/acme/app', tag: 'v2' };

/** The fuzzer's findings: wrong types from plain JavaScript, as the issue lists them. */
const BAD: [string, unknown, string | undefined][] = [
  ['tag: undefined (what select() returns when nothing qualifies)', { name: 'app' }, 'tag'],
  ['tag: 5', { name: 'app', tag: 5 }, 'tag'],
  ["tag: ''", { name: 'app', tag: '' }, 'tag'],
  ["tag: 'bad tag!'", { name: 'app', tag: 'bad tag!' }, 'tag'],
  ['name: 5', { name: 5, tag: 'v1' }, 'name'],
  ["name: ''", { name: '', tag: 'v1' }, 'name'],
  ['digest: 7', { name: 'app', tag: 'v1', digest: 7 }, 'digest'],
  ["digest: 'md5:x'", { name: 'app', tag: 'v1', digest: 'md5:x' }, 'digest'],
  ['a null ref', null, undefined],
  ['a string ref', 'ghcr.io/acme/app:v1', undefined],
];

describe('updateText refuses a bad ref', () => {
  it.each(BAD)('%s', (_, ref, field) => {
    const text = `image: a ${marker('ns:bad')}\n`;
    const error = expectCode(
      () => updateText(text, { 'ns:bad': ref } as unknown as Policies),
      SettersError,
      'INVALID_REF',
    );
    expect(error.policy).toBe('ns:bad');
    expect(error.field).toBe(field);
    expect(error.message).toContain('ns:bad');
  });

  it('even when no marker in the text names it', () => {
    const policies = new Map<string, unknown>([
      ['ns:good', GOOD],
      ['ns:bad', { name: 'app', tag: 'v 2' }],
    ]);
    const error = expectCode(
      () => updateText(`image: a ${marker('ns:good')}\n`, policies as Policies),
      SettersError,
      'INVALID_REF',
    );
    expect(error).toMatchObject({ policy: 'ns:bad', field: 'tag' });
    // And in a text without any marker: the answer does not depend on the text.
    expect(() => updateText('a: 1\n', policies as Policies)).toThrow(SettersError);
  });

  it.each([null, undefined, 'ns:p', 5, [GOOD]])('policies of %j', (policies) => {
    expectCode(
      () => updateText('a: 1\n', policies as unknown as Policies),
      SettersError,
      'INVALID_ARGUMENT',
    );
  });
});

describe('updateTree refuses a bad ref before touching any file', () => {
  it.each(BAD)('%s', async (_, ref, field) => {
    const root = await tempPath();
    await writeFile(join(root, 'a.yaml'), `image: a ${marker('ns:good')}\n`);
    await writeFile(join(root, 'b.yaml'), `image: b ${marker('ns:bad')}\n`);
    const before = await readTree(root);
    const policies = { 'ns:good': GOOD, 'ns:bad': ref } as unknown as Policies;
    const error = await updateTree(root, policies).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'SettersError', code: 'INVALID_REF', policy: 'ns:bad' });
    // A ref that is not an object has no bad field: `field` is then absent, not `undefined`.
    if (field === undefined) expect(error).not.toHaveProperty('field');
    else expect(error).toMatchObject({ field });
    expect(await readTree(root)).toEqual(before);
  });

  it('checks refs before the root: a bad ref is reported even for a missing directory', async () => {
    const root = join(await tempPath(), 'missing');
    await expect(
      updateTree(root, { 'ns:p': { name: 'app' } } as unknown as Policies),
    ).rejects.toMatchObject({ code: 'INVALID_REF', policy: 'ns:p', field: 'tag' });
  });
});
