// Runs every `*.bench.mjs` in this folder (or those whose name contains the
// first argument) in its own Node process, so one benchmark's heap and RSS do
// not colour the next. Exits non-zero if any benchmark fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs') && name.includes(filter))
  .sort();

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(here, bench)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
if (benches.length === 0) console.log(`no benchmark matches "${filter}"`);
process.exit(failed === 0 ? 0 : 1);
