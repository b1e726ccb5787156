// The tagsmith executable's startup, as whole processes the way a shell or CI job
// runs it: `node -e 0` (the floor: Node itself) beside `tagsmith --version` (the
// command table alone) and `tagsmith select --semver` on 1,000 tags from stdin
// (the command table plus @tagsmith/policy). Rounds alternate the contenders so
// load from other processes hits all alike. Targets: --version within 1.5x of the
// floor, select within 2x. Run `pnpm bench cli` (it builds first).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { interleaved, ms, ratio, report } from './harness.mjs';

const TAGSMITH = fileURLToPath(
  new URL('../../packages/automation/dist/cli/main.js', import.meta.url),
);
const RUNS = 30;
const RANGE = '>=1.0.0 <2.0.0';

// 1,000 tags as a real repository lists them: releases (some v-prefixed),
// release candidates, build-metadata tags, commit tags and a few moving names.
function realisticTags(count) {
  let seed = 7;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  const tags = ['latest', 'stable', 'main'];
  while (tags.length < count) {
    const core = `${next(4)}.${next(20)}.${next(15)}`;
    const kind = next(10);
    if (kind < 5) tags.push(core);
    else if (kind < 6) tags.push(`v${core}`);
    else if (kind < 7) tags.push(`${core}-rc.${next(5)}`);
    else if (kind < 8) tags.push(`${core}+build.${next(500)}`);
    else
      tags.push(`main-${(next(0xfffffff) + 0x10000000).toString(16)}-${1717000000 + next(99999)}`);
  }
  return `${tags.join('\n')}\n`;
}

function run(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`node ${args.join(' ')} exited ${code}`));
    });
    child.stdin.end(input);
  });
}

const tags = realisticTags(1000);
const chosen = (await run([TAGSMITH, 'select', '--semver', RANGE], tags)).trim();

const times = await interleaved(
  {
    floor: () => run(['-e', '0']),
    version: () => run([TAGSMITH, '--version']),
    select: () => run([TAGSMITH, 'select', '--semver', RANGE], tags),
  },
  { runs: RUNS, warmup: 3 },
);

report(`tagsmith startup, whole processes (median of ${RUNS}, interleaved)`, [
  ['node -e 0', ms(times.floor)],
  ['tagsmith --version', ms(times.version)],
  [`tagsmith select --semver '${RANGE}' (1,000 tags on stdin, picks ${chosen})`, ms(times.select)],
  ['--version / node -e 0 (target <= 1.5x)', ratio(times.version, times.floor)],
  ['select / node -e 0 (target <= 2x)', ratio(times.select, times.floor)],
]);
