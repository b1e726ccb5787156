// The README's first command (`pnpm demo`): the `tagsmith` CLI on Flux's own
// manifests, with nothing but Node and git. A registry with my-app's tags and a
// git remote over HTTP are started here (both from @tagsmith/testkit, on
// loopback); then `tagsmith run` bumps the marked fields under ./apps, a new
// tag makes a second commit, and a third run changes nothing. The output is
// the same on every run (fixed commit dates, no ports or temp paths), so the
// README shows it verbatim. Run after `pnpm build` (`pnpm demo` does both):
//   node examples/demo.mjs
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGitFixture, serveGit, startRegistry } from '@tagsmith/testkit';

const exec = promisify(execFile);
const examples = dirname(fileURLToPath(import.meta.url));
// The CLI as a user runs it: the `tagsmith` bin of @tagsmith/automation, built by `pnpm build`.
const tagsmithBin = join(examples, '../packages/automation/dist/cli/main.js');

// The seed scenario's policy is semver ">=1.0.0 <2.0.0": 2.0.0 is out of range,
// 1.10.0-rc.1 is a prerelease the range does not admit, latest is no version.
const TAGS = ['1.0.0', '1.4.2', '1.9.0', '2.0.0', '1.10.0-rc.1', 'latest'];

// The GitOps repository: three ways to say which image runs, each with Flux's
// setter markers, under ./apps (the seed automation's update.path); and one
// file outside it, which tagsmith must not touch.
const appsFiles = (digest142) => ({
  'apps/my-app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  namespace: my-app
spec:
  replicas: 2
  selector:
    matchLabels: { app: my-app }
  template:
    metadata:
      labels: { app: my-app }
    spec:
      containers:
        - name: my-app
          image: registry.example.com/my-app:1.4.2 # {"$imagepolicy": "flux-system:my-app"}
          ports:
            - containerPort: 8080
`,
  'apps/my-app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: my-app
resources:
  - deployment.yaml
images:
  - name: registry.example.com/my-app
    newTag: 1.4.2 # {"$imagepolicy": "flux-system:my-app:tag"}
    newDigest: ${digest142} # {"$imagepolicy": "flux-system:my-app:digest"}
`,
  'apps/preview/helmrelease.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: my-app-preview
  namespace: preview
spec:
  interval: 10m
  chart:
    spec:
      chart: my-app
      sourceRef: { kind: HelmRepository, name: charts, namespace: flux-system }
  values:
    replicaCount: 1
    image:
      repository: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}
      tag: 1.0.0 # {"$imagepolicy": "flux-system:my-app:tag"}
`,
  'infra/legacy/deployment.yaml': `# Outside ./apps: pinned by hand, left alone by the automation.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app-legacy
  namespace: legacy
spec:
  template:
    spec:
      containers:
        - name: my-app
          image: registry.example.com/my-app:1.0.0 # {"$imagepolicy": "flux-system:my-app"}
`,
});

// Git without the user's configuration, pager or colors, so the output is the same everywhere.
const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
};
const git = async (cwd, ...args) =>
  (await exec('git', ['--no-pager', '-c', 'color.ui=never', ...args], { cwd, env: gitEnv })).stdout;

// `== title` and the lines saying why, a blank line before all but the first.
let headings = 0;
const heading = (title, ...why) => {
  const blank = headings++ === 0 ? '' : '\n';
  console.log([`${blank}== ${title}`, ...why].join('\n'));
};

/**
 * Runs the built `tagsmith` with the terminal as its own (stdio inherited, so
 * progress and colors behave as for a user), with fixed commit dates so the
 * pushed commit's sha is the same on every run.
 */
function tagsmith(args, { cwd, date }) {
  return new Promise((resolve, reject) => {
    if (stoppedBy) return reject(new Error(`stopped by ${stoppedBy}`));
    const child = spawn(process.execPath, [tagsmithBin, ...args], {
      cwd,
      stdio: 'inherit',
      env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`tagsmith ${args[0]} exited with ${signal ?? `code ${code}`}`));
    });
  });
}

// Ctrl-C reaches tagsmith too (one process group): it stops its cycle and exits, and
// the demo then stops before its next run, still removing what it made. A second
// Ctrl-C ends the demo at once, as Node does by default.
let stoppedBy;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stoppedBy = signal;
  });
}

const cleanups = [];
try {
  const registry = await startRegistry();
  cleanups.push(() => registry.close());
  // One image per tag, so each tag has its own digest (the content is the name and tag,
  // so the digests are the same on every run).
  const digests = {};
  for (const tag of TAGS) digests[tag] = (await registry.pushImage('my-app', tag)).digest;

  const remote = await createGitFixture({ files: appsFiles(digests['1.4.2']) });
  cleanups.push(() => remote.remove());
  const server = await serveGit(remote.bareDir);
  cleanups.push(() => server.close());

  // The Flux manifests of the seed scenario, byte for byte, and the GitRepository they
  // point at, here the git remote just started.
  const work = await mkdtemp(join(tmpdir(), 'tagsmith-demo-'));
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  await mkdir(join(work, 'flux'));
  await writeFile(
    join(work, 'flux', 'flux-system.yaml'),
    await readFile(join(examples, 'flux', 'image-automation.yaml')),
  );
  await writeFile(
    join(work, 'flux', 'gitrepository.yaml'),
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: gitops-config
  namespace: flux-system
spec:
  interval: 1m
  url: ${server.url}
  ref:
    branch: main
`,
  );

  const hostFlag = `registry.example.com=${registry.url}`;
  const run = (date) => tagsmith(['run', './flux', '--host', hostFlag], { cwd: work, date });
  const log = () => git(remote.bareDir, 'log', '--format=%h %ad %an: %s', '--date=short', 'main');
  const showHead = async ({ patch }) => {
    const stat = await git(remote.bareDir, 'show', '--stat', '--format=%h %s', 'main');
    return patch ? `${stat}\n${await git(remote.bareDir, 'show', '--format=', 'main')}` : stat;
  };
  const markedLines = async () => {
    const lines = [];
    for (const path of await remote.files()) {
      const text = (await remote.readFile(path)) ?? '';
      text.split('\n').forEach((line, index) => {
        if (line.includes('$imagepolicy')) lines.push(`${path}:${index + 1}: ${line.trim()}`);
      });
    }
    return lines.join('\n');
  };

  heading(
    'registry.example.com/my-app has these tags',
    '(the testkit registry on loopback; --host below maps the name to it, no manifest is edited)',
  );
  console.log(TAGS.join('  '));

  heading(
    'the git remote (main) holds these marked fields',
    '(a Deployment, a Kustomization images: entry and a HelmRelease under ./apps; infra/ is outside it)',
  );
  console.log(await markedLines());

  heading(
    'the Flux manifests tagsmith reads, unchanged',
    'flux/flux-system.yaml: an ImageRepository, an ImagePolicy (semver >=1.0.0 <2.0.0) and an',
    '  ImageUpdateAutomation (update.path ./apps, push to main), from examples/flux/',
    'flux/gitrepository.yaml: the GitRepository it points at (the remote above, branch main)',
  );

  heading(
    'tagsmith run ./flux --host registry.example.com=http://127.0.0.1:<port>',
    'lists the tags, picks the highest version in range, patches the marked fields, commits, pushes',
  );
  await run('2026-01-05T09:00:00+00:00');

  heading('git log of the remote');
  process.stdout.write(await log());
  heading(
    'the pushed commit',
    "newDigest: the ImagePolicy sets no digestReflectionPolicy, so Flux's default Never holds:",
    '  the chosen ref has no digest and the marker is set to "" rather than left pinning',
    "  1.4.2's image (a Kustomization's newDigest pins the image whatever newTag says)",
  );
  process.stdout.write(await showHead({ patch: true }));

  heading('1.9.1 is pushed to the registry; tagsmith run again');
  await registry.pushImage('my-app', '1.9.1');
  await run('2026-01-06T09:00:00+00:00');
  heading('git log of the remote');
  process.stdout.write(await log());
  heading('the pushed commit', 'the same fields, 1.9.0 -> 1.9.1; newDigest stays ""');
  process.stdout.write(await showHead({ patch: false }));

  heading(
    'tagsmith run once more',
    'no new tags: every field already holds its choice, so no commit and no push',
  );
  const before = await remote.head('main');
  await run('2026-01-07T09:00:00+00:00');
  heading('git log of the remote');
  process.stdout.write(await log());
  if ((await remote.head('main')) !== before) throw new Error('the third run moved main');
  const legacy = 'infra/legacy/deployment.yaml';
  if ((await remote.readFile(legacy)) !== appsFiles('')[legacy]) {
    throw new Error(`${legacy} changed, though it is outside ./apps`);
  }
  console.log(`\nmain did not move; ${legacy} is as it was (outside ./apps)`);
} finally {
  // Every server and temp dir, in reverse order, also when a step failed.
  for (const cleanup of cleanups.reverse()) await cleanup();
}
