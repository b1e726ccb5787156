// @tagsmith/automation: one cycle of 200 image repositories (testkit registry, 200 tags
// each), 200 semver policies and a 5,000-file repository, through runAutomation beside
// the primitives doing the same work directly in the same run (list tags 8 at a time,
// exclude and select, clone, updateTree, commit, push). The difference is what the
// orchestrator adds: configuration, reporting, explanations. Target: under 10% of the total.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runAutomation } from '@tagsmith/automation';
import { LocalRepository } from '@tagsmith/git';
import { excludeTags, selectTag } from '@tagsmith/policy';
import { RegistryClient } from '@tagsmith/registry';
import { updateTree } from '@tagsmith/setters';
import { createGitFixture, startRegistry } from '@tagsmith/testkit';
import { ms, report } from './harness.mjs';

const REPOSITORIES = 200;
const TAGS = 200;
const FILES = 5000;
const ROUNDS = 3;
const CONCURRENCY = 8;
const AUTHOR = { name: 'bench', email: 'bench@example.com' };
const HOST = 'registry.example.com';
const RANGE = '>=1.0.0 <2.0.0';
const EXCLUDE = ['^.*\\.sig$'];
const location = { file: 'bench.yaml', line: 1, column: 1 };

const tags = Array.from(
  { length: TAGS },
  (_, i) => `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`,
);
const name = (i) => `app-${String(i).padStart(3, '0')}`;

/** 5,000 manifests, one marker per policy in the first 200, the rest plain YAML. */
function repositoryFiles() {
  const files = {};
  for (let i = 0; i < FILES; i++) {
    const dir = `apps/team-${Math.floor(i / 100)}`;
    files[`${dir}/file-${i}.yaml`] =
      i < REPOSITORIES
        ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name(i)}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${HOST}/${name(i)}:1.0.0 # {"$imagepolicy": "bench:${name(i)}"}\n`
        : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: value-${i}\n`;
  }
  return files;
}

function benchConfig(url, endpoint) {
  return {
    hosts: { [HOST]: { endpoint } },
    problems: [],
    files: [],
    imageRepositories: Array.from({ length: REPOSITORIES }, (_, i) => ({
      namespace: 'bench',
      name: name(i),
      image: `${HOST}/${name(i)}`,
      exclusionList: EXCLUDE,
      insecure: false,
      location,
    })),
    imagePolicies: Array.from({ length: REPOSITORIES }, (_, i) => ({
      namespace: 'bench',
      name: name(i),
      labels: {},
      imageRepository: { namespace: 'bench', name: name(i) },
      spec: { policy: { semver: { range: RANGE } } },
      digestReflectionPolicy: 'Never',
      location,
    })),
    automations: [
      {
        namespace: 'bench',
        name: 'bench',
        apiVersion: 'image.toolkit.fluxcd.io/v1beta2',
        source: { kind: 'url', url },
        checkout: { branch: 'main' },
        updatePath: 'apps',
        strategy: 'Setters',
        author: AUTHOR,
        messageTemplate: 'Update from image update automation',
        messageTemplateValues: {},
        push: { branch: 'main', options: {} },
        policies: Array.from({ length: REPOSITORIES }, (_, i) => `bench:${name(i)}`),
        allowDowngrade: true,
        location,
      },
    ],
  };
}

/** Runs `task` over `items`, `limit` at a time, keeping the order of the results. */
async function pooled(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]);
      }
    }),
  );
  return results;
}

/** The same cycle written straight against the primitives, each phase timed. */
async function direct(url, endpoint, workDir) {
  const phases = {};
  let start = performance.now();
  const client = new RegistryClient({ hosts: { [HOST]: { endpoint } } });
  const lists = await pooled(
    Array.from({ length: REPOSITORIES }, (_, i) => i),
    CONCURRENCY,
    (i) => client.listTags(`${HOST}/${name(i)}`),
  );
  phases.tags = performance.now() - start;
  start = performance.now();
  const policies = new Map();
  lists.forEach((list, i) => {
    const tag = selectTag(excludeTags(list, EXCLUDE), { policy: { semver: { range: RANGE } } });
    policies.set(`bench:${name(i)}`, { name: `${HOST}/${name(i)}`, tag });
  });
  phases.policies = performance.now() - start;
  start = performance.now();
  const repository = await LocalRepository.clone(url, join(workDir, 'direct'));
  phases.clone = performance.now() - start;
  start = performance.now();
  const update = await updateTree(join(repository.dir, 'apps'), policies);
  phases.patch = performance.now() - start;
  start = performance.now();
  await repository.commit({
    files: update.files.map((file) => `apps/${file.path}`),
    message: 'Update from image update automation',
    author: AUTHOR,
  });
  await repository.push({ branch: 'main' });
  phases.commit = performance.now() - start;
  return { phases, changed: update.files.length };
}

async function round(registryUrl, index) {
  const fixtures = [];
  const workDir = await mkdtemp(join(tmpdir(), 'tagsmith-automation-bench-'));
  try {
    for (let i = 0; i < 2; i++) {
      fixtures.push(await createGitFixture({ files: repositoryFiles(), name: `repo-${i}` }));
    }
    const automated = async () => {
      const start = performance.now();
      const result = await runAutomation(benchConfig(fixtures[0].url, registryUrl), {
        workDir,
        concurrency: CONCURRENCY,
      });
      const [run] = result.automations;
      if (run?.status !== 'pushed' || run.files.length !== REPOSITORIES) {
        throw new Error(`runAutomation: ${run?.status}, ${run?.files.length} files`);
      }
      return performance.now() - start;
    };
    const straight = async () => {
      const start = performance.now();
      const { phases, changed } = await direct(fixtures[1].url, registryUrl, workDir);
      if (changed !== REPOSITORIES) throw new Error(`direct changed ${changed} files`);
      return { baseline: performance.now() - start, phases };
    };
    // Alternate who goes first, so a warmed page cache favours neither.
    let ours;
    let measured;
    if (index % 2 === 0) {
      ours = await automated();
      measured = await straight();
    } else {
      measured = await straight();
      ours = await automated();
    }
    const { baseline, phases } = measured;
    return { ours, baseline, phases };
  } finally {
    for (const fixture of fixtures) await fixture.remove();
    await rm(workDir, { recursive: true, force: true });
  }
}

const registry = await startRegistry();
try {
  for (let i = 0; i < REPOSITORIES; i++) await registry.pushTags(name(i), tags);
  await round(registry.url, 0); // warm-up
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(registry.url, i));
  rounds.sort((a, b) => a.ours - b.ours);
  const mid = rounds[Math.floor(rounds.length / 2)];
  report(
    `one cycle: ${REPOSITORIES} repositories x ${TAGS} tags, ${REPOSITORIES} policies, ${FILES}-file repository (median of ${ROUNDS})`,
    [
      ['direct: list tags', ms(mid.phases.tags)],
      ['direct: exclude + select', ms(mid.phases.policies)],
      ['direct: clone', ms(mid.phases.clone)],
      ['direct: updateTree', ms(mid.phases.patch)],
      ['direct: commit + push', ms(mid.phases.commit)],
      ['direct: total', ms(mid.baseline)],
      ['runAutomation: total', ms(mid.ours)],
      [
        'orchestration overhead',
        `${(((mid.ours - mid.baseline) / mid.ours) * 100).toFixed(1)}% of the total  (target < 10%)`,
      ],
    ],
  );
} finally {
  await registry.close();
}
