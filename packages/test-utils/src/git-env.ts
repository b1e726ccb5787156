/**
 * The environment tests run the git CLI in: the caller's, minus every `GIT_*` variable
 * (a developer's GIT_DIR or GIT_AUTHOR_* must not leak in), with no system or global
 * config, no prompt and the C locale, and `extra` on top.
 */
export function gitTestEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}
