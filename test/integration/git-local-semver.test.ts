// A clone of the highest tag in a semver range, the way the README tells users to wire
// it: @tagsmith/git lists the remote's tags and @tagsmith/policy's selectTag (Flux's
// Masterminds semantics, a leading `v` allowed) picks one.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitError, LocalRepository } from '@tagsmith/git';
import { selectTag } from '@tagsmith/policy';
import { expectCode } from '@tagsmith/test-utils';
import { createGitFixture } from '@tagsmith/testkit';
import { describe, expect, it } from 'vitest';

const matchSemver = (range: string, tags: readonly string[]) =>
  selectTag(tags, { policy: { semver: { range } } });

describe('LocalRepository.clone with ref.semver and selectTag', { timeout: 60_000 }, () => {
  it('checks out the highest tag in the range, and NOT_FOUND when none is', async () => {
    await using fixture = await createGitFixture({
      files: { 'app.yaml': 'version: 1.0.0\n' },
      message: 'release 1.0.0',
      history: [
        { message: 'release 1.4.2', files: { 'app.yaml': 'version: 1.4.2\n' }, tag: 'v1.4.2' },
        {
          message: 'release 1.10.0',
          files: { 'app.yaml': 'version: 1.10.0\n' },
          tag: { name: 'v1.10.0', annotated: true },
        },
        { message: 'release 2.0.0', files: { 'app.yaml': 'version: 2.0.0\n' }, tag: 'v2.0.0' },
        { message: 'not semver', tag: 'latest' },
      ],
    });
    const cases = [
      { range: '^1.0', version: '1.10.0' },
      { range: '~1.4', version: '1.4.2' },
      { range: '>=1.0.0', version: '2.0.0' },
    ];
    for (const [i, { range, version }] of cases.entries()) {
      const repository = await LocalRepository.clone(fixture.url, join(fixture.dir, `w${i}`), {
        ref: { semver: range },
        matchSemver,
      });
      expect(await readFile(join(repository.dir, 'app.yaml'), 'utf8'), range).toBe(
        `version: ${version}\n`,
      );
    }
    const error = await expectCode(
      LocalRepository.clone(fixture.url, join(fixture.dir, 'none'), {
        ref: { semver: '^3' },
        matchSemver,
      }),
      GitError,
      'NOT_FOUND',
    );
    expect(error.ref).toBe('^3');
  });
});
