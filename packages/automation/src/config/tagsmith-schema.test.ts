// The published JSON Schema is generated from the TypeBox schema; this fails while
// schema/tagsmith.schema.json is stale (regenerate: node packages/automation/scripts/write-schema.mjs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TAGSMITH_CONFIG } from './tagsmith-schema.js';

describe('schema/tagsmith.schema.json', () => {
  it('is the TypeBox schema, current', () => {
    const file = JSON.parse(
      readFileSync(new URL('../../schema/tagsmith.schema.json', import.meta.url), 'utf8'),
    );
    const expected = JSON.parse(
      JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...TAGSMITH_CONFIG }),
    );
    expect(file).toEqual(expected);
  });
});
