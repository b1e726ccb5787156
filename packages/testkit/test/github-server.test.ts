import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expectCode, tempDir } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type GitHubServer,
  type StartGitHubServerOptions,
  startGitHubServer,
  TestkitError,
} from '../src/index.js';

// Every test runs git; generous for a loaded 2-core machine.
const GIT_TIMEOUT = { timeout: 30_000 };

const run = promisify(execFile);
const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: ENV });
  return stdout.trim();
}

/** A bare repository with `main` holding `files` in one commit by seed@example.com. */
async function seed(files: Record<string, string>): Promise<{ bare: string; root: string }> {
  const root = (await tempDir('github-server')).path;
  const work = join(root, 'work');
  await git(root, 'init', '-q', '-b', 'main', work);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content);
  }
  await git(work, 'add', '-A');
  await git(
    work,
    '-c',
    'user.name=Seed',
    '-c',
    'user.email=seed@example.com',
    'commit',
    '-qm',
    'seed',
  );
  const bare = join(root, 'bare.git');
  await git(root, 'clone', '-q', '--bare', work, bare);
  return { bare, root };
}

const FILES = { 'README.md': '# demo\n', 'deploy/app.yaml': 'image: app:1.0.0\n' };

async function start(
  options: Omit<StartGitHubServerOptions, 'bareRepo'> = {},
): Promise<GitHubServer & { bare: string; root: string }> {
  const { bare, root } = await seed(FILES);
  const server = await startGitHubServer({ bareRepo: bare, ...options });
  return Object.assign(server, { bare, root });
}

