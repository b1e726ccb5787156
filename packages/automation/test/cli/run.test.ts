// tagsmith run as a child process on the seed scenario: the testkit registry serves
// registry.example.com (--host), a bare repository served over HTTP is the remote. What
// was pushed is read back from the remote; what was printed is checked line by line.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SECRET_CANARY, tempDir } from '@tagsmith/test-utils';
import { createGitFixture, serveGit, startRegistry, type TestRegistry } from '@tagsmith/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationReport } from '../../src/index.js';
import { SEED_FILES, SEED_TAGS } from '../helpers.js';
import {
  closedEndpoint,
  gitRepository,
  SEED_MANIFESTS,
  SEED_MESSAGE,
  seedScenario,
  V1_MANIFESTS,
  waitForOutput,
} from './scenario.js';
import { startTagsmith, tagsmith } from './tagsmith.js';

const TIMEOUT = 60_000;
const execFileAsync = promisify(execFile);
const ESC = '\u001b';
// The commit dates the demo pins so its shas are the same on every machine.
const PINNED_DATES = {
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
};

let registry: TestRegistry;
let host: string;

beforeAll(async () => {
  registry = await startRegistry();
  await registry.pushTags('my-app', SEED_TAGS);
  host = `registry.example.com=${registry.url}`;
});
afterAll(() => registry.close());

/** The report body for the seed's first cycle, after `automation ...:` (sha included). */
function firstCycleText(outcome: string): string {
  return `image repositories
  flux-system/my-app  registry.example.com/my-app  6 tags
policies
  flux-system:my-app  1.9.0  highest version in ">=1.0.0 <2.0.0"
    before: 1.0.0, 1.4.2, registry.example.com/my-app:1.0.0
automation flux-system/flux-system: ${outcome}
  commit message:
    ${SEED_MESSAGE}
  changes:
    apps/my-app/deployment.yaml:16  flux-system:my-app  registry.example.com/my-app:1.0.0 -> registry.example.com/my-app:1.9.0
    apps/my-app/kustomization.yaml:8  flux-system:my-app:tag  1.4.2 -> 1.9.0
    apps/my-app/release.yaml:13  flux-system:my-app:tag  1.0.0 -> 1.9.0
`;
}

