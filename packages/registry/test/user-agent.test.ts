import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RegistryClient } from '../src/index.js';
import { useRegistries } from './setup.js';

const registry = useRegistries({ app: ['1.0'] });

describe('User-Agent', () => {
  it('defaults to tagsmith-registry/<the version in package.json>', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    );
    const r = await registry();
    await new RegistryClient().listTags(`${r.host}/app`);
    expect(r.requests.map((q) => q.headers['user-agent'])).toEqual([
      `tagsmith-registry/${manifest.version}`,
    ]);
  });

  it('sends the userAgent option as given', async () => {
    const r = await registry();
    await new RegistryClient({ userAgent: 'image-bot/2 (+https://example.test)' }).listTags(
      `${r.host}/app`,
    );
    expect(r.requests.map((q) => q.headers['user-agent'])).toEqual([
      'image-bot/2 (+https://example.test)',
    ]);
  });
});
