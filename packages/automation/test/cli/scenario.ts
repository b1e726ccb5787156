// The seed scenario for the CLI tests: a git remote holding the seed's apps/ manifests,
// served over HTTP, and a directory of Flux manifests pointing at it (the seed's three
// manifests unchanged plus a GitRepository). The registry is shared per test file.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitFixture, type GitFixture, type GitServer, serveGit } from '@tagsmith/testkit';
import { SEED_FILES } from '../helpers.js';
import { closedPort } from './registry-setup.js';

/** The seed's ImageRepository, ImagePolicy and ImageUpdateAutomation (v1beta1, `.Updated` template). */
export const SEED_MANIFESTS = await readFile(
  new URL('../fixtures/seed/image-automation.yaml', import.meta.url),
  'utf8',
);

/** The commit message the seed's template renders for 1.9.0. */
export const SEED_MESSAGE = 'chore: update image to registry.example.com/my-app:1.9.0';

/** The same three objects under `v1`, with a `.Changed` template: no warning on stderr. */
export const V1_MANIFESTS = SEED_MANIFESTS.replace(
  /image\.toolkit\.fluxcd\.io\/v1beta[12]/g,
  'image.toolkit.fluxcd.io/v1',
).replace(
  'messageTemplate: "chore: update image to {{range .Updated.Images}}{{.}}{{end}}"',
  'messageTemplate: "chore: update {{range .Changed.Changes}}{{.NewValue}} {{end}}"',
);

/** A GitRepository named as the seed's automation expects. */
export function gitRepository(url: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: gitops-config
  namespace: flux-system
spec:
  interval: 1m
  url: ${url}
  ref:
    branch: main
`;
}

/** A remote with the seed's files over HTTP, and a manifests directory pointing at it. */
export interface Scenario {
  remote: GitFixture;
  server: GitServer;
  /** The manifests directory (flux-system.yaml, gitrepository.yaml). */
  dir: string;
  close(): Promise<void>;
}

/** Builds a {@link Scenario}; `manifests` replaces the seed's flux-system.yaml. */
export async function seedScenario(manifests = SEED_MANIFESTS): Promise<Scenario> {
  const remote = await createGitFixture({ files: SEED_FILES, branch: 'main' });
  const server = await serveGit(remote.bareDir);
  // Not tempDir: a scenario may outlive one test (beforeAll), so close() removes it.
  const dir = await mkdtemp(join(tmpdir(), 'tagsmith-cli-'));
  await writeFile(join(dir, 'flux-system.yaml'), manifests);
  await writeFile(join(dir, 'gitrepository.yaml'), gitRepository(server.url));
  return {
    remote,
    server,
    dir,
    async close() {
      await server.close();
      await remote.remove();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An http URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function closedEndpoint(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}

/** Resolves once `read()` contains `text`; polls, since a child's output arrives in chunks. */
export async function waitForOutput(read: () => string, text: string): Promise<void> {
  while (!read().includes(text)) await new Promise((resolve) => setTimeout(resolve, 25));
}
