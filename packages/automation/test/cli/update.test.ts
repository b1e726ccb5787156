// `tagsmith update` as a child process on a temp tree: only the marked fields change,
// --dry-run writes nothing (byte for byte) and prints the diff, a malformed file is
// reported as path:line:column and left as it was, bad --set values exit 2, --json.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { tagsmith } from './tagsmith.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # image: ghcr.io/acme/web:1.4.0 stays in this comment
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.0 # {"$imagepolicy": "flux-system:web"}
        - name: sidecar
          image: ghcr.io/acme/proxy:0.9.0 # {"$imagepolicy": "flux-system:proxy"}
`;
const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: ghcr.io/acme/web
    newTag: 1.4.0 # {"$imagepolicy": "flux-system:web:tag"}
    newDigest: "" # {"$imagepolicy": "flux-system:web:digest"}
`;
const MALFORMED = 'image: [ghcr.io/acme/web:1.4.0 # {"$imagepolicy": "flux-system:web"}\nnext: 1\n';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

async function tree(files: Record<string, string>) {
  const dir = await tempDir('cli-update');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir.path, path, '..'), { recursive: true });
    await writeFile(join(dir.path, path), text);
  }
  const read = (path: string) => readFile(join(dir.path, path), 'utf8');
  return { cwd: dir.path, read };
}

const seed = () =>
  tree({ 'apps/web/deployment.yaml': DEPLOYMENT, 'apps/web/kustomization.yaml': KUSTOMIZATION });

describe('tagsmith update', () => {
  it('sets the fields marked for the given policies only and lists each change', async () => {
    const { cwd, read } = await seed();
    const result = await tagsmith(
      ['update', 'apps', '--set', `flux-system:web=ghcr.io/acme/web:1.5.2@${DIGEST}`],
      { cwd },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        `apps/web/deployment.yaml:10  flux-system:web  ghcr.io/acme/web:1.4.0 -> ghcr.io/acme/web:1.5.2@${DIGEST}`,
        'apps/web/kustomization.yaml:5  flux-system:web:tag  1.4.0 -> 1.5.2',
        `apps/web/kustomization.yaml:6  flux-system:web:digest  "" -> ${DIGEST}`,
        'updated 2 files',
        '',
      ].join('\n'),
    );
    expect(await read('apps/web/deployment.yaml')).toBe(
      DEPLOYMENT.replace('web:1.4.0 # {', `web:1.5.2@${DIGEST} # {`),
    );
    expect(await read('apps/web/kustomization.yaml')).toBe(
      KUSTOMIZATION.replace('newTag: 1.4.0', 'newTag: 1.5.2').replace('""', `"${DIGEST}"`),
    );
  });

  it('--dry-run prints the diff of each file and writes nothing', async () => {
    const { cwd, read } = await seed();
    const result = await tagsmith(
      ['update', '.', '--set', 'flux-system:web=ghcr.io/acme/web:1.5.2', '--dry-run'],
      { cwd },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(
      '--- a/apps/web/deployment.yaml\n+++ b/apps/web/deployment.yaml\n',
    );
    expect(result.stdout).toContain(
      '-          image: ghcr.io/acme/web:1.4.0 # {"$imagepolicy": "flux-system:web"}\n' +
        '+          image: ghcr.io/acme/web:1.5.2 # {"$imagepolicy": "flux-system:web"}\n',
    );
    expect(result.stdout).toContain('-    newTag: 1.4.0 #');
    expect(result.stdout).toContain('+    newTag: 1.5.2 #');
    expect(result.stdout.endsWith('would update 2 files\n')).toBe(true);
    expect(result.stdout).not.toContain('\u001b[');
    expect(await read('apps/web/deployment.yaml')).toBe(DEPLOYMENT);
    expect(await read('apps/web/kustomization.yaml')).toBe(KUSTOMIZATION);
  });

  it('reports a malformed file as path:line:column, leaves it byte-identical and exits 1', async () => {
    const { cwd, read } = await tree({
      'apps/broken.yaml': MALFORMED,
      'apps/web/deployment.yaml': DEPLOYMENT,
    });
    const result = await tagsmith(
      ['update', 'apps', '--set', 'flux-system:web=ghcr.io/acme/web:1.5.2'],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^apps\/broken\.yaml:\d+:\d+: not valid YAML/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain('updated 1 file\n');
    expect(await read('apps/broken.yaml')).toBe(MALFORMED);
  });

  it('--quiet prints only the problems', async () => {
    const { cwd } = await tree({ 'broken.yaml': MALFORMED, 'deployment.yaml': DEPLOYMENT });
    const result = await tagsmith(
      ['update', '.', '--quiet', '--set', 'flux-system:web=ghcr.io/acme/web:1.5.2'],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^broken\.yaml:\d+:\d+: not valid YAML/);
  });

  it('--json prints the files and problems', async () => {
    const { cwd } = await tree({ 'broken.yaml': MALFORMED, 'deployment.yaml': DEPLOYMENT });
    const result = await tagsmith(
      ['update', '.', '--json', '--set', 'flux-system:web=ghcr.io/acme/web:1.5.2'],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      files: [
        {
          path: 'deployment.yaml',
          changes: [
            expect.objectContaining({
              setter: 'flux-system:web',
              oldValue: 'ghcr.io/acme/web:1.4.0',
              newValue: 'ghcr.io/acme/web:1.5.2',
              line: 10,
            }),
          ],
        },
      ],
      problems: [expect.objectContaining({ path: 'broken.yaml', kind: 'parse-error' })],
    });
  });

  it.each([
    ['no policy key', 'ghcr.io/acme/web:1.5.2', 'NAMESPACE:NAME=IMAGE:TAG'],
    ['no tag', 'flux-system:web=ghcr.io/acme/web', 'no tag'],
    ['a port but no tag', 'flux-system:web=localhost:5000/web', 'no tag'],
    ['an upper-case image name', 'flux-system:web=ghcr.io/acme/WEB:1.0', 'WEB'],
    ['a short digest', 'flux-system:web=ghcr.io/acme/web:1.0@sha256:abc', 'digest'],
  ])(
    'refuses --set with %s: one line naming it, exit 2, nothing written',
    async (_, value, named) => {
      const { cwd, read } = await seed();
      const result = await tagsmith(['update', 'apps', '--set', value], { cwd });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(named);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(await read('apps/web/deployment.yaml')).toBe(DEPLOYMENT);
    },
  );

  it('refuses a directory that does not exist with exit 2', async () => {
    const { cwd } = await seed();
    const result = await tagsmith(['update', 'nope', '--set', 'a:b=ghcr.io/a/b:1'], { cwd });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('tagsmith update: nope: no such directory\n');
  });
});
