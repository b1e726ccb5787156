// Reading `git push --porcelain` and `git show --format=raw` output.
import { describe, expect, it } from 'vitest';
import { isLostRace, parsePushPorcelain, parseShownCommit, previousObjectOf } from './porcelain.js';

describe('parsePushPorcelain', () => {
  it('reads each ref line and skips the rest', () => {
    const stdout = [
      'To file:///tmp/r.git',
      ' \tHEAD:refs/heads/main\t65b6f9c..5e0a3d0',
      '+\tHEAD:refs/heads/x\tcb00449...5e0a3d0 (forced update)',
      '*\tHEAD:refs/heads/new\t[new branch]',
      '!\tHEAD:refs/heads/old\t[rejected] (fetch first)',
      'Done',
      '',
    ].join('\n');
    expect(parsePushPorcelain(stdout)).toEqual([
      { flag: ' ', from: 'HEAD', to: 'refs/heads/main', summary: '65b6f9c..5e0a3d0' },
      { flag: '+', from: 'HEAD', to: 'refs/heads/x', summary: 'cb00449...5e0a3d0 (forced update)' },
      { flag: '*', from: 'HEAD', to: 'refs/heads/new', summary: '[new branch]' },
      { flag: '!', from: 'HEAD', to: 'refs/heads/old', summary: '[rejected] (fetch first)' },
    ]);
  });

  it('finds the old object of a fast-forward or forced update', () => {
    expect(previousObjectOf('65b6f9c..5e0a3d0')).toBe('65b6f9c');
    expect(previousObjectOf('cb00449...5e0a3d0 (forced update)')).toBe('cb00449');
    expect(previousObjectOf('[new branch]')).toBe(undefined);
  });

  it('tells a lost race from a refusal', () => {
    expect(isLostRace('[rejected] (non-fast-forward)', '')).toBe(true);
    expect(isLostRace('[rejected] (stale info)', '')).toBe(true);
    expect(
      isLostRace(
        '[remote rejected] (failed to update ref)',
        "remote: error: cannot lock ref 'refs/heads/main': is at 1234abc but expected 5678def",
      ),
    ).toBe(true);
    expect(isLostRace('[remote rejected] (pre-receive hook declined)', '')).toBe(false);
    expect(isLostRace('[remote rejected] (failed to update ref)', 'disk full')).toBe(false);
    expect(isLostRace('[rejected] (already exists)', '')).toBe(false);
  });
});

describe('parseShownCommit', () => {
  it('reads sha, tree, parents, the message, whether it is signed, and the paths', () => {
    const raw = [
      'commit abc123',
      'tree t1',
      'parent p1',
      'parent p2',
      'author A <a@x> 1 +0000',
      'committer C <c@x> 1 +0000',
      'gpgsig -----BEGIN SSH SIGNATURE-----',
      ' U1NIU0lH',
      ' -----END SSH SIGNATURE-----',
      '',
      '    subject',
      '    ',
      '    body',
      '      indented',
      '',
      'a b\0dir/new line\nname\0',
    ].join('\n');
    expect(parseShownCommit(raw)).toEqual({
      sha: 'abc123',
      tree: 't1',
      parents: ['p1', 'p2'],
      message: 'subject\n\nbody\n  indented',
      signed: true,
      files: ['a b', 'dir/new line\nname'],
    });
    const root = parseShownCommit(
      'commit def\ntree t2\nauthor A <a@x> 1 +0000\n\n    first\n\nf\0',
    );
    expect(root).toMatchObject({ parents: [], message: 'first', signed: false, files: ['f'] });
  });
});
