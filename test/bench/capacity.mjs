// How much one `tagsmith run` process handles: a measurement for docs/running-at-scale.md,
// not a pass/fail benchmark (so it is not a *.bench.mjs and `pnpm bench` skips it).
// Run it after `pnpm build` with `node test/bench/capacity.mjs` (add `images` or `repos`
// to run one half).
//
// Each scenario is a directory of Flux manifests, loaded with loadConfig and run with
// runAutomation twice: a first cycle that bumps every field and pushes, then a second
// with no new tags (what a CronJob does almost every time). The registry (testkit) and
// the git remotes (createGitFixture served over HTTP by serveGit) live in this parent
// process; the cycles run in a child process of their own, so its peak RSS is the
// automation's alone and one scenario's heap does not colour the next.
//
//   images: N image repositories x TAGS tags, N semver policies, one repository whose
//           N files carry one marker each, one automation.
//   repos:  N automations, each over its own git remote (IMAGES_PER_REPO files), all
//           sharing the same IMAGES_PER_REPO image repositories and policies.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig, runAutomation } from '@tagsmith/automation';
import { createGitFixture, serveGit, startRegistry } from '@tagsmith/testkit';

const TAGS = 150;
const IMAGE_COUNTS = [100, 500, 2000];
const REPO_COUNTS = [1, 10, 50, 200];
const IMAGES_PER_REPO = 10;
const HOST = 'registry.example.com';
const NAMESPACE = 'capacity';

// 1.0.0 … 1.9.9 and 2.0.0 … 2.4.9, plus a signature the default exclusionList drops.
const tags = [
  ...Array.from(
    { length: TAGS - 1 },
    (_, i) => `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`,
  ),
  'sha256-0123456789abcdef.sig',
];
const imageName = (i) => `app-${String(i).padStart(4, '0')}`;

/** A manifest with one marked image, the shape a Deployment has. */
const deployment = (i) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${imageName(i)}\n  namespace: apps\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${HOST}/${imageName(i)}:1.0.0 # {"$imagepolicy": "${NAMESPACE}:${imageName(i)}"}\n`;

function imageManifests(count) {
  const docs = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: ${imageName(i)}, namespace: ${NAMESPACE} }
spec: { image: ${HOST}/${imageName(i)}, interval: 5m }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: ${imageName(i)}, namespace: ${NAMESPACE} }
spec:
  imageRepositoryRef: { name: ${imageName(i)} }
  policy: { semver: { range: ">=1.0.0 <2.0.0" } }
`);
  }
  return docs.join('---\n');
}

function automationManifests(index, url) {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: repo-${index}, namespace: ${NAMESPACE} }
spec: { url: "${url}", ref: { branch: main }, interval: 1m }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: bump-${index}, namespace: ${NAMESPACE} }
spec:
  interval: 30m
  sourceRef: { kind: GitRepository, name: repo-${index} }
  git:
    commit: { author: { name: capacity, email: capacity@example.com } }
    push: { branch: main }
  update: { path: ./apps, strategy: Setters }
`;
}

/** The child: load the manifests, run two cycles, print what happened as one JSON line. */
async function child(dir, endpoint) {
  const start = performance.now();
  const config = await loadConfig(dir, { hosts: { [HOST]: endpoint } });
  const load = performance.now() - start;
  const errors = config.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new Error(`config problems: ${errors[0].message}`);

  const cycle = async () => {
    const marks = { tags: 0, chosen: 0, gitStart: undefined, gitEnd: 0 };
    const t0 = performance.now();
    const report = await runAutomation(config, {
      onProgress: (event) => {
        const at = performance.now() - t0;
        if (event.type === 'tags-listed' || event.type === 'tags-failed') marks.tags = at;
        if (event.type === 'policy-chosen') marks.chosen = at;
        if (event.type === 'automation-started') marks.gitStart ??= at;
        if (event.type === 'automation-finished') marks.gitEnd = at;
      },
    });
    const total = performance.now() - t0;
    return {
      total,
      tags: marks.tags,
      choose: marks.chosen - marks.tags,
      git: marks.gitEnd - (marks.gitStart ?? marks.gitEnd),
      statuses: report.automations.map((run) => run.status),
      listed: report.imageRepositories.filter((repo) => repo.status === 'listed').length,
      files: report.automations.reduce((sum, run) => sum + run.files.length, 0),
    };
  };
  const first = await cycle();
  const second = await cycle();
  // maxRSS is KiB and covers the whole child: loading, both cycles, Node itself.
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ load, first, second, peakRssMiB }));
}

