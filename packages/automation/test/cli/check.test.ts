// tagsmith check as a child process: loadConfig alone, so a GitRepository URL and a
// registry nobody serves are fine (no network, no git). Every problem kind is printed at
// its file:line:column; errors exit 2, warnings do not.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import type { ConfigProblem } from '../../src/index.js';
import { gitRepository, SEED_MANIFESTS } from './scenario.js';
import { tagsmith } from './tagsmith.js';

// One object per problem kind the loader reports, beside the seed's valid manifests.
const BROKEN = `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: orphan
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: missing
  policy:
    alphabetical: {}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: my-app
  namespace: flux-system
spec:
  image: registry.example.com/dup
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: private
  namespace: flux-system
spec:
  image: registry.example.com/private
  secretRef:
    name: creds
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: typed
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: private
  policy:
    semver:
      range: 5
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: broken
  namespace: flux-system
spec:
  sourceRef:
    kind: GitRepository
    name: gitops-config
  git:
    commit:
      author: { name: a, email: a@example.com }
      messageTemplate: "{{ .Changed"
  update:
    path: ./apps
`;
const TAB_INDENTED =
  'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: other\n\tnamespace: apps\n';

async function validDir(): Promise<string> {
  const dir = (await tempDir('cli-check')).path;
  await writeFile(join(dir, 'flux-system.yaml'), SEED_MANIFESTS);
  // Nothing listens there: check must not try.
  await writeFile(join(dir, 'gitrepository.yaml'), gitRepository('http://127.0.0.1:9/none.git'));
  return dir;
}

async function brokenDir(): Promise<string> {
  const dir = await validDir();
  await writeFile(join(dir, 'broken.yaml'), BROKEN);
  await writeFile(join(dir, 'syntax.yaml'), TAB_INDENTED);
  return dir;
}

describe('tagsmith check', () => {
  it('passes a valid directory with a warning: exit 0, a one-line summary', async () => {
    const dir = await validDir();
    const result = await tagsmith(['check'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok: 1 image repository, 1 policy, 1 automation (1 warning)\n');
    expect(result.stderr).toBe(
      "flux-system.yaml:37:24: warning: messageTemplate of flux-system/flux-system uses .Updated, which image.toolkit.fluxcd.io/v1beta1 still renders; Flux's v1 API removed it: use .Changed (deprecated)\n",
    );
  });

  it('prints every problem kind at file:line:column and exits 2', async () => {
    const dir = await brokenDir();
    const result = await tagsmith(['check', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(
      lines.map((line) => line.replace(/^(\S+): (error|warning): .*\((\S+)\)$/, '$1 $2 $3')),
    ).toEqual([
      'broken.yaml:8:11 error unknown-reference',
      'broken.yaml:27:3 warning not-supported',
      'broken.yaml:40:14 error schema',
      'broken.yaml:54:24 error template',
      // Files load in path order, so the seed's my-app is the one defined again.
      'flux-system.yaml:1:1 error duplicate',
      'flux-system.yaml:37:24 warning deprecated',
      'syntax.yaml:5:1 error yaml-syntax',
    ]);
    expect(lines[3]).toContain('messageTemplate of flux-system/broken does not parse');
    expect(result.stdout).toBe(
      '5 errors, 2 warnings; loaded 2 image repositories, 1 policy, 1 automation\n',
    );
  });

  it('prints only the problems with --quiet', async () => {
    const dir = await brokenDir();
    const result = await tagsmith(['check', dir, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(7);
    expect(result.stderr).toContain(`${dir}/syntax.yaml:5:1: error: `);
  });

  it('prints the problems and counts as JSON with --json', async () => {
    const dir = await brokenDir();
    const result = await tagsmith(['check', '--json'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout) as {
      problems: ConfigProblem[];
      imageRepositories: number;
      imagePolicies: number;
      automations: number;
    };
    expect(parsed).toMatchObject({ imageRepositories: 2, imagePolicies: 1, automations: 1 });
    expect(parsed.problems.map((problem) => problem.kind)).toEqual([
      'unknown-reference',
      'not-supported',
      'schema',
      'template',
      'duplicate',
      'deprecated',
      'yaml-syntax',
    ]);
    expect(parsed.problems[6]).toMatchObject({
      severity: 'error',
      location: { file: 'syntax.yaml', line: 5, column: 1 },
    });
    const valid = await tagsmith(['check', '--json'], { cwd: await validDir() });
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ automations: 1 });
  });

  it('says in one line that a config does not exist: exit 2', async () => {
    const result = await tagsmith(['check', 'nowhere.yaml'], { cwd: await validDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tagsmith check: nowhere\.yaml does not exist[^\n]*\n$/);
  });
});
