// Writes schema/tagsmith.schema.json from the TypeBox schema in
// src/config/tagsmith-schema.ts (built into dist/), the one source of truth.
// Run after `pnpm build`: `node packages/automation/scripts/write-schema.mjs`;
// then `npx biome format --write` on the file; src/config/tagsmith-schema.test.ts fails
// while the checked-in file is stale.
import { writeFileSync } from 'node:fs';
import { TAGSMITH_CONFIG } from '../dist/config/tagsmith-schema.js';

const json = { $schema: 'http://json-schema.org/draft-07/schema#', ...TAGSMITH_CONFIG };
writeFileSync(
  new URL('../schema/tagsmith.schema.json', import.meta.url),
  `${JSON.stringify(json, null, 2)}\n`,
);
