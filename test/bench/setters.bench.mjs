// @tagsmith/setters: updateTree over a generated 10,000-file GitOps tree (1% of
// files carry markers) beside its floors and the naive approach — parsing and
// re-stringifying every file with `yaml`, as tools that re-serialize do. The
// floors: reading every candidate file's bytes once with `readFile` (16 in
// flight), and the sync floor, a plain synchronous walk (`readdirSync`) plus
// `readFileSync` of every candidate, the least any walker and reader can spend.
// Targets: within 2x of both floors, at least 10x faster than naive. Beside
// them, for information, a one-shot run (as a CLI makes) of each in a fresh
// process, where yaml's code is not optimized yet.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateText, updateTree } from '@tagsmith/setters';
import { parseAllDocuments } from 'yaml';
import { median, ms, ratio, report, rssMiB } from './harness.mjs';

const FILES = 10_000;
const MARKED_EVERY = 100;
const CONCURRENCY = 16;

// Deterministic sizes and shapes, so every run measures the same tree.
let seed = 42;
function random() {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

function deployment(i, marked) {
  const mark = marked ? ' # {"$imagepolicy": "flux-system:app"}' : '';
  const envCount = 2 + Math.floor(random() * 30);
  const env = Array.from(
    { length: envCount },
    (_, k) => `            - name: SETTING_${k}\n              value: "value-${i}-${k}"`,
  ).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
  namespace: team-${i % 37}
  labels:
    app.kubernetes.io/name: svc-${i}
    app.kubernetes.io/part-of: platform
  annotations:
    reloader.stakater.com/auto: "true"
spec:
  replicas: ${1 + (i % 5)}
  selector:
    matchLabels: {app.kubernetes.io/name: svc-${i}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-${i}
    spec:
      containers:
        - name: app
          image: registry.example.com/team/svc-${i}:1.${i % 50}.0${mark}
          ports: [{containerPort: 8080, name: http}]
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          env:
${env}
`;
}

function configMap(i) {
  const lines = 5 + Math.floor(random() * 200);
  const body = Array.from(
    { length: lines },
    (_, k) => `    line ${k}: some configuration text ${i}`,
  ).join('\n');
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-${i}
data:
  app.conf: |
${body}
`;
}

function helmRelease(i, marked) {
  const mark = (field) => (marked ? ` # {"$imagepolicy": "flux-system:app:${field}"}` : '');
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: rel-${i}
  namespace: team-${i % 37}
spec:
  interval: 10m
  chart:
    spec:
      chart: chart-${i % 13}
      version: "2.x"
      sourceRef: {kind: HelmRepository, name: charts, namespace: flux-system}
  values:
    image:
      repository: registry.example.com/team/rel-${i}${mark('name')}
      tag: 2.${i % 9}.1${mark('tag')}
    ingress:
      enabled: true
      hosts: [rel-${i}.example.com]
`;
}

async function generateTree(root) {
  const candidates = [];
  for (let i = 0; i < FILES; i++) {
    // 4 clusters x 25 app folders x 100 files; every tenth file is a `Kustomization` in its own folder.
    const kustomization = i % 10 === 9;
    const dir = join(
      root,
      'clusters',
      `c${i % 4}`,
      `apps-${Math.floor(i / 400)}`,
      kustomization ? `k${i}` : '',
    );
    await mkdir(dir, { recursive: true });
    const marked = i % MARKED_EVERY === 7;
    // Marked files are Deployments or HelmReleases, the shapes that carry images.
    const shape = marked ? i % 2 : i % 3;
    const text =
      shape === 0 ? deployment(i, marked) : shape === 1 ? helmRelease(i, marked) : configMap(i);
    const path = join(dir, kustomization ? 'Kustomization' : `res-${i}.${i % 2 ? 'yml' : 'yaml'}`);
    await writeFile(path, text);
    candidates.push(path);
  }
  return candidates;
}

function isCandidate(name) {
  return name.endsWith('.yaml') || name.endsWith('.yml') || name === 'Kustomization';
}

function walkAndReadSync(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walkAndReadSync(path);
    else if (entry.isFile() && isCandidate(entry.name)) readFileSync(path);
  }
}

async function forEachLimited(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const policies = { 'flux-system:app': { name: 'registry.example.com/team/new', tag: '9.9.9' } };

// `setters.bench.mjs one-shot <tree|sync> <root>`: time one call in this fresh process.
if (process.argv[2] === 'one-shot') {
  const [, , , what, tree] = process.argv;
  const start = performance.now();
  if (what === 'sync') walkAndReadSync(tree);
  else await updateTree(tree, policies, { dryRun: true });
  console.log(performance.now() - start);
  process.exit(0);
}

/**
 * One call each of the sync floor and of updateTree dryRun, each in its own
 * fresh process (see above), alternated so machine load falls on both alike:
 * the medians over `runs` processes of each.
 */
function oneShots(tree, runs = 5) {
  const times = { sync: [], tree: [] };
  for (let i = 0; i < runs; i++) {
    for (const what of ['sync', 'tree']) {
      const child = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), 'one-shot', what, tree],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`one-shot ${what} failed: ${child.stderr}`);
      times[what].push(Number(child.stdout));
    }
  }
  const middle = (list) => list.sort((x, y) => x - y)[Math.floor(runs / 2)];
  return { sync: middle(times.sync), tree: middle(times.tree) };
}

const root = await mkdtemp(join(tmpdir(), 'tagsmith-setters-bench-'));
try {
  const candidates = await generateTree(root);
  let bytes = 0;
  for (const path of candidates) bytes += (await readFile(path)).length;

  const floor = await median(() => forEachLimited(candidates, CONCURRENCY, (p) => readFile(p)));
  // The floor for the way updateTree works (walking and reading synchronously, in slices).
  const syncFloor = await median(() => walkAndReadSync(root));
  // The same reads with the list of paths given: what the walk itself costs.
  const readsOnly = await median(() => {
    for (const path of candidates) readFileSync(path);
  });
  const dry = await median(() => updateTree(root, policies, { dryRun: true }));
  const check = await updateTree(root, policies, { dryRun: true });
  // The part of a dry run no walk can save: patching and proving the marked files.
  const markedTexts = check.files.map((file) => file.oldText);
  const patching = await median(() => {
    for (const text of markedTexts) updateText(text, policies);
  });
  const started = performance.now();
  const written = await updateTree(root, policies);
  const real = performance.now() - started;
  // Once written, every value is current: the same work as a dry run minus the patching.
  const current = await median(() => updateTree(root, policies));
  const peakOurs = process.resourceUsage().maxRSS / 1024;
  // The page cache is warm from the runs above, as for the in-process lines.
  const { sync: oneShotSync, tree: oneShotDry } = oneShots(root);
  const naive = await median(
    () =>
      forEachLimited(candidates, CONCURRENCY, async (p) => {
        const docs = parseAllDocuments(await readFile(p, 'utf8'));
        for (const doc of docs) doc.toString();
      }),
    { runs: 3, warmup: 1 },
  );

  report(
    `setters: ${FILES} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${check.files.length} marked`,
    [
      ['floor (read every candidate once)', ms(floor)],
      [
        'sync floor (readdirSync walk + readFileSync)',
        `${ms(syncFloor)}  (updateTree dryRun is ${ratio(dry, syncFloor)})`,
      ],
      ['  of which readFileSync, paths given', ms(readsOnly)],
      ['updateTree dryRun', `${ms(dry)}  (${ratio(dry, floor)} of floor)`],
      [
        '  of which updateText, marked files',
        `${ms(patching)}  (the rest is ${ratio(dry - patching, syncFloor)} of the sync floor)`,
      ],
      [
        'updateTree writing (one run)',
        `${ms(real)}  (${ratio(real, floor)} of floor, ${written.files.length} files written)`,
      ],
      [
        'one-shot, fresh process: sync floor',
        `${ms(oneShotSync)}  (updateTree dryRun ${ms(oneShotDry)}, ${ratio(oneShotDry, oneShotSync)})`,
      ],
      ['updateTree, all current', `${ms(current)}  (${ratio(current, floor)} of floor)`],
      ['naive parse + toString', `${ms(naive)}  (${ratio(naive, dry)} of updateTree dryRun)`],
      ['peak RSS after updateTree runs', `${peakOurs.toFixed(1)} MiB`],
      ['RSS now', `${rssMiB().toFixed(1)} MiB`],
    ],
  );
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  // Both floors, so the verdict cannot hide behind the slower one.
  console.log(
    `\n  target within 2x of the sync floor: ${verdict(dry / syncFloor <= 2)} (${ratio(dry, syncFloor)});` +
      ` within 2x of floor: ${verdict(dry / floor <= 2)} (${ratio(dry, floor)});` +
      ` >=10x faster than naive: ${verdict(naive / dry >= 10)} (${ratio(naive, dry)})`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