/** A JSON request to the server's API; returns status, headers and parsed body. */
async function api(
  server: GitHubServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: GitHub's JSON of many shapes, read field by field in assertions.
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { accept: 'application/vnd.github+json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

const R = '/repos/tagsmith/demo';

/** Makes a commit on `parent` adding `path` through the API; returns its SHA. */
async function apiCommit(
  server: GitHubServer,
  parent: string,
  path: string,
  message = path,
): Promise<string> {
  const base = (await api(server, 'GET', `${R}/git/commits/${parent}`)).body.tree.sha;
  const tree = await api(server, 'POST', `${R}/git/trees`, {
    base_tree: base,
    tree: [{ path, mode: '100644', type: 'blob', content: `${path}\n` }],
  });
  const commit = await api(server, 'POST', `${R}/git/commits`, {
    message,
    tree: tree.body.sha,
    parents: [parent],
    author: { name: 'Bot', email: 'bot@example.com', date: '2024-05-01T12:00:00Z' },
  });
  return commit.body.sha;
}

async function head(server: GitHubServer & { bare: string }, branch = 'main'): Promise<string> {
  return git(server.bare, 'rev-parse', `refs/heads/${branch}`);
}

describe('startGitHubServer: repository, refs and git data', GIT_TIMEOUT, () => {
  it('answers the repository with its default branch, and 404 JSON for unknown paths', async () => {
    await using server = await start();
    expect((await api(server, 'GET', R)).body).toMatchObject({
      full_name: 'tagsmith/demo',
      default_branch: 'main',
    });
    for (const path of [
      '/repos/tagsmith/other',
      '/nope',
      `${R}/git/blobs`,
      `${R}/git/ref/heads/missing`,
    ]) {
      const answer = await api(server, 'GET', path);
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({
        message: 'Not Found',
        documentation_url: expect.any(String),
      });
    }
  });

  it('stores blobs from UTF-8 and base64 and serves them in base64', async () => {
    await using server = await start();
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const binary = await api(server, 'POST', `${R}/git/blobs`, {
      content: bytes.toString('base64'),
      encoding: 'base64',
    });
    const text = await api(server, 'POST', `${R}/git/blobs`, { content: 'héllo\n' });
    expect(binary.status).toBe(201);
    expect(await git(server.bare, 'cat-file', '-t', binary.body.sha)).toBe('blob');
    const back = await api(server, 'GET', `${R}/git/blobs/${binary.body.sha}`);
    expect(back.body).toMatchObject({ encoding: 'base64', size: 5 });
    expect(Buffer.from(back.body.content, 'base64')).toEqual(bytes);
    expect(await git(server.bare, 'cat-file', 'blob', text.body.sha)).toBe('héllo');
    expect((await api(server, 'POST', `${R}/git/blobs`, { encoding: 'utf-8' })).status).toBe(422);
    expect((await api(server, 'POST', `${R}/git/blobs`, '{not json')).status).toBe(400);
  });

  it('builds nested trees on base_tree, deletes paths (a directory with its files), and lists them recursively', async () => {
    await using server = await start();
    const base = await git(server.bare, 'rev-parse', 'main^{tree}');
    const tree = await api(server, 'POST', `${R}/git/trees`, {
      base_tree: base,
      tree: [
        { path: 'a/b/c.txt', mode: '100644', type: 'blob', content: 'c\n' },
        { path: 'run.sh', mode: '100755', type: 'blob', content: '#!/bin/sh\n' },
        { path: 'deploy', mode: '040000', type: 'tree', sha: null },
      ],
    });
    expect(tree.status).toBe(201);
    const listing = await api(server, 'GET', `${R}/git/trees/${tree.body.sha}?recursive=1`);
    expect(listing.body.truncated).toBe(false);
    expect(
      listing.body.tree.map(
        (entry: { path: string; type: string; mode: string }) =>
          `${entry.mode} ${entry.type} ${entry.path}`,
      ),
    ).toEqual([
      '100644 blob README.md',
      '040000 tree a',
      '040000 tree a/b',
      '100644 blob a/b/c.txt',
      '100755 blob run.sh',
    ]);
    expect(await git(server.bare, 'ls-tree', '-r', '--name-only', tree.body.sha)).toBe(
      'README.md\na/b/c.txt\nrun.sh',
    );
    const top = await api(server, 'GET', `${R}/git/trees/main`);
    expect(top.body.tree.map((entry: { path: string }) => entry.path)).toEqual([
      'README.md',
      'deploy',
    ]);
  });

  it('answers 422 for tree entries git could not store', async () => {
    await using server = await start();
    for (const entry of [
      { path: '../x', mode: '100644', type: 'blob', content: 'x' },
      { path: 'a//b', mode: '100644', type: 'blob', content: 'x' },
      { path: 'x', mode: '100600', type: 'blob', content: 'x' },
      { path: 'x', mode: '100644', type: 'blob', sha: '0'.repeat(40) },
      { path: 'x', mode: '100644', type: 'tree', content: 'x' },
    ]) {
      expect((await api(server, 'POST', `${R}/git/trees`, { tree: [entry] })).status).toBe(422);
    }
    expect(
      (await api(server, 'POST', `${R}/git/trees`, { base_tree: 'nope', tree: [] })).status,
    ).toBe(422);
  });

  it('makes commits with the author, committer and dates given, as git stores them', async () => {
    await using server = await start();
    const parent = await head(server);
    const sha = await apiCommit(server, parent, 'new.txt', 'Add new.txt');
    const commit = await api(server, 'GET', `${R}/git/commits/${sha}`);
    expect(commit.body).toMatchObject({
      sha,
      message: 'Add new.txt',
      author: { name: 'Bot', email: 'bot@example.com', date: '2024-05-01T12:00:00Z' },
      committer: { name: 'Bot', email: 'bot@example.com', date: '2024-05-01T12:00:00Z' },
      parents: [{ sha: parent }],
      verification: { verified: false, reason: 'unsigned' },
    });
    expect(await git(server.bare, 'log', '-1', '--format=%an <%ae> %aI %s', sha)).toBe(
      'Bot <bot@example.com> 2024-05-01T12:00:00+00:00 Add new.txt',
    );
    const badTree = await api(server, 'POST', `${R}/git/commits`, { message: 'x', tree: parent });
    expect(badTree.body.message).toBe('Tree SHA does not exist');
    const badParent = await api(server, 'POST', `${R}/git/commits`, {
      message: 'x',
      tree: commit.body.tree.sha,
      parents: ['f'.repeat(40)],
    });
    expect(badParent.status).toBe(422);
  });

  it('creates refs once, fast-forwards them, and refuses a non-fast-forward unless forced', async () => {
    await using server = await start();
    const seedHead = await head(server);
    const created = await api(server, 'POST', `${R}/git/refs`, {
      ref: 'refs/heads/bot/x',
      sha: seedHead,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ref: 'refs/heads/bot/x',
      object: { sha: seedHead, type: 'commit' },
    });
    const again = await api(server, 'POST', `${R}/git/refs`, {
      ref: 'refs/heads/bot/x',
      sha: seedHead,
    });
    expect([again.status, again.body.message]).toEqual([422, 'Reference already exists']);
    expect((await api(server, 'GET', `${R}/git/ref/heads%2Fbot%2Fx`)).body.object.sha).toBe(
      seedHead,
    );

    const next = await apiCommit(server, seedHead, 'a.txt');
    expect((await api(server, 'PATCH', `${R}/git/refs/heads/main`, { sha: next })).status).toBe(
      200,
    );
    const sibling = await apiCommit(server, seedHead, 'b.txt');
    const refused = await api(server, 'PATCH', `${R}/git/refs/heads/main`, {
      sha: sibling,
      force: false,
    });
    expect([refused.status, refused.body.message]).toEqual([422, 'Update is not a fast forward']);
    expect(await head(server)).toBe(next);
    const forced = await api(server, 'PATCH', `${R}/git/refs/heads/main`, {
      sha: sibling,
      force: true,
    });
    expect(forced.status).toBe(200);
    expect(await head(server)).toBe(sibling);
    const missing = await api(server, 'PATCH', `${R}/git/refs/heads/none`, { sha: sibling });
    expect([missing.status, missing.body.message]).toEqual([422, 'Reference does not exist']);
    expect((await api(server, 'DELETE', `${R}/git/refs/heads/bot/x`)).status).toBe(204);
    expect(await git(server.bare, 'branch', '--list', 'bot/x')).toBe('');
  });

  it('lets exactly one of many concurrent updates from the same head win', async () => {
    await using server = await start();
    const seedHead = await head(server);
    const children = await Promise.all(
      Array.from({ length: 6 }, (_, i) => apiCommit(server, seedHead, `file-${i}.txt`)),
    );
    const answers = await Promise.all(
      children.map((sha) => api(server, 'PATCH', `${R}/git/refs/heads/main`, { sha })),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 422)).toHaveLength(5);
    expect(await head(server)).toBe(winners[0]!.body.object.sha);
  });
});

describe('startGitHubServer: history and contents', GIT_TIMEOUT, () => {
  it('compares two branches like GitHub: commits of head since the merge base, oldest first', async () => {
    await using server = await start();
    const seedHead = await head(server);
    const one = await apiCommit(server, seedHead, 'one.txt');
    const two = await apiCommit(server, one, 'two.txt');
    await api(server, 'POST', `${R}/git/refs`, { ref: 'refs/heads/bot', sha: two });
    const other = await apiCommit(server, seedHead, 'other.txt');
    await api(server, 'PATCH', `${R}/git/refs/heads/main`, { sha: other });

    const compare = await api(server, 'GET', `${R}/compare/main...tagsmith:bot`);
    expect(compare.body).toMatchObject({
      status: 'diverged',
      ahead_by: 2,
      behind_by: 1,
      total_commits: 2,
      merge_base_commit: { sha: seedHead },
    });
    expect(compare.body.commits.map((c: { sha: string }) => c.sha)).toEqual([one, two]);
    expect(compare.body.commits[0].commit.author.email).toBe('bot@example.com');
    expect((await api(server, 'GET', `${R}/compare/main...main`)).body).toMatchObject({
      status: 'identical',
      ahead_by: 0,
      commits: [],
    });
    expect((await api(server, 'GET', `${R}/compare/main...nope`)).status).toBe(404);
    expect((await api(server, 'GET', `${R}/commits/bot`)).body).toMatchObject({
      sha: two,
      commit: { message: 'two.txt', tree: { sha: expect.any(String) } },
    });
    expect((await api(server, 'GET', `${R}/commits/nope`)).status).toBe(422);
    expect((await api(server, 'GET', `${R}/branches/bot`)).body).toMatchObject({
      name: 'bot',
      commit: { sha: two },
    });
  });

  it('serves contents: a file in base64, a directory as a list, 404 for a missing path or ref', async () => {
    await using server = await start();
    const file = await api(server, 'GET', `${R}/contents/deploy/app.yaml?ref=main`);
    expect(file.body).toMatchObject({ type: 'file', path: 'deploy/app.yaml', encoding: 'base64' });
    expect(Buffer.from(file.body.content, 'base64').toString()).toBe('image: app:1.0.0\n');
    const dir = await api(server, 'GET', `${R}/contents/deploy`);
    expect(dir.body).toEqual([
      expect.objectContaining({ type: 'file', name: 'app.yaml', path: 'deploy/app.yaml' }),
    ]);
    const root = await api(server, 'GET', `${R}/contents`);
    expect(
      root.body.map((entry: { path: string; type: string }) => `${entry.type} ${entry.path}`),
    ).toEqual(['file README.md', 'dir deploy']);
    expect((await api(server, 'GET', `${R}/contents/nope.yaml`)).status).toBe(404);
    const badRef = await api(server, 'GET', `${R}/contents/README.md?ref=nope`);
    expect([badRef.status, badRef.body.message]).toEqual([404, 'No commit found for the ref nope']);
  });

  it('keeps what the API commits in the bare repository, clonable and sound', async () => {
    await using server = await start();
    const sha = await apiCommit(server, await head(server), 'docs/new.md');
    await api(server, 'PATCH', `${R}/git/refs/heads/main`, { sha });
    const clone = join(server.root, 'clone');
    await git(server.root, 'clone', '-q', server.bare, clone);
    expect(await git(clone, 'log', '--format=%s', '-2')).toBe('docs/new.md\nseed');
    expect(await git(clone, 'fsck', '--strict')).toBe('');
  });
});

describe('startGitHubServer: pull requests', GIT_TIMEOUT, () => {
  async function withBranch() {
    const server = await start();
    const sha = await apiCommit(server, await head(server), 'change.txt');
    await api(server, 'POST', `${R}/git/refs`, { ref: 'refs/heads/bot', sha });
    return server;
  }

  it('opens one pull request per head and base, lists and updates it, and keeps its labels', async () => {
    await using server = await withBranch();
    const opened = await api(server, 'POST', `${R}/pulls`, {
      title: 'Bump',
      head: 'bot',
      base: 'main',
      body: 'b',
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      number: 1,
      state: 'open',
      html_url: `${server.origin}/tagsmith/demo/pull/1`,
      head: { ref: 'bot', label: 'tagsmith:bot', sha: await head(server, 'bot') },
      base: { ref: 'main' },
    });
    const duplicate = await api(server, 'POST', `${R}/pulls`, {
      title: 'Again',
      head: 'tagsmith:bot',
      base: 'main',
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.errors[0].message).toContain('A pull request already exists');

    expect((await api(server, 'GET', `${R}/pulls?head=tagsmith:bot&base=main`)).body).toHaveLength(
      1,
    );
    expect((await api(server, 'GET', `${R}/pulls?head=tagsmith:other`)).body).toEqual([]);
    expect((await api(server, 'GET', `${R}/pulls?state=closed`)).body).toEqual([]);

    await api(server, 'PATCH', `${R}/pulls/1`, { title: 'Bump 2', body: 'c' });
    await api(server, 'POST', `${R}/issues/1/labels`, { labels: ['a', 'b'] });
    await api(server, 'POST', `${R}/issues/1/labels`, ['b', 'c']);
    expect(server.pulls()[0]).toMatchObject({
      title: 'Bump 2',
      body: 'c',
      labels: ['a', 'b', 'c'],
    });
    await api(server, 'PUT', `${R}/issues/1/labels`, { labels: ['z'] });
    expect(server.pulls()[0]?.labels).toEqual(['z']);
    await api(server, 'PATCH', `${R}/pulls/1`, { state: 'closed' });
    expect((await api(server, 'GET', `${R}/pulls`)).body).toEqual([]);
    expect((await api(server, 'GET', `${R}/pulls?state=all`)).body).toHaveLength(1);
  });

  it('refuses a pull request for a missing branch or with nothing to merge', async () => {
    await using server = await withBranch();
    const missing = await api(server, 'POST', `${R}/pulls`, {
      title: 'x',
      head: 'nope',
      base: 'main',
    });
    expect(missing.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'head' }],
    });
    const empty = await api(server, 'POST', `${R}/pulls`, {
      title: 'x',
      head: 'main',
      base: 'bot',
    });
    expect(empty.body.errors[0].message).toContain('No commits between bot and main');
    expect((await api(server, 'POST', `${R}/pulls`, { head: 'bot', base: 'main' })).status).toBe(
      422,
    );
    expect(server.pulls()).toEqual([]);
  });
});

