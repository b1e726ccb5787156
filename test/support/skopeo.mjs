// `skopeo list-tags` as an independent cross-check of our tag lists.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Lists the tags of `reference` (`host:port/repository`) with skopeo, over
 * plain HTTP. Runs skopeo directly (no shell), so nothing in the arguments is
 * interpreted.
 * @param {string} reference e.g. `127.0.0.1:5000/team/app`
 * @param {{ creds?: { username: string, password: string }, timeoutMs?: number }} [options]
 *   `creds`: Basic credentials; default anonymous (`--no-creds`, so no auth file is read).
 *   `timeoutMs`: default 60000.
 * @returns {Promise<string[]>}
 */
export async function skopeoListTags(reference, options = {}) {
  const auth =
    options.creds === undefined
      ? ['--no-creds']
      : ['--username', options.creds.username, '--password', options.creds.password];
  const { stdout } = await run(
    'skopeo',
    ['list-tags', '--tls-verify=false', ...auth, `docker://${reference}`],
    { timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  /** @type {{ Tags: string[] | null }} */
  const parsed = JSON.parse(stdout);
  return parsed.Tags ?? [];
}
