// Finding the system tools the integration tests and benchmarks need, and the
// rule for when one is missing: skip with a message on a developer machine,
// fail under CI=true so CI can never pass by skipping.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What to install for each tool, for the skip/fail message. */
const INSTALL_HINTS = {
  'docker-registry': 'apt-get install docker-registry',
  skopeo: 'apt-get install skopeo',
  htpasswd: 'apt-get install apache2-utils',
  sshd: 'apt-get install openssh-server',
  ssh: 'apt-get install openssh-client',
  'ssh-keygen': 'apt-get install openssh-client',
};

/**
 * The absolute path of executable `name` on `PATH`, or undefined.
 * @param {string} name
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined}
 */
export function findExecutable(name, env = process.env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory; keep looking
    }
  }
  return undefined;
}

/**
 * Whether every tool in `names` is installed. When one is missing it prints
 * why the tests will be skipped and returns false, except under `CI=true`,
 * where it throws so the run fails instead of silently skipping.
 *
 * Use it at the top of a test file: `describe.runIf(requireTool('skopeo'))(...)`.
 * @param {string | readonly string[]} names
 * @param {{ env?: NodeJS.ProcessEnv, log?: (message: string) => void }} [options]
 * @returns {boolean}
 */
export function requireTool(names, options = {}) {
  const env = options.env ?? process.env;
  const missing = (typeof names === 'string' ? [names] : names).filter(
    (name) => findExecutable(name, env) === undefined,
  );
  if (missing.length === 0) return true;
  const hints = missing
    .map((name) => `${name} (${INSTALL_HINTS[name] ?? 'install it'})`)
    .join(', ');
  if (env.CI === 'true') {
    throw new Error(`Required tool missing under CI=true: ${hints}. .ci/run must install it.`);
  }
  (options.log ?? console.warn)(`Skipping tests that need ${hints}: not found on PATH.`);
  return false;
}
