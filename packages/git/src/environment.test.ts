// The environment git children run in.
import { describe, expect, it } from 'vitest';
import { childEnvironment, minimalEnvironment } from './environment.js';

describe('minimalEnvironment', () => {
  it('copies only PATH, HOME, TMPDIR and LANG', () => {
    expect(
      minimalEnvironment({
        PATH: '/bin',
        HOME: '/h',
        TMPDIR: '/t',
        LANG: 'C.UTF-8',
        SECRET: 's',
        GIT_DIR: '/x',
      }),
    ).toEqual({ PATH: '/bin', HOME: '/h', TMPDIR: '/t', LANG: 'C.UTF-8' });
  });
});

describe('childEnvironment', () => {
  it('adds the controls, drops repository-locating variables, and appends config entries', () => {
    const env = childEnvironment(
      { PATH: '/bin', GIT_DIR: '/elsewhere', GIT_WORK_TREE: '/w', UNSET: undefined },
      {
        useGlobalConfig: false,
        extra: { GIT_ASKPASS: '/a' },
        config: [['http.extraHeader', 'X: y']],
      },
    );
    expect(env).toMatchObject({
      PATH: '/bin',
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_ASKPASS: '/a',
      GIT_CONFIG_KEY_0: 'core.hooksPath',
      GIT_CONFIG_VALUE_0: '/dev/null',
    });
    expect(env).not.toHaveProperty('GIT_DIR');
    expect(env).not.toHaveProperty('GIT_WORK_TREE');
    expect(env).not.toHaveProperty('UNSET');
    const count = Number(env.GIT_CONFIG_COUNT);
    expect(env[`GIT_CONFIG_KEY_${count - 1}`]).toBe('http.extraHeader');
    expect(env[`GIT_CONFIG_VALUE_${count - 1}`]).toBe('X: y');
  });

  it("keeps the caller's own config entries and the global config when asked", () => {
    const env = childEnvironment(
      { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.x', GIT_CONFIG_VALUE_0: 'y' },
      { useGlobalConfig: true },
    );
    expect(env.GIT_CONFIG_KEY_0).toBe('user.x');
    expect(env.GIT_CONFIG_KEY_1).toBe('core.hooksPath');
    expect(env).not.toHaveProperty('GIT_CONFIG_GLOBAL');
    expect(env).not.toHaveProperty('GIT_CONFIG_NOSYSTEM');
  });
});
