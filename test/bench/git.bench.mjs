// @tagsmith/git: LocalRepository's commit + push beside the plain sequence of git
// commands a shell script would run for the same change (`git add`, `git commit`,
// `git push`), in the same run, on twin clones of twin bare repositories. Two
// workloads: one commit of 1,000 changed files, and 100 small commit+push cycles in a row.
// Only commit and push are timed; writing the files is done first, untimed, for both.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { LocalRepository } from '@tagsmith/git';
import { createGitFixture } from '@tagsmith/testkit';
import { ms, ratio, report } from './harness.mjs';

const exec = promisify(execFile);
const AUTHOR = { name: 'bench', email: 'bench@example.com' };
const FILES = 1000;
const CYCLES = 100;
// The same controlled environment for both contenders: no user or system config.
const ENV = {
  PATH: process.env.PATH,
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: AUTHOR.name,
  GIT_AUTHOR_EMAIL: AUTHOR.email,
  GIT_COMMITTER_NAME: AUTHOR.name,
  GIT_COMMITTER_EMAIL: AUTHOR.email,
};

function git(cwd, args, input) {
  const child = exec('git', args, { cwd, env: ENV, maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin.end(input);
  return child;
}

/** The baseline: what a shell script does to commit exactly these files and push. */
async function plainCommitAndPush(dir, files, message) {
  await git(dir, ['add', '--', ...files]);
  await git(dir, ['commit', '-q', '-m', message, '--', ...files]);
  await git(dir, ['push', '-q', 'origin', 'HEAD:main']);
}

async function oursCommitAndPush(repository, files, message) {
  const commit = await repository.commit({ files, message, author: AUTHOR });
  if (commit === undefined) throw new Error('LocalRepository made no commit');
  await repository.push({ branch: 'main' });
}

async function writeAll(dir, paths, round) {
  await Promise.all(
    paths.map(async (path) => {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), `image: app:${round}.0.0 # ${path}\n`);
    }),
  );
}

/** Times `run` after an untimed `setup`, alternating the contenders round after round. */
async function rounds(contenders, count) {
  const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const entries = Object.entries(contenders);
  for (let round = 0; round < count; round++) {
    for (const [name, { setup, run }] of round % 2 === 0 ? entries : [...entries].reverse()) {
      await setup(round);
      globalThis.gc?.();
      const start = performance.now();
      await run(round);
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => [
      name,
      list.sort((a, b) => a - b)[Math.floor(list.length / 2)],
    ]),
  );
}

async function twins(root) {
  const fixtures = [];
  const dirs = [];
  for (const name of ['ours', 'plain']) {
    const fixture = await createGitFixture({ dir: root, name });
    fixtures.push(fixture);
    const dir = join(root, `${name}-clone`);
    await exec('git', ['clone', '-q', fixture.url, dir], { env: ENV });
    dirs.push(dir);
  }
  return { fixtures, ours: dirs[0], plain: dirs[1] };
}

const root = await mkdtemp(join(tmpdir(), 'tagsmith-git-bench-'));
try {
  const { fixtures, ours, plain } = await twins(root);
  const repository = await LocalRepository.open(ours);
  const many = Array.from(
    { length: FILES },
    (_, i) => `apps/app-${Math.floor(i / 50)}/deploy-${i}.yaml`,
  );

  const bulk = await rounds(
    {
      ours: {
        setup: (r) => writeAll(ours, many, r),
        run: (r) => oursCommitAndPush(repository, many, `bump ${r}`),
      },
      plain: {
        setup: (r) => writeAll(plain, many, r),
        run: (r) => plainCommitAndPush(plain, many, `bump ${r}`),
      },
    },
    7,
  );
  report(`commit + push of ${FILES} changed files (median of 7)`, [
    ['tagsmith LocalRepository', ms(bulk.ours)],
    ['plain git add/commit/push', ms(bulk.plain)],
    ['tagsmith / plain', `${ratio(bulk.ours, bulk.plain)}  (target <= 1.20x)`],
  ]);

  const one = ['apps/app-0/deploy-0.yaml'];
  let cycle = 1000;
  const cycles = await rounds(
    {
      ours: {
        setup: () => {},
        run: async () => {
          for (let i = 0; i < CYCLES; i++) {
            await writeAll(ours, one, cycle++);
            await oursCommitAndPush(repository, one, `cycle ${cycle}`);
          }
        },
      },
      plain: {
        setup: () => {},
        run: async () => {
          for (let i = 0; i < CYCLES; i++) {
            await writeAll(plain, one, cycle++);
            await plainCommitAndPush(plain, one, `cycle ${cycle}`);
          }
        },
      },
    },
    3,
  );
  report(`${CYCLES} sequential small commit + push cycles (median of 3)`, [
    ['tagsmith LocalRepository', ms(cycles.ours)],
    ['plain git add/commit/push', ms(cycles.plain)],
    ['tagsmith / plain', `${ratio(cycles.ours, cycles.plain)}  (target <= 1.20x)`],
  ]);
  for (const fixture of fixtures) await fixture.remove();
} finally {
  await rm(root, { recursive: true, force: true });
}
