// The environment every git child runs in. It starts from a small base (by default a
// copy of a few variables of the caller's process, taken once when the repository is
// opened), drops the variables that would point git at another repository, and adds
// the controls the package relies on: no prompts, no user or system config unless
// asked, English messages to classify, no hooks, and config entries passed through
// GIT_CONFIG_COUNT so nothing (a secret least of all) has to go into argv or a file.

/** An environment as callers give it: unset variables may be `undefined`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The variables the default base environment copies from the caller's process. */
export const BASE_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'LANG'] as const;

// Variables that make git work on a repository other than the one in `cwd`, or read an
// index or object store from elsewhere. A caller's own environment may carry them (a
// git hook running Node, say); they would turn a reset of our clone into a reset of theirs.
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_QUARANTINE_PATH',
];

// Config every command gets. core.hooksPath=/dev/null: no hook of the repository runs
// (a clone's hooks are the remote's business, and a local one is not ours to run).
// core.fsmonitor=false: a repository's config cannot make git start a program.
// gc.autoDetach=false: an automatic gc finishes before the command returns instead of
// outliving it in the background.
const DEFAULT_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['gc.autoDetach', 'false'],
  ['advice.detachedHead', 'false'],
];

/** A config entry `key=value` for GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n. */
export type ConfigEntry = readonly [key: string, value: string];

/** The default base environment: {@link BASE_VARIABLES} copied from `source`. */
export function minimalEnvironment(source: Environment): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BASE_VARIABLES) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * The environment of one git child: `base` without the repository-locating variables,
 * the fixed controls, `extra` (credentials, author), and `config` appended after any
 * GIT_CONFIG_COUNT entries `base` already has.
 */
export function childEnvironment(
  base: Environment,
  options: {
    useGlobalConfig: boolean;
    extra?: Readonly<Record<string, string>>;
    config?: readonly ConfigEntry[];
  },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !REPOSITORY_VARIABLES.includes(name)) env[name] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  if (!options.useGlobalConfig) {
    env.GIT_CONFIG_NOSYSTEM = '1';
    env.GIT_CONFIG_GLOBAL = '/dev/null';
  }
  Object.assign(env, options.extra);
  const entries = [...DEFAULT_CONFIG, ...(options.config ?? [])];
  const start = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10);
  const first = Number.isInteger(start) && start > 0 ? start : 0;
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${first + i}`] = key;
    env[`GIT_CONFIG_VALUE_${first + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(first + entries.length);
  return env;
}
