// `pnpm mutation [package...]`: runs StrykerJS on each package's core files (targets.mjs),
// one package after another, leaving reports in reports/mutation/<package>.{html,json}.
// Exits 1 when a run fails or a target file scores below MINIMUM_SCORE (summary.mjs).
// Not part of `pnpm test`: a full run takes tens of minutes. Flags go to Stryker, e.g.
// `pnpm mutation setters --mutate packages/setters/src/quote.ts --concurrency 1`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatScores, MINIMUM_SCORE, scoreReport } from './summary.mjs';
import { MUTATION_TARGETS } from './targets.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Package names first; from the first flag on, everything goes to Stryker as written
// (`--concurrency 1` and `--concurrency=1` alike).
const args = process.argv.slice(2);
const firstFlag = args.findIndex((arg) => arg.startsWith('-'));
const requested = firstFlag === -1 ? args : args.slice(0, firstFlag);
const passThrough = firstFlag === -1 ? [] : args.slice(firstFlag);
const unknown = requested.filter((name) => !(name in MUTATION_TARGETS));
if (unknown.length > 0) {
  console.error(
    `pnpm mutation: no mutation targets for ${unknown.join(', ')}; known: ${Object.keys(MUTATION_TARGETS).join(', ')}`,
  );
  process.exit(2);
}

let failed = false;
for (const name of requested.length > 0 ? requested : Object.keys(MUTATION_TARGETS)) {
  console.log(`\n== mutation testing @tagsmith/${name}: ${MUTATION_TARGETS[name].join(', ')}`);
  const result = spawnSync(
    join(root, 'node_modules/.bin/stryker'),
    ['run', 'test/mutation/stryker.config.mjs', ...passThrough],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TAGSMITH_MUTATION_PACKAGE: name } },
  );
  if (result.status !== 0) {
    failed = true;
    continue;
  }
  const scores = scoreReport(join(root, `reports/mutation/${name}.json`));
  console.log(`\n@tagsmith/${name}: ${formatScores(scores)}`);
  failed ||= scores.some((row) => row.score < MINIMUM_SCORE);
}
process.exit(failed ? 1 : 0);
