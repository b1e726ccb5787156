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

/**
 * Copies an image between two registries with skopeo (`--all` keeps every
 * platform of an index), as an independent client exercising pull and push.
 * @param {string} source e.g. `127.0.0.1:5000/team/app:1.0.0`
 * @param {string} destination
 * @param {{ all?: boolean, timeoutMs?: number }} [options] `all` default false; `timeoutMs` default 60000.
 * @returns {Promise<void>}
 */
export async function skopeoCopy(source, destination, options = {}) {
  await run(
    'skopeo',
    [
      '--insecure-policy',
      'copy',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      '--src-no-creds',
      '--dest-no-creds',
      ...(options.all === true ? ['--all'] : []),
      `docker://${source}`,
      `docker://${destination}`,
    ],
    { timeout: options.timeoutMs ?? 60_000 },
  );
}
