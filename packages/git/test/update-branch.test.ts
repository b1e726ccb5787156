// updateBranch over LocalRepository against a real bare repository: concurrent writers
// that all land, the same change made twice landing once, a push branch rebuilt from
// its base on every run (and left alone when a person pushed to it), and a bounded
// number of attempts.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectCode } from '@tagsmith/test-utils';
import { createGitFixture, type GitFixture } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';
import {
  type ApplyStep,
  GitError,
  LocalRepository,
  type UpdateBranchOptions,
  updateBranch,
} from '../src/index.js';
import { BOT, PERSON, recordingLogger } from './helpers.js';

// No waiting between attempts: the order of the writers is what the test is about.
const noWait = { backoffMs: 0 } as const;

function writeFileStep(path: string, content: string): ApplyStep {
  return async (dir) => {
    const file = join(dir, path);
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current === content) return [];
    await writeFile(file, content);
    return [path];
  };
}

async function clones(fixture: GitFixture, n: number, depth = 1): Promise<LocalRepository[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      LocalRepository.clone(fixture.url, join(fixture.dir, `writer-${i}`), { depth }),
    ),
  );
}

describe('updateBranch with LocalRepository', { timeout: 60_000 }, () => {
  it('pushes the refspec second and sends the push options with both pushes', async () => {
    await using fixture = await createGitFixture();
    const recorder = await fixture.recordPushes();
    const [repository] = await clones(fixture, 1);
    const result = await updateBranch({
      repository: repository!,
      branch: 'main',
      apply: writeFileStep('app.yaml', 'image: app:1.2.0\n'),
      message: 'bump app',
      author: BOT,
      refspec: 'HEAD:refs/heads/deploy',
      pushOptions: ['merge_request.create'],
    });
    expect(result.status).toBe('pushed');
    const pushes = await recorder.pushes();
    expect(pushes.map((push) => push.updates.map((update) => update.ref))).toEqual([
      ['refs/heads/main'],
      ['refs/heads/deploy'],
    ]);
    expect(pushes.map((push) => push.pushOptions)).toEqual([
      ['merge_request.create'],
      ['merge_request.create'],
    ]);
  });

  it('lands every change of N concurrent writers on the same branch, none lost', async () => {
    await using fixture = await createGitFixture({ files: { 'README.md': '# race\n' } });
    const n = 5;
    const writers = await clones(fixture, n);
    const results = await Promise.all(
      writers.map((repository, i) =>
        updateBranch({
          repository,
          branch: 'main',
          apply: writeFileStep(`writer-${i}.txt`, `from writer ${i}\n`),
          message: `writer ${i}`,
          author: BOT,
          attempts: 2 * n,
          ...noWait,
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array(n).fill('pushed'));
    // All began from the same head, so all but the first lost at least one race.
    expect(results.filter((result) => result.attempts > 1).length).toBeGreaterThanOrEqual(n - 1);
    const files = await fixture.files();
    for (let i = 0; i < n; i++) expect(files).toContain(`writer-${i}.txt`);
    const log = await fixture.log();
    expect(log).toHaveLength(n + 1);
    expect(log.map((entry) => entry.message).sort()).toEqual(
      [...Array.from({ length: n }, (_, i) => `writer ${i}`), 'initial commit'].sort(),
    );
    // A straight line: every writer built on the one before, nothing was merged or forced.
    expect(log.every((entry) => entry.parents.length <= 1)).toBe(true);
  });

  it('makes one commit when two writers make the same change', async () => {
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    const [a, b] = await clones(fixture, 2);
    const options = (repository: LocalRepository, who: string): UpdateBranchOptions => ({
      repository,
      branch: 'main',
      apply: writeFileStep('app.yaml', 'image: app:2\n'),
      message: `bump app to 2 (${who})`,
      author: BOT,
      ...noWait,
    });
    const first = await updateBranch(options(a!, 'a'));
    // b built on the old head, lost the race, and found the change already there.
    const second = await updateBranch(options(b!, 'b'));
    expect(first).toMatchObject({ status: 'pushed', attempts: 1 });
    expect(second).toEqual({ status: 'already-applied', attempts: 2 });
    expect((await fixture.log()).map((entry) => entry.message)).toEqual([
      'bump app to 2 (a)',
      'initial commit',
    ]);
    // Run again with nothing new: no commit, no push.
    const head = await fixture.head();
    expect(await updateBranch(options(a!, 'a'))).toEqual({ status: 'no-change', attempts: 1 });
    expect(await fixture.head()).toBe(head);
  });

  it('starts from a clean tree after an apply that failed halfway', async () => {
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    const [repository] = await clones(fixture, 1);
    const options = { repository: repository!, branch: 'main', message: 'bump', author: BOT };
    const failing: ApplyStep = async (dir) => {
      await writeFile(join(dir, 'half-done.txt'), 'left behind\n');
      await writeFile(join(dir, 'app.yaml'), 'image: app:broken\n');
      throw new Error('apply failed');
    };
    await expect(updateBranch({ ...options, apply: failing })).rejects.toThrow('apply failed');
    const found: string[] = [];
    const result = await updateBranch({
      ...options,
      apply: async (dir, context) => {
        found.push(await readFile(join(dir, 'app.yaml'), 'utf8'));
        found.push(
          String(await readFile(join(dir, 'half-done.txt'), 'utf8').catch(() => 'absent')),
        );
        return writeFileStep('app.yaml', 'image: app:2\n')(dir, context);
      },
    });
    expect(found).toEqual(['image: app:1\n', 'absent']);
    expect(result).toMatchObject({ status: 'pushed', attempts: 1 });
    expect(await fixture.files()).toEqual(['app.yaml']);
  });

  it('gives up with ATTEMPTS_EXHAUSTED when the remote moved during every attempt', async () => {
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    const [repository] = await clones(fixture, 1);
    await fixture.commit({ 'other.txt': 'someone else\n' }, 'another writer');
    const error = await expectCode(
      updateBranch({
        repository: repository!,
        branch: 'main',
        apply: writeFileStep('app.yaml', 'image: app:2\n'),
        message: 'bump',
        author: BOT,
        attempts: 1,
      }),
      GitError,
      'ATTEMPTS_EXHAUSTED',
    );
    expect(error.attempts).toBe(1);
    expect(error.ref).toBe('main');
    expect((await fixture.log())[0]!.message).toBe('another writer');
  });

  it('stops with ABORTED when the signal fires while it waits to retry', async () => {
    await using fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
    const [repository] = await clones(fixture, 1);
    await fixture.commit({ 'other.txt': 'x\n' }, 'another writer');
    const controller = new AbortController();
    // The retry is announced before the wait starts: abort right then.
    const logger = { info: (line: string) => line.includes('attempt 2') && controller.abort() };
    await expectCode(
      updateBranch({
        repository: repository!,
        branch: 'main',
        apply: writeFileStep('app.yaml', 'image: app:2\n'),
        message: 'bump',
        author: BOT,
        backoffMs: 60_000,
        random: () => 0.5,
        signal: controller.signal,
        logger,
      }),
      GitError,
      'ABORTED',
    );
    expect((await fixture.log())[0]!.message).toBe('another writer');
  });

  describe('a push branch (tagsmith/update on main)', { timeout: 60_000 }, () => {
    const branch = 'tagsmith/update';

    async function setUp(depth = 1) {
      const fixture = await createGitFixture({ files: { 'app.yaml': 'image: app:1\n' } });
      const { logger, lines } = recordingLogger();
      const repository = await LocalRepository.clone(fixture.url, join(fixture.dir, 'bot'), {
        depth,
        logger,
      });
      const cycle = (force?: boolean) =>
        updateBranch({
          repository,
          branch,
          base: 'main',
          apply: writeFileStep('app.yaml', 'image: app:2\n'),
          message: 'bump app to 2',
          author: BOT,
          ...(force === undefined ? {} : { force }),
          ...noWait,
        });
      // The push branch is main's head plus exactly one commit, the bot's.
      const expectRebuilt = async () => {
        const main = await fixture.head('main');
        const log = await fixture.log(branch);
        expect(log[0]!.parents).toEqual([main]);
        expect(log[0]!.message).toBe('bump app to 2');
        expect(await fixture.readFile('app.yaml', branch)).toBe('image: app:2\n');
      };
      return { fixture, repository, cycle, expectRebuilt, lines };
    }

    it.each([
      ['shallow', 1],
      ['full', 0],
    ])(
      'is rebuilt on the moved base, then left as it is when nothing is new (%s clone)',
      async (_, depth) => {
        const { fixture, cycle, expectRebuilt } = await setUp(depth);
        await using _fixture = fixture;
        expect(await cycle()).toMatchObject({ status: 'pushed', attempts: 1 });
        await expectRebuilt();
        const mainBefore = await fixture.head('main');

        await fixture.commit({ 'README.md': 'main moved\n' }, 'someone moves main');
        const second = await cycle();
        expect(second).toMatchObject({ status: 'pushed', attempts: 1 });
        if (second.status === 'pushed') expect(second.push.forced).toBe(true);
        await expectRebuilt();
        expect(await fixture.head('main')).not.toBe(mainBefore);
        expect(await fixture.readFile('README.md', branch)).toBe('main moved\n');

        const sha = await fixture.head(branch);
        expect(await cycle()).toEqual({ status: 'no-change', attempts: 1 });
        expect(await fixture.head(branch)).toBe(sha);
        // main itself was never touched by the bot.
        expect((await fixture.log('main')).map((entry) => entry.message)).toEqual([
          'someone moves main',
          'initial commit',
        ]);
      },
    );

    it.each([
      ['shallow', 1],
      ['full', 0],
    ])(
      'is left alone when a person pushed to it, and replaced when forced (%s clone)',
      async (_, depth) => {
        const { fixture, cycle, expectRebuilt, lines } = await setUp(depth);
        await using _fixture = fixture;
        await cycle();
        await fixture.commit({ 'app.yaml': 'image: app:2\nfixed: by hand\n' }, 'a fix', {
          branch,
          author: PERSON,
        });
        const theirs = await fixture.head(branch);
        await fixture.commit({ 'README.md': 'main moved\n' }, 'main moves');

        expect(await cycle()).toEqual({
          status: 'left-alone',
          attempts: 1,
          foreignCommits: [theirs],
        });
        expect(await fixture.head(branch)).toBe(theirs);
        expect(lines.some((line) => line.startsWith(`warn: ${branch}: left alone`))).toBe(true);

        expect(await cycle(true)).toMatchObject({ status: 'pushed', attempts: 1 });
        await expectRebuilt();
      },
    );
  });
});