async function scenario(registry, { images, repos }) {
  const root = await mkdtemp(join(tmpdir(), 'tagsmith-capacity-'));
  const fixtures = [];
  const servers = [];
  try {
    const manifests = [imageManifests(images)];
    const filesPerRepo = repos === 1 ? images : IMAGES_PER_REPO;
    const files = {};
    for (let i = 0; i < filesPerRepo; i++) files[`apps/${imageName(i)}.yaml`] = deployment(i);
    for (let r = 0; r < repos; r++) {
      const fixture = await createGitFixture({ files, name: `repo-${r}`, dir: root });
      fixtures.push(fixture);
      const server = await serveGit(fixture.bareDir);
      servers.push(server);
      manifests.push(automationManifests(r, server.url));
    }
    const dir = join(root, 'flux');
    await mkdir(dir);
    await writeFile(join(dir, 'flux.yaml'), manifests.join('---\n'));

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', dir, registry.url],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1));
    const pushed = result.first.statuses.filter((status) => status === 'pushed').length;
    const unchanged = result.second.statuses.filter((status) => status === 'no-change').length;
    if (pushed !== repos || unchanged !== repos || result.first.listed !== images) {
      throw new Error(
        `${images} images x ${repos} repos: ${pushed} pushed, ${unchanged} unchanged, ${result.first.listed} listed`,
      );
    }
    return result;
  } finally {
    for (const server of servers) await server.close();
    for (const fixture of fixtures) await fixture.remove();
    await rm(root, { recursive: true, force: true });
  }
}

const seconds = (value) => `${(value / 1000).toFixed(2)} s`;

function row(label, { load, first, second, peakRssMiB }) {
  return [
    label,
    seconds(load),
    seconds(first.tags),
    seconds(first.choose),
    seconds(first.git),
    seconds(first.total),
    seconds(second.total),
    `${peakRssMiB.toFixed(0)} MiB`,
  ];
}

function table(title, rows) {
  const head = ['', 'load', 'list tags', 'choose', 'git', '1st cycle', '2nd cycle', 'peak RSS'];
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  console.log(`\n${title}`);
  for (const r of all) console.log(`  ${r.map((cell, c) => cell.padStart(widths[c])).join('  ')}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const only = process.argv[2];
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${TAGS} tags per image repository`,
  );
  const registry = await startRegistry();
  try {
    const maxImages = Math.max(...IMAGE_COUNTS, IMAGES_PER_REPO);
    for (let i = 0; i < maxImages; i++) await registry.pushTags(imageName(i), tags);
    if (only === undefined || only === 'images') {
      const rows = [];
      for (const images of IMAGE_COUNTS) {
        rows.push(row(`${images} images`, await scenario(registry, { images, repos: 1 })));
      }
      table('image repositories, one automation over one repository (one file per image)', rows);
    }
    if (only === undefined || only === 'repos') {
      const rows = [];
      for (const repos of REPO_COUNTS) {
        rows.push(
          row(
            `${repos} repo${repos === 1 ? '' : 's'}`,
            await scenario(registry, { images: IMAGES_PER_REPO, repos }),
          ),
        );
      }
      table(
        `automations, each over its own git remote over HTTP (${IMAGES_PER_REPO} images, ${IMAGES_PER_REPO} files each)`,
        rows,
      );
    }
  } finally {
    await registry.close();
  }
}