describe('startGitHubServer: auth, prefix and requests', GIT_TIMEOUT, () => {
  it('wants the token as token or Bearer, and answers 401 like GitHub otherwise', async () => {
    await using server = await start({ token: 'sekret' });
    const none = await api(server, 'GET', R);
    expect([none.status, none.body.message]).toEqual([401, 'Requires authentication']);
    const wrong = await api(server, 'GET', R, undefined, { authorization: 'token nope' });
    expect([wrong.status, wrong.body.message]).toEqual([401, 'Bad credentials']);
    expect((await api(server, 'GET', R, undefined, { authorization: 'token sekret' })).status).toBe(
      200,
    );
    expect(
      (await api(server, 'GET', R, undefined, { authorization: 'Bearer sekret' })).status,
    ).toBe(200);
  });

  it('serves the API under pathPrefix only, and records each request with its status', async () => {
    await using server = await start({ pathPrefix: '/api/v3' });
    expect(server.url).toBe(`${server.origin}/api/v3`);
    expect((await api(server, 'GET', R)).status).toBe(200);
    expect((await fetch(`${server.origin}${R}`)).status).toBe(404);
    expect(server.requests).toEqual([
      { method: 'GET', path: `/api/v3${R}`, status: 200 },
      { method: 'GET', path: R, status: 404 },
    ]);
  });

  it('refuses a directory that is not a bare repository, and malformed options', async () => {
    const { root, bare } = await seed(FILES);
    await expectCode(
      startGitHubServer({ bareRepo: join(root, 'work') }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(startGitHubServer({ bareRepo: root }), TestkitError, 'INVALID_ARGUMENT');
    await expectCode(
      startGitHubServer({ bareRepo: bare, pathPrefix: 'api/' }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      startGitHubServer({ bareRepo: bare, owner: 'a/b' }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    await expectCode(
      startGitHubServer({ bareRepo: bare, maxTreeEntries: 0 }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
  });
});

describe('startGitHubServer: faults', GIT_TIMEOUT, () => {
  it('failNextRefUpdate answers 422 "not a fast forward" to a fast-forward, then lets the next through', async () => {
    await using server = await start();
    const next = await apiCommit(server, await head(server), 'a.txt');
    server.faults.failNextRefUpdate();
    const first = await api(server, 'PATCH', `${R}/git/refs/heads/main`, { sha: next });
    expect([first.status, first.body.message]).toEqual([422, 'Update is not a fast forward']);
    expect(await head(server)).not.toBe(next);
    expect((await api(server, 'PATCH', `${R}/git/refs/heads/main`, { sha: next })).status).toBe(
      200,
    );
  });

  it('rateLimit sends GitHub’s primary and secondary limit answers', async () => {
    const now = Date.UTC(2024, 4, 1, 12, 0, 0);
    await using server = await start({ clock: () => now });
    server.faults.rateLimit({ kind: 'primary', resetInSeconds: 30 });
    server.faults.rateLimit({ kind: 'secondary', retryAfterSeconds: 7, status: 429 });
    const primary = await api(server, 'GET', R);
    expect(primary.status).toBe(403);
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(primary.headers.get('x-ratelimit-reset')).toBe(String(now / 1000 + 30));
    expect(primary.body.message).toContain('API rate limit exceeded');
    const secondary = await api(server, 'GET', R);
    expect(secondary.status).toBe(429);
    expect(secondary.headers.get('retry-after')).toBe('7');
    expect(secondary.body.message).toContain('secondary rate limit');
    expect((await api(server, 'GET', R)).status).toBe(200);
  });

  it('serverError and rules match method and path, in the order added, until cleared', async () => {
    await using server = await start({
      faults: [
        { method: 'get', path: `${R}/git/*`, times: 2, fault: { kind: 'status', status: 503 } },
      ],
    });
    server.faults.serverError();
    expect((await api(server, 'GET', R)).status).toBe(502);
    expect((await api(server, 'GET', R)).status).toBe(200);
    expect((await api(server, 'GET', `${R}/git/ref/heads/main`)).status).toBe(503);
    expect((await api(server, 'POST', `${R}/git/blobs`, { content: 'x' })).status).toBe(201);
    server.faults.add({
      path: /\/contents\//,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'status', status: 500, message: 'boom' },
    });
    expect((await api(server, 'GET', `${R}/contents/README.md`)).body.message).toBe('boom');
    server.faults.clear();
    expect((await api(server, 'GET', `${R}/git/ref/heads/main`)).status).toBe(200);
    expect((await api(server, 'GET', `${R}/contents/README.md`)).status).toBe(200);
  });

  it('refuses impossible fault rules with INVALID_ARGUMENT', async () => {
    await using server = await start();
    expectCode(() => server.faults.serverError(99), TestkitError, 'INVALID_ARGUMENT');
    expectCode(() => server.faults.failNextRefUpdate(-1), TestkitError, 'INVALID_ARGUMENT');
    expectCode(
      () => server.faults.rateLimit({ kind: 'secondary', retryAfterSeconds: 1.5 }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
    expectCode(
      () => server.faults.add({ fault: { kind: 'nope' } as never }),
      TestkitError,
      'INVALID_ARGUMENT',
    );
  });
});
