// updateBranch's retry loop against a fault injector: a BranchRepository (the public
// contract any consumer may implement) whose publish loses the race on demand. No git
// runs, so every attempt, every wait and every option handed to the repository can be
// counted exactly: how many attempts, how long each wait is allowed to be (full jitter
// from `random`, `backoffMs` and `maxBackoffMs`), that `apply` runs again on the
// refreshed workspace, which failures are a lost race (retried) and which are not
// (thrown at once), and which result each outcome gives.
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type ApplyContext,
  type ApplyStep,
  type BranchRepository,
  type CommitResult,
  GitError,
  type PrepareOptions,
  type PublishOptions,
  type PublishResult,
  type PushResult,
  type UpdateBranchOptions,
  updateBranch,
  type Workspace,
} from '../src/index.js';
import { BOT, PERSON, recordingLogger } from './helpers.js';

const COMMIT: CommitResult = {
  sha: 'c'.repeat(40),
  tree: 't'.repeat(40),
  parent: 'p'.repeat(40),
  message: 'bump',
  files: ['app.yaml'],
  signed: false,
};
const PUSH: PushResult = {
  remote: 'https://example.com/r.git',
  branch: 'main',
  after: COMMIT.sha,
  forced: false,
};
const PUSHED: PublishResult = { status: 'pushed', commit: COMMIT, push: PUSH };
const LOST: PublishResult = {
  status: 'conflict',
  remoteHead: 'abcdef0123456789abcdef0123456789abcdef01',
};

/** What publish does on one attempt: give this result, or throw this error. */
type Outcome = PublishResult | Error;

/**
 * A fault injector: a BranchRepository whose publish answers from `script`, one entry per
 * attempt (the last entry repeats), and which records every call it gets. Attempt n lays
 * out `/workspace/n` at head `head-n`.
 */
