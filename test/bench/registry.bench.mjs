// @tagsmith/registry: list 50,000 tags from a real distribution 2.8 registry
// (one page: it ignores `n`) and from the testkit registry at 100 tags per page
// (500 pages), beside `skopeo list-tags` as a whole process and the bare floor:
// plain fetch of the same pages with nothing but JSON.parse (and, for paging,
// the shortest possible Link extraction). Then the memory the 50,000 tags cost.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RegistryClient } from '@tagsmith/registry';
import { startRegistry } from '@tagsmith/testkit';
import { startDistribution } from '../support/distribution.mjs';
import { seedDistributionBulk } from '../support/seed.mjs';
import { requireTool } from '../support/tools.mjs';
import { interleaved, median, ms, ratio, report, rssMiB } from './harness.mjs';

const run = promisify(execFile);
const COUNT = 50_000;
const REPOSITORY = 'bench/app';
const tags = Array.from({ length: COUNT }, (_, i) => `1.${Math.floor(i / 1000)}.${i % 1000}`);

/** The floor: fetch each page, JSON.parse it, find the next link with one regex. */
async function floor(origin, firstPath) {
  let url = new URL(firstPath, origin);
  let count = 0;
  for (;;) {
    const response = await fetch(url);
    const page = JSON.parse(await response.text());
    count += page.tags.length;
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '');
    if (next === null) return count;
    url = new URL(next[1], url);
  }
}

async function skopeo(host) {
  const { stdout } = await run(
    'skopeo',
    ['list-tags', '--tls-verify=false', '--no-creds', `docker://${host}/${REPOSITORY}`],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout).Tags.length;
}

function check(label, count) {
  if (count !== COUNT) throw new Error(`${label} saw ${count} tags, expected ${COUNT}`);
}

async function compare(title, host, origin, pageSize, withSkopeo) {
  const client = new RegistryClient({ pageSize });
  const firstPath = `/v2/${REPOSITORY}/tags/list?n=${pageSize}`;
  check('tagsmith', (await client.listTags(`${host}/${REPOSITORY}`)).length);
  check('floor', await floor(origin, firstPath));

  const { ours, bare } = await interleaved({
    ours: () => client.listTags(`${host}/${REPOSITORY}`),
    bare: () => floor(origin, firstPath),
  });
  const rows = [
    ['tagsmith listTags', ms(ours)],
    ['bare fetch + JSON.parse', ms(bare)],
    ['tagsmith / floor', `${ratio(ours, bare)}  (target <= 1.20x)`],
  ];
  if (withSkopeo) {
    check('skopeo', await skopeo(host));
    const whole = await median(() => skopeo(host), { runs: 5, warmup: 1 });
    rows.push(['skopeo list-tags (process)', ms(whole)]);
    rows.push(['tagsmith / skopeo', ratio(ours, whole)]);
  }
  report(title, rows);
}

async function memory(host) {
  const client = new RegistryClient({ pageSize: 100 });
  globalThis.gc?.();
  const before = rssMiB();
  const heapBefore = process.memoryUsage().heapUsed;
  const listed = await client.listTags(`${host}/${REPOSITORY}`);
  globalThis.gc?.();
  const after = rssMiB();
  const heapAfter = process.memoryUsage().heapUsed;
  check('memory run', listed.length);
  report(`memory for ${COUNT} tags (testkit, 100 per page)`, [
    ['RSS above baseline', `${(after - before).toFixed(1)} MiB  (target < 64 MiB)`],
    ['heap held by the result', `${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB`],
  ]);
}

const testkit = await startRegistry({ pageSize: 100 });
await testkit.pushTags(REPOSITORY, tags);
const haveSkopeo = requireTool('skopeo');
const haveDistribution = requireTool('docker-registry');
try {
  await memory(testkit.host);
  if (haveDistribution) {
    const distribution = await startDistribution({ tempRoot: '/dev/shm' });
    try {
      await seedDistributionBulk(distribution, REPOSITORY, tags);
      await compare(
        `distribution 2.8, ${COUNT} tags in one page`,
        distribution.host,
        distribution.url,
        1000,
        haveSkopeo,
      );
    } finally {
      await distribution.close();
    }
  }
  await compare(
    `testkit registry, ${COUNT} tags at 100 per page (${COUNT / 100} pages)`,
    testkit.host,
    testkit.url,
    100,
    haveSkopeo,
  );
} finally {
  await testkit.close();
}