/** Every file under `dir` (`.git` included) with its bytes, for byte-for-byte comparisons. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) files.set(entry, (await readFile(path)).toString('base64'));
  }
  return files;
}

describe('tagsmith run', () => {
  it(
    'pushes the chosen tag, prints what and why, then makes no commit on a second run',
    async () => {
      const scenario = await seedScenario();
      try {
        const first = await tagsmith(['run', scenario.dir, '--host', host], { env: PINNED_DATES });
        expect(first.stderr).toContain('flux-system.yaml:37:24: warning:');
        expect(first.code).toBe(0);
        const log = await scenario.remote.log();
        expect(log.map((commit) => commit.message)).toEqual([SEED_MESSAGE, 'initial commit']);
        const sha = log[0]?.sha ?? '';
        expect(first.stdout).toBe(firstCycleText(`pushed ${sha.slice(0, 7)} to main`));
        expect(await scenario.remote.readFile('apps/my-app/deployment.yaml')).toContain(
          'registry.example.com/my-app:1.9.0 # {"$imagepolicy": "flux-system:my-app"}',
        );

        const second = await tagsmith(['run', scenario.dir, '--host', host]);
        expect(second.code).toBe(0);
        expect(second.stdout).toContain('automation flux-system/flux-system: no change\n');
        expect(await scenario.remote.head()).toBe(sha);
      } finally {
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it(
    'makes the same commit sha on two machines when GIT_AUTHOR_DATE and GIT_COMMITTER_DATE are set',
    async () => {
      const shas = [];
      for (const _ of [1, 2]) {
        const scenario = await seedScenario();
        try {
          const result = await tagsmith(['run', scenario.dir, '--host', host, '--quiet'], {
            env: PINNED_DATES,
          });
          expect(result.code).toBe(0);
          shas.push(await scenario.remote.head());
        } finally {
          await scenario.close();
        }
      }
      expect(shas[0]).toMatch(/^[0-9a-f]{40}$/);
      expect(shas[1]).toBe(shas[0]);
    },
    TIMEOUT,
  );

  it(
    'hands the caller environment to git: the pinned commit dates and SSH_AUTH_SOCK',
    async () => {
      const scenario = await seedScenario();
      const dir = (await tempDir('cli-ssh')).path;
      try {
        const result = await tagsmith(['run', scenario.dir, '--host', host, '--quiet'], {
          env: PINNED_DATES,
        });
        expect(result.code).toBe(0);
        const dates = await execFileAsync('git', ['log', '-1', '--format=%aI %cI'], {
          cwd: scenario.remote.bareDir,
        });
        expect(dates.stdout.trim()).toBe('2025-01-01T00:00:00+00:00 2025-01-01T00:00:00+00:00');

        // An ssh remote whose "ssh" records the agent socket it was given, then fails.
        const fakeSsh = join(dir, 'ssh.sh');
        await writeFile(
          fakeSsh,
          `#!/bin/sh\nprintf '%s' "$SSH_AUTH_SOCK" > '${dir}/sock'\nexit 1\n`,
          {
            mode: 0o755,
          },
        );
        await writeFile(
          join(scenario.dir, 'gitrepository.yaml'),
          gitRepository('ssh://git@127.0.0.1/repo.git'),
        );
        const ssh = await tagsmith(['run', scenario.dir, '--host', host, '--quiet'], {
          env: { SSH_AUTH_SOCK: '/run/agent.sock', GIT_SSH_COMMAND: fakeSsh },
        });
        expect(ssh.code).toBe(1);
        expect(ssh.stdout).toContain('automation flux-system/flux-system: failed: ');
        expect(await readFile(join(dir, 'sock'), 'utf8')).toBe('/run/agent.sock');
      } finally {
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it(
    'never prints a git password from the environment, pushing or refused',
    async () => {
      const password = 'right-password-for-the-test';
      const remote = await createGitFixture({ files: SEED_FILES, branch: 'main' });
      const server = await serveGit(remote.bareDir, {
        auth: { type: 'basic', username: 'flux', password },
      });
      try {
        const dir = (await tempDir('cli-secret')).path;
        await writeFile(join(dir, 'flux-system.yaml'), SEED_MANIFESTS);
        await writeFile(join(dir, 'gitrepository.yaml'), gitRepository(server.url));
        await writeFile(
          join(dir, 'tagsmith.yaml'),
          `apiVersion: tagsmith.dev/v1
kind: Config
manifests: [.]
overrides:
  gitRepositories:
    flux-system/gitops-config:
      credentials: { type: basic, username: flux, password: env:GIT_PASSWORD }
`,
        );
        const args = ['run', dir, '--host', host];
        const refused = await tagsmith(args, { env: { GIT_PASSWORD: SECRET_CANARY } });
        expect(refused.code).toBe(1);
        expect(refused.stdout).toContain('automation flux-system/flux-system: failed: ');
        const refusedJson = await tagsmith([...args, '--json'], {
          env: { GIT_PASSWORD: SECRET_CANARY },
        });
        const pushed = await tagsmith([...args, '--dry-run'], { env: { GIT_PASSWORD: password } });
        expect(pushed.stdout).toContain('would push to main');
        for (const result of [refused, refusedJson]) {
          expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET_CANARY);
        }
        expect(`${pushed.stdout}${pushed.stderr}`).not.toContain(password);
      } finally {
        await server.close();
        await remote.remove();
      }
    },
    TIMEOUT,
  );

  it(
    'prints the AutomationReport with --json, and nothing else on stdout',
    async () => {
      const scenario = await seedScenario();
      try {
        const result = await tagsmith(['run', scenario.dir, '--host', host, '--json']);
        expect(result.code).toBe(0);
        expect(result.stdout).not.toContain(ESC);
        // No TTY on stderr: no progress either, only the template warning.
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        const report = JSON.parse(result.stdout) as AutomationReport;
        expect(result.stdout).toBe(`${JSON.stringify(report, null, 2)}\n`);
        expect(Object.keys(report).sort()).toEqual([
          'automations',
          'dryRun',
          'finishedAt',
          'imageRepositories',
          'policies',
          'startedAt',
        ]);
        expect(Date.parse(report.startedAt)).not.toBeNaN();
        expect(report.dryRun).toBe(false);
        expect(report.imageRepositories).toEqual([
          {
            repository: 'flux-system/my-app',
            image: 'registry.example.com/my-app',
            status: 'listed',
            tagCount: 6,
          },
        ]);
        expect(report.policies[0]).toMatchObject({
          policy: 'flux-system:my-app',
          status: 'chosen',
          chosen: { name: 'registry.example.com/my-app', tag: '1.9.0' },
        });
        const [run] = report.automations;
        expect(run).toMatchObject({
          automation: 'flux-system/flux-system',
          status: 'pushed',
          commit: { message: SEED_MESSAGE },
        });
        expect(run?.commit?.sha).toBe(await scenario.remote.head());
        expect(run?.files.map((file) => file.path)).toEqual([
          'apps/my-app/deployment.yaml',
          'apps/my-app/kustomization.yaml',
          'apps/my-app/release.yaml',
        ]);
      } finally {
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it(
    'prints the diff with --dry-run and leaves the remote and a local path: source byte for byte',
    async () => {
      const scenario = await seedScenario();
      const local = await createGitFixture({ files: { 'apps/app.yaml': SEED_APP } });
      try {
        const checkout = await local.clone({ name: 'checkout' });
        await writeFile(
          join(scenario.dir, 'tagsmith.yaml'),
          `apiVersion: tagsmith.dev/v1
kind: Config
manifests: [.]
automations:
  - name: local
    namespace: flux-system
    git: { path: ${JSON.stringify(checkout)} }
    checkout: { branch: main }
    updatePath: .
    author: { name: tagsmith, email: bot@example.com }
    push: { branch: main }
    policies: [my-app]
`,
        );
        const refs = await scenario.remote.refs();
        const before = await snapshot(checkout);
        const result = await tagsmith(['run', scenario.dir, '--host', host, '--dry-run']);
        expect(result.code).toBe(0);
        expect(await scenario.remote.refs()).toEqual(refs);
        expect(await snapshot(checkout)).toEqual(before);
        expect(result.stdout).toContain(
          'automation flux-system/flux-system: would push to main (dry run: nothing written, committed or pushed)\n',
        );
        expect(result.stdout).toContain('automation flux-system/local: would push to main');
        expect(result.stdout).toContain(
          [
            '--- a/apps/my-app/kustomization.yaml',
            '+++ b/apps/my-app/kustomization.yaml',
            '@@ -5,4 +5,4 @@',
            ' images:',
            '   - name: my-app',
            '     newName: registry.example.com/my-app # {"$imagepolicy": "flux-system:my-app:name"}',
            '-    newTag: 1.4.2 # {"$imagepolicy": "flux-system:my-app:tag"}',
            '+    newTag: 1.9.0 # {"$imagepolicy": "flux-system:my-app:tag"}',
          ].join('\n'),
        );
        expect(result.stdout).toContain('-image: registry.example.com/my-app:1.0.0');
        expect(result.stdout).not.toContain(ESC);
      } finally {
        await local.remove();
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it(
    'runs only the automations named by --automation',
    async () => {
      const scenario = await seedScenario(
        `${SEED_MANIFESTS}---\n${SEED_MANIFESTS.split('---\n')[2]
          ?.replace('name: flux-system\n', 'name: bump-branch\n')
          .replace('branch: main', 'branch: bump')}`,
      );
      try {
        const result = await tagsmith([
          'run',
          scenario.dir,
          '--host',
          host,
          '--automation',
          'flux-system/bump-branch',
          '--quiet',
        ]);
        expect(result.code).toBe(0);
        const sha = (await scenario.remote.head('bump')) ?? '';
        expect(result.stdout).toBe(
          `automation flux-system/bump-branch: pushed ${sha.slice(0, 7)} to bump\n`,
        );
        expect((await scenario.remote.log()).map((commit) => commit.message)).toEqual([
          'initial commit',
        ]);
      } finally {
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it(
    'colors stdout with FORCE_COLOR, and never with NO_COLOR or --json',
    async () => {
      const scenario = await seedScenario();
      try {
        const args = ['run', scenario.dir, '--host', host, '--dry-run'];
        const forced = await tagsmith(args, { env: { FORCE_COLOR: '1' } });
        expect(forced.code).toBe(0);
        expect(forced.stdout).toContain(`${ESC}[32m+    newTag: 1.9.0`);
        expect(forced.stdout).toContain(`${ESC}[32m1.9.0${ESC}[39m`);
        const both = await tagsmith(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
        expect(both.stdout).not.toContain(ESC);
        expect(both.stderr).not.toContain(ESC);
        const json = await tagsmith([...args, '--json'], { env: { FORCE_COLOR: '1' } });
        expect(json.stdout).not.toContain(ESC);
        expect((JSON.parse(json.stdout) as AutomationReport).dryRun).toBe(true);
      } finally {
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it(
    'stops cleanly on SIGTERM during --interval: exit 0, exactly the first cycle pushed',
    async () => {
      const scenario = await seedScenario();
      try {
        const child = startTagsmith(['run', scenario.dir, '--host', host, '--interval', '1s']);
        child.stdin.end();
        await waitForOutput(() => child.output().stdout, 'automation flux-system/flux-system:');
        child.kill('SIGTERM');
        const result = await child.done;
        expect(result).toMatchObject({ code: 0, signal: null });
        expect(result.stdout).toContain('automation flux-system/flux-system: pushed ');
        expect((await scenario.remote.log()).map((commit) => commit.message)).toEqual([
          SEED_MESSAGE,
          'initial commit',
        ]);
      } finally {
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it.each([
    [['--interval', '1s'], 0, ''],
    [[], 1, 'tagsmith run: stopped by SIGTERM; the cycle was abandoned\n'],
  ])(
    'abandons a cycle in progress on SIGTERM (%j): exit %d, nothing pushed',
    async (extra, code, stderrEnd) => {
      const scenario = await seedScenario(V1_MANIFESTS);
      // A listing that hangs, so the signal lands mid-cycle.
      registry.faults.add({ path: /\/tags\/list$/, delayMs: 120_000, times: Infinity });
      try {
        const seen = registry.requests.length;
        const child = startTagsmith(['run', scenario.dir, '--host', host, '--quiet', ...extra]);
        child.stdin.end();
        while (!registry.requests.slice(seen).some((r) => r.path.includes('/tags/list'))) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        child.kill('SIGTERM');
        const result = await child.done;
        expect(result).toMatchObject({ code, signal: null, stdout: '', stderr: stderrEnd });
        expect((await scenario.remote.log()).map((commit) => commit.message)).toEqual([
          'initial commit',
        ]);
      } finally {
        registry.faults.clear();
        await scenario.close();
      }
    },
    TIMEOUT,
  );

  it(
    'goes on after a failing cycle and after a config error inside --interval, reloading the config',
    async () => {
      const scenario = await seedScenario(V1_MANIFESTS);
      const gitFile = join(scenario.dir, 'gitrepository.yaml');
      try {
        // First cycle: a remote that refuses the clone.
        await writeFile(gitFile, gitRepository(`${scenario.server.url}-missing`));
        const child = startTagsmith(['run', scenario.dir, '--host', host, '--interval', '300ms']);
        child.stdin.end();
        await waitForOutput(
          () => child.output().stdout,
          'automation flux-system/flux-system: failed',
        );
        // Next: a YAML error, reported, and the loop goes on.
        await writeFile(gitFile, `${gitRepository(scenario.server.url)}  url: [\n`);
        await waitForOutput(() => child.output().stderr, 'gitrepository.yaml:');
        await writeFile(gitFile, gitRepository(scenario.server.url));
        await waitForOutput(() => child.output().stdout, 'flux-system/flux-system: pushed');
        child.kill('SIGTERM');
        const result = await child.done;
        expect(result).toMatchObject({ code: 0, signal: null });
        expect(result.stderr).toMatch(/gitrepository\.yaml:\d+:\d+: error: .*\(yaml-syntax\)/);
        expect((await scenario.remote.log()).length).toBe(2);
      } finally {
        await scenario.close();
      }
    },
    TIMEOUT,
  );
});

const SEED_APP =
  'image: registry.example.com/my-app:1.0.0 # {"$imagepolicy": "flux-system:my-app"}\n';

describe('tagsmith run: bad input, one line on stderr', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tagsmith-cli-bad-'));
    await writeFile(join(dir, 'flux.yaml'), V1_MANIFESTS);
    await writeFile(join(dir, 'git.yaml'), gitRepository('http://127.0.0.1:9/none.git'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** A fresh copy of the good manifests, to break one thing in. */
  async function copyOf(source: string): Promise<string> {
    const copy = (await tempDir('cli-bad-copy')).path;
    await cp(source, copy, { recursive: true });
    return copy;
  }

  async function oneLine(args: string[], code: number, ...texts: string[]): Promise<string> {
    const result = await tagsmith(args, { cwd: dir });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(code);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    for (const text of texts) expect(lines[0]).toContain(text);
    return lines[0] ?? '';
  }

  it('an unknown flag: 2', () => oneLine(['run', '--bogus'], 2, "unknown option '--bogus'"));
  it('a missing config: 2', () =>
    oneLine(['run', 'no-such-dir', '--host', host], 2, 'tagsmith run: no-such-dir'));
  it('a bad --interval: 2', () => oneLine(['run', '.', '--interval', '5'], 2, '--interval "5"'));
  it('a bad --host: 2', () => oneLine(['run', '.', '--host', 'nohost'], 2, '--host "nohost"'));
  it('an unknown --automation: 2', () =>
    oneLine(['run', '.', '--automation', 'x/y'], 2, '--automation x/y', 'flux-system/flux-system'));

  it('malformed YAML: 2, at file:line:column', async () => {
    const bad = await copyOf(dir);
    await writeFile(
      join(bad, 'extra.yaml'),
      'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: other\n\tnamespace: apps\n',
    );
    await oneLine(['run', bad], 2, `${bad}/extra.yaml:5:1: error:`, '(yaml-syntax)');
  });

  it('a broken messageTemplate: 2, at file:line:column', async () => {
    const bad = await copyOf(dir);
    await writeFile(
      join(bad, 'flux.yaml'),
      V1_MANIFESTS.replace('{{.NewValue}} {{end}}', '{{.NewValue}'),
    );
    await oneLine(['run', bad], 2, `${bad}/flux.yaml:37:24: error:`, '(template)');
  });

  it(
    'an unreachable registry: 1, and the report says which repository and why',
    async () => {
      const result = await tagsmith(
        ['run', '.', '--host', `registry.example.com=${await closedEndpoint()}`, '--quiet'],
        { cwd: dir },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('image repositories');
      expect(lines[1]).toMatch(
        /^ {2}flux-system\/my-app {2}registry\.example\.com\/my-app {2}failed: NETWORK: \[GET\] http:\/\/127\.0\.0\.1:\d+\/v2\/my-app\/tags\/list/,
      );
    },
    TIMEOUT,
  );
});
