import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { GitError } from '../src/index.js';
import { BOT, githubFixture } from './github-setup.js';

// Every test runs git; generous for a loaded 2-core machine.
const GIT_TIMEOUT = { timeout: 30_000 };

const FILES = { 'app.yaml': 'image: app:1.0.0\n' };

async function fixtureWithBranch() {
  const fx = await githubFixture(FILES);
  await fx.repository().commitFiles({
    branch: 'tagsmith/app',
    base: 'main',
    files: [{ path: 'app.yaml', content: 'image: app:1.2.0\n' }],
    message: 'Update app to 1.2.0',
    author: BOT,
  });
  return fx;
}

describe('GitHubRepository.openOrUpdatePullRequest', GIT_TIMEOUT, () => {
  it('opens a pull request, then updates its title, body and labels instead of opening another', async () => {
    await using fx = await fixtureWithBranch();
    const github = fx.repository();
    const opened = await github.openOrUpdatePullRequest({
      head: 'tagsmith/app',
      base: 'main',
      title: 'Update app to 1.2.0',
      body: 'Bumps app.',
      labels: ['automated'],
    });
    expect(opened).toEqual({
      number: 1,
      url: `${fx.server.origin}/tagsmith/demo/pull/1`,
      created: true,
      head: 'tagsmith/app',
      base: 'main',
      title: 'Update app to 1.2.0',
    });

    const updated = await github.openOrUpdatePullRequest({
      head: 'tagsmith/app',
      base: 'main',
      title: 'Update app to 1.3.0',
      body: 'Bumps app again.',
      labels: ['automated', 'images'],
    });
    expect(updated).toMatchObject({ number: 1, created: false, title: 'Update app to 1.3.0' });
    expect(fx.server.pulls()).toEqual([
      expect.objectContaining({
        number: 1,
        state: 'open',
        head: 'tagsmith/app',
        base: 'main',
        title: 'Update app to 1.3.0',
        body: 'Bumps app again.',
        labels: ['automated', 'images'],
      }),
    ]);
  });

  it('keeps labels someone else added and sends nothing when all is as asked', async () => {
    await using fx = await fixtureWithBranch();
    const github = fx.repository();
    const options = { head: 'tagsmith/app', base: 'main', title: 'T', body: 'B', labels: ['bot'] };
    await github.openOrUpdatePullRequest(options);
    await fetch(`${fx.server.url}/repos/tagsmith/demo/issues/1/labels`, {
      method: 'POST',
      body: JSON.stringify({ labels: ['do-not-merge'] }),
    });
    const seen = fx.server.requests.length;
    await github.openOrUpdatePullRequest(options);
    expect(fx.server.requests.slice(seen).map((request) => request.method)).toEqual(['GET']);
    expect(fx.server.pulls()[0]?.labels).toEqual(['bot', 'do-not-merge']);
  });

  it('ends with one pull request when two callers open it at once', async () => {
    await using fx = await fixtureWithBranch();
    const results = await Promise.all(
      ['first', 'second'].map((who) =>
        fx.repository().openOrUpdatePullRequest({
          head: 'tagsmith/app',
          base: 'main',
          title: `by ${who}`,
        }),
      ),
    );
    expect(results.map((result) => result.number)).toEqual([1, 1]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(fx.server.pulls()).toHaveLength(1);
  });

  it('opens a new pull request once the old one is closed', async () => {
    await using fx = await fixtureWithBranch();
    const github = fx.repository();
    await github.openOrUpdatePullRequest({ head: 'tagsmith/app', base: 'main', title: 'T' });
    await fetch(`${fx.server.url}/repos/tagsmith/demo/pulls/1`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'closed' }),
    });
    const again = await github.openOrUpdatePullRequest({
      head: 'tagsmith/app',
      base: 'main',
      title: 'T',
    });
    expect(again).toMatchObject({ number: 2, created: true });
  });

  it('throws API_ERROR naming GitHub’s reason when the head branch does not exist', async () => {
    await using fx = await githubFixture(FILES);
    const error = await expectCode(
      fx.repository().openOrUpdatePullRequest({ head: 'nope', base: 'main', title: 'T' }),
      GitError,
      'API_ERROR',
    );
    expect(error.status).toBe(422);
    expect(error.message).toContain('Validation Failed');
  });
});