function faultInjector(script: readonly Outcome[], { release = true } = {}) {
  const prepared: PrepareOptions[] = [];
  const published: Array<{ workspace: Workspace; options: PublishOptions }> = [];
  const released: Workspace[] = [];
  const repository: BranchRepository = {
    async prepare(options) {
      prepared.push(options);
      const n = prepared.length;
      return {
        dir: `/workspace/${n}`,
        head: `head-${n}`,
        branch: options.branch,
        base: options.base ?? options.branch,
      };
    },
    async publish(workspace, options) {
      published.push({ workspace, options });
      const outcome = script[Math.min(published.length, script.length) - 1]!;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    ...(release ? { release: async (workspace: Workspace) => void released.push(workspace) } : {}),
  };
  return { repository, prepared, published, released };
}

/** An apply step that changes app.yaml and records where and in which attempt it ran. */
function recordingApply(
  files: readonly string[] | ((attempt: number) => readonly string[]) = ['app.yaml'],
) {
  const runs: Array<{ dir: string; context: ApplyContext }> = [];
  const apply: ApplyStep = (dir, context) => {
    runs.push({ dir, context });
    return typeof files === 'function' ? files(context.attempt) : files;
  };
  return { apply, runs };
}

function options(
  repository: BranchRepository,
  apply: ApplyStep,
  extra: Partial<UpdateBranchOptions> = {},
): UpdateBranchOptions {
  // random 0: every wait is 0 ms unless a test says otherwise.
  return {
    repository,
    branch: 'main',
    apply,
    message: 'bump',
    author: BOT,
    random: () => 0,
    ...extra,
  };
}

/** The waits announced before each retry, in ms, from the logger's lines. */
function announcedWaits(lines: readonly string[]): number[] {
  return lines.flatMap((line) => {
    const match = / in (\d+) ms$/.exec(line);
    return match === null ? [] : [Number(match[1])];
  });
}

describe('updateBranch retry loop (fault-injecting repository)', () => {
  describe('attempts', () => {
    it('tries 5 times by default, then throws ATTEMPTS_EXHAUSTED with the branch and the count', async () => {
      const fake = faultInjector([LOST]);
      const { apply, runs } = recordingApply();
      const error = await expectCode(
        updateBranch(options(fake.repository, apply)),
        GitError,
        'ATTEMPTS_EXHAUSTED',
      );
      expect(error.attempts).toBe(5);
      expect(error.ref).toBe('main');
      expect(error.message).toContain('main');
      expect(error.message).toContain('5 attempts');
      // and what to do about it
      expect(error.message).toContain('Raise `attempts`');
      expect(fake.prepared).toHaveLength(5);
      expect(runs).toHaveLength(5);
      expect(fake.published).toHaveLength(5);
      expect(fake.released).toHaveLength(5);
    });

    it.each([1, 2, 7])('tries exactly options.attempts = %i times', async (attempts) => {
      const fake = faultInjector([LOST]);
      const { apply, runs } = recordingApply();
      const { logger, lines } = recordingLogger();
      const error = await expectCode(
        updateBranch(options(fake.repository, apply, { attempts, logger })),
        GitError,
        'ATTEMPTS_EXHAUSTED',
      );
      expect(error.attempts).toBe(attempts);
      expect(runs.map((run) => run.context.attempt)).toEqual(
        Array.from({ length: attempts }, (_, i) => i + 1),
      );
      // A wait between two attempts, none after the last.
      expect(announcedWaits(lines)).toHaveLength(attempts - 1);
    });

    it('stops at the first attempt that is not a lost race and says how many it took', async () => {
      const fake = faultInjector([LOST, LOST, PUSHED]);
      const { apply } = recordingApply();
      const result = await updateBranch(options(fake.repository, apply));
      expect(result).toEqual({ status: 'pushed', attempts: 3, commit: COMMIT, push: PUSH });
      expect(fake.prepared).toHaveLength(3);
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
      'refuses attempts = %s with INVALID_ARGUMENT before touching the repository',
      async (attempts) => {
        const fake = faultInjector([PUSHED]);
        const error = await expectCode(
          updateBranch(options(fake.repository, recordingApply().apply, { attempts })),
          GitError,
          'INVALID_ARGUMENT',
        );
        expect(error.message).toContain('`attempts`');
        expect(fake.prepared).toEqual([]);
      },
    );

    it.each(['backoffMs', 'maxBackoffMs'] as const)(
      'refuses a negative, infinite, NaN or non-number %s with INVALID_ARGUMENT, and takes 0',
      async (name) => {
        for (const value of [
          -1,
          -0.5,
          Number.POSITIVE_INFINITY,
          Number.NaN,
          '10' as unknown as number,
        ]) {
          const fake = faultInjector([PUSHED]);
          const error = await expectCode(
            updateBranch(options(fake.repository, recordingApply().apply, { [name]: value })),
            GitError,
            'INVALID_ARGUMENT',
          );
          expect(error.message).toContain(`\`${name}\``);
          expect(fake.prepared).toEqual([]);
        }
        const fake = faultInjector([LOST, PUSHED]);
        const result = await updateBranch(
          options(fake.repository, recordingApply().apply, { [name]: 0, random: () => 0.99 }),
        );
        expect(result.status).toBe('pushed');
      },
    );
  });

  describe('backoff: full jitter, floor(random() * min(maxBackoffMs, backoffMs * 2^(n-1)))', () => {
    it('draws one random number per wait and scales it by a cap that doubles up to maxBackoffMs', async () => {
      const fake = faultInjector([LOST]);
      const draws = [0.9, 0.5, 0.999, 0.25];
      let drawn = 0;
      const { logger, lines } = recordingLogger();
      await expectCode(
        updateBranch(
          options(fake.repository, recordingApply().apply, {
            backoffMs: 8,
            maxBackoffMs: 20,
            random: () => draws[drawn++]!,
            logger,
          }),
        ),
        GitError,
        'ATTEMPTS_EXHAUSTED',
      );
      expect(drawn).toBe(4);
      // caps 8, 16, 20 (not 32), 20 (not 64)
      expect(announcedWaits(lines)).toEqual([
        Math.floor(0.9 * 8),
        Math.floor(0.5 * 16),
        Math.floor(0.999 * 20),
        Math.floor(0.25 * 20),
      ]);
      expect(announcedWaits(lines)).toEqual([7, 8, 19, 5]);
    });

    it('defaults to a first cap of 250 ms, doubling, never above 8000 ms', async () => {
      const fake = faultInjector([LOST]);
      const { logger, lines } = recordingLogger();
      await expectCode(
        updateBranch(
          options(fake.repository, recordingApply().apply, {
            attempts: 8,
            random: () => 0.001,
            logger,
          }),
        ),
        GitError,
        'ATTEMPTS_EXHAUSTED',
      );
      // caps 250, 500, 1000, 2000, 4000, 8000, 8000 (not 16000): a thousandth of each.
      expect(announcedWaits(lines)).toEqual([0, 0, 1, 2, 4, 8, 8]);
    });

    it('announces each retry with the winning head, the next attempt and the wait', async () => {
      const fake = faultInjector([LOST, { status: 'conflict' }, PUSHED]);
      const { logger, lines } = recordingLogger();
      await updateBranch(
        options(fake.repository, recordingApply().apply, {
          attempts: 3,
          backoffMs: 10,
          random: () => 0.5,
          logger,
        }),
      );
      expect(lines).toEqual([
        'info: main: the remote moved to abcdef012345; attempt 2 of 3 in 5 ms',
        'info: main: the remote moved; attempt 3 of 3 in 10 ms',
      ]);
    });

    it('waits before the next attempt, and stops with ABORTED when the signal fires during the wait', async () => {
      const fake = faultInjector([LOST, PUSHED]);
      const controller = new AbortController();
      const { logger, lines } = recordingLogger();
      // A 4 s wait (half the default 8 s cap): the test never sits through it, it aborts it.
      const running = updateBranch(
        options(fake.repository, recordingApply().apply, {
          backoffMs: 60_000,
          random: () => 0.5,
          signal: controller.signal,
          logger,
        }),
      );
      const settled = running.then(
        () => 'resolved',
        () => 'rejected',
      );
      while (lines.length === 0) await new Promise((resolve) => setImmediate(resolve));
      expect(announcedWaits(lines)).toEqual([4000]);
      // Many turns of the event loop later, the second attempt has still not begun.
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(fake.prepared).toHaveLength(1);
      expect(await Promise.race([settled, Promise.resolve('pending')])).toBe('pending');
      controller.abort(new Error('shutting down'));
      const error = await expectCode(running, GitError, 'ABORTED');
      expect(error.message).toContain('while waiting to retry');
      expect(error.cause).toBeInstanceOf(Error);
      expect(fake.prepared).toHaveLength(1);
    });

    it('stops with ABORTED before the first attempt when the signal has already fired', async () => {
      const fake = faultInjector([PUSHED]);
      const reason = new Error('too late');
      const error = await expectCode(
        updateBranch(
          options(fake.repository, recordingApply().apply, { signal: AbortSignal.abort(reason) }),
        ),
        GitError,
        'ABORTED',
      );
      expect(error.message).toContain('aborted');
      expect(error.cause).toBe(reason);
      expect(fake.prepared).toEqual([]);
    });
  });

  describe('each attempt re-runs apply on a refreshed workspace', () => {
    it('prepares without refresh first, with refresh after each lost race, and applies on each new head', async () => {
      const fake = faultInjector([LOST, LOST, PUSHED]);
      const { apply, runs } = recordingApply();
      await updateBranch(options(fake.repository, apply));
      expect(fake.prepared.map((prepare) => prepare.refresh)).toEqual([false, true, true]);
      expect(runs.map((run) => [run.dir, run.context.attempt, run.context.head])).toEqual([
        ['/workspace/1', 1, 'head-1'],
        ['/workspace/2', 2, 'head-2'],
        ['/workspace/3', 3, 'head-3'],
      ]);
      // No signal given, none passed on.
      expect(runs[0]!.context).toStrictEqual({ attempt: 1, head: 'head-1' });
      // Each attempt publishes the workspace it prepared, and releases it.
      expect(fake.published.map((publish) => publish.workspace.head)).toEqual([
        'head-1',
        'head-2',
        'head-3',
      ]);
      expect(fake.released.map((workspace) => workspace.head)).toEqual([
        'head-1',
        'head-2',
        'head-3',
      ]);
    });

    it('publishes the files of the attempt it is in, with a message made from them', async () => {
      const fake = faultInjector([LOST, PUSHED]);
      const { apply } = recordingApply((attempt) =>
        attempt === 1 ? ['a.yaml'] : ['a.yaml', 'b.yaml'],
      );
      await updateBranch(
        options(fake.repository, apply, { message: (files) => `bump ${files.join(' and ')}` }),
      );
      expect(fake.published.map(({ options: o }) => [o.files, o.message])).toEqual([
        [['a.yaml'], 'bump a.yaml'],
        [['a.yaml', 'b.yaml'], 'bump a.yaml and b.yaml'],
      ]);
    });

    it('hands prepare and publish exactly the options given, and nothing for those left out', async () => {
      const fake = faultInjector([PUSHED]);
      await updateBranch(options(fake.repository, recordingApply().apply));
      expect(fake.prepared).toStrictEqual([{ branch: 'main', base: 'main', refresh: false }]);
      expect(fake.published[0]!.options).toStrictEqual({
        files: ['app.yaml'],
        message: 'bump',
        author: BOT,
      });

      const given = faultInjector([PUSHED]);
      const signal = new AbortController().signal;
      const signing = { type: 'ssh', privateKey: 'KEY' } as const;
      const runs: ApplyContext[] = [];
      await updateBranch({
        ...options(given.repository, (_, context) => {
          runs.push(context);
          return ['app.yaml'];
        }),
        branch: 'tagsmith/app',
        base: 'main',
        paths: ['apps'],
        committer: PERSON,
        signing,
        force: true,
        refspec: 'HEAD:refs/heads/deploy',
        pushOptions: ['ci.skip'],
        signal,
      });
      expect(given.prepared).toStrictEqual([
        { branch: 'tagsmith/app', base: 'main', refresh: false, paths: ['apps'], signal },
      ]);
      expect(given.published[0]!.options).toStrictEqual({
        files: ['app.yaml'],
        message: 'bump',
        author: BOT,
        committer: PERSON,
        signing,
        force: true,
        refspec: 'HEAD:refs/heads/deploy',
        pushOptions: ['ci.skip'],
        signal,
      });
      expect(runs).toStrictEqual([{ attempt: 1, head: 'head-1', signal }]);
    });

    it('passes force: false through as given', async () => {
      const fake = faultInjector([PUSHED]);
      await updateBranch(options(fake.repository, recordingApply().apply, { force: false }));
      expect(fake.published[0]!.options.force).toBe(false);
    });

    it('works with a repository that has no release', async () => {
      const fake = faultInjector([LOST, PUSHED], { release: false });
      const result = await updateBranch(options(fake.repository, recordingApply().apply));
      expect(result.status).toBe('pushed');
    });
  });

  describe('what counts as a lost race', () => {
    it('retries only a conflict outcome; an error from publish, even PUSH_REJECTED, is thrown at once', async () => {
      for (const thrown of [
        new GitError('PUSH_REJECTED', 'rejected by a hook'),
        new GitError('NETWORK', 'unreachable'),
        new GitError('AUTH_FAILED', 'bad token'),
        new Error('anything else'),
      ]) {
        const fake = faultInjector([thrown, PUSHED]);
        await expect(updateBranch(options(fake.repository, recordingApply().apply))).rejects.toBe(
          thrown,
        );
        expect(fake.prepared).toHaveLength(1);
        expect(fake.released).toHaveLength(1);
      }
    });

    it('throws an error of prepare at once, without running apply', async () => {
      const fake = faultInjector([PUSHED]);
      const failure = new GitError('NETWORK', 'fetch failed');
      const repository: BranchRepository = {
        ...fake.repository,
        prepare: async () => {
          throw failure;
        },
      };
      const { apply, runs } = recordingApply();
      await expect(updateBranch(options(repository, apply))).rejects.toBe(failure);
      expect(runs).toEqual([]);
      expect(fake.published).toEqual([]);
    });

    it('throws an error of apply at once, after releasing the workspace, without publishing', async () => {
      const fake = faultInjector([PUSHED]);
      const failure = new Error('apply failed');
      await expect(
        updateBranch(
          options(fake.repository, () => {
            throw failure;
          }),
        ),
      ).rejects.toBe(failure);
      expect(fake.prepared).toHaveLength(1);
      expect(fake.published).toEqual([]);
      expect(fake.released).toHaveLength(1);
    });

    it.each([
      ['a string', 'app.yaml'],
      ['undefined', undefined],
      ['an array with a number in it', ['app.yaml', 7]],
    ])(
      'refuses an apply that returns %s with INVALID_ARGUMENT, releasing the workspace',
      async (_, returned) => {
        const fake = faultInjector([PUSHED]);
        const error = await expectCode(
          updateBranch(options(fake.repository, () => returned as unknown as string[])),
          GitError,
          'INVALID_ARGUMENT',
        );
        expect(error.message).toContain('`apply`');
        expect(fake.published).toEqual([]);
        expect(fake.released).toHaveLength(1);
      },
    );
  });

  describe('result kinds', () => {
    it('is no-change when the first apply changes nothing: no publish', async () => {
      const fake = faultInjector([PUSHED]);
      const { logger, lines } = recordingLogger();
      const result = await updateBranch(
        options(fake.repository, recordingApply([]).apply, { logger }),
      );
      expect(result).toStrictEqual({ status: 'no-change', attempts: 1 });
      expect(fake.published).toEqual([]);
      expect(fake.released).toHaveLength(1);
      expect(lines).toEqual([]);
    });

    it('is no-change when the first publish finds the change already there', async () => {
      const fake = faultInjector([{ status: 'unchanged' }]);
      const { logger, lines } = recordingLogger();
      const result = await updateBranch(
        options(fake.repository, recordingApply().apply, { logger }),
      );
      expect(result).toStrictEqual({ status: 'no-change', attempts: 1 });
      expect(lines).toEqual([]);
    });

    it('is already-applied when the apply after a lost race changes nothing', async () => {
      const fake = faultInjector([LOST, PUSHED]);
      const { logger, lines } = recordingLogger();
      const { apply } = recordingApply((attempt) => (attempt === 1 ? ['app.yaml'] : []));
      const result = await updateBranch(options(fake.repository, apply, { logger }));
      expect(result).toStrictEqual({ status: 'already-applied', attempts: 2 });
      expect(fake.published).toHaveLength(1);
      expect(lines.at(-1)).toBe(
        'info: main: the remote already has this change; nothing to commit',
      );
    });

    it('is already-applied when the publish after a lost race finds the change there', async () => {
      const fake = faultInjector([LOST, LOST, { status: 'unchanged' }]);
      const { logger, lines } = recordingLogger();
      const result = await updateBranch(
        options(fake.repository, recordingApply().apply, { logger }),
      );
      expect(result).toStrictEqual({ status: 'already-applied', attempts: 3 });
      expect(lines.at(-1)).toBe(
        'info: main: the remote already has this change; nothing to commit',
      );
    });

    it('is pushed with the commit and push of the publish that won', async () => {
      const fake = faultInjector([PUSHED]);
      const result = await updateBranch(options(fake.repository, recordingApply().apply));
      expect(result).toStrictEqual({ status: 'pushed', attempts: 1, commit: COMMIT, push: PUSH });
    });

    it('is left-alone with the foreign commits, warned about, and not retried', async () => {
      const foreignCommits = ['f'.repeat(40), 'e'.repeat(40)];
      const fake = faultInjector([LOST, { status: 'left-alone', foreignCommits }]);
      const { logger, lines } = recordingLogger();
      const result = await updateBranch(
        options(fake.repository, recordingApply().apply, {
          branch: 'tagsmith/app',
          base: 'main',
          logger,
        }),
      );
      expect(result).toStrictEqual({ status: 'left-alone', attempts: 2, foreignCommits });
      expect(fake.published).toHaveLength(2);
      expect(lines.at(-1)).toBe(
        'warn: tagsmith/app: left alone, it carries 2 commit(s) the automation did not make',
      );
    });

    it('needs no logger, nor any one method of it, for a retry, already-applied or left-alone', async () => {
      const leftAlone: PublishResult = { status: 'left-alone', foreignCommits: ['f'.repeat(40)] };
      for (const logger of [undefined, {}]) {
        const extra = logger === undefined ? {} : { logger };
        const raced = faultInjector([LOST, { status: 'unchanged' }]);
        expect(
          await updateBranch(options(raced.repository, recordingApply().apply, extra)),
        ).toEqual({
          status: 'already-applied',
          attempts: 2,
        });
        const alone = faultInjector([leftAlone]);
        expect(
          (await updateBranch(options(alone.repository, recordingApply().apply, extra))).status,
        ).toBe('left-alone');
      }
    });
  });
});
