// Starts Debian's docker-registry (CNCF distribution 2.8) on a free loopback
// port with a throw-away config and storage directory, for integration tests
// and benchmarks that need a real registry.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const run = promisify(execFile);
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * @typedef {object} StartDistributionOptions
 * @property {{ username: string, password: string }} [htpasswd] Require Basic auth with these
 *   credentials (a bcrypt htpasswd file made by `htpasswd -Bbn`). Default: anonymous.
 * @property {string} [executable] The registry binary. Default: `docker-registry` on PATH.
 * @property {string} [tempRoot] Where the config and storage directory go. Default: `/dev/shm`
 *   when it is a writable directory (a tmpfs: distribution and bulk seeding do many small
 *   file writes, 10-40x faster there than on a disk-backed /tmp), else `os.tmpdir()`.
 */

/**
 * @typedef {object} Distribution
 * @property {string} url `http://127.0.0.1:PORT`
 * @property {string} host `127.0.0.1:PORT`, for image references.
 * @property {string} storageDir The filesystem storage root.
 * @property {() => string} logs Everything the registry printed so far, for failure messages.
 * @property {() => Promise<void>} close Stops the registry and deletes its directory. Idempotent.
 */

/**
 * Starts a distribution registry and resolves once `/v2/` answers.
 * @param {StartDistributionOptions} [options]
 * @returns {Promise<Distribution & AsyncDisposable>}
 */
export async function startDistribution(options = {}) {
  const dir = await mkdtemp(join(options.tempRoot ?? defaultTempRoot(), 'tagsmith-distribution-'));
  try {
    const config = { ...baseConfig(join(dir, 'storage')) };
    if (options.htpasswd !== undefined) {
      const file = join(dir, 'htpasswd');
      await writeFile(file, await htpasswdLine(options.htpasswd), { mode: 0o600 });
      config.auth = { htpasswd: { realm: 'tagsmith-test', path: file } };
    }
    const configPath = join(dir, 'config.yml');
    await writeFile(configPath, stringify(config));
    return await launch(options.executable ?? 'docker-registry', configPath, dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function defaultTempRoot() {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** @param {string} storageDir */
function baseConfig(storageDir) {
  return {
    version: 0.1,
    // `info` is needed: the "listening on" line is how we learn the port.
    log: { level: 'info', accesslog: { disabled: true }, formatter: 'text' },
    storage: {
      filesystem: { rootdirectory: storageDir },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    // Port 0: the kernel picks a free port, so parallel test files never collide.
    // No `debug` key: no debug server is started.
    http: { addr: '127.0.0.1:0', secret: 'tagsmith-test-secret' },
  };
}

/** @param {{ username: string, password: string }} credentials */
async function htpasswdLine({ username, password }) {
  // -B bcrypt (the only scheme distribution accepts), -b password from argv, -n print.
  const { stdout } = await run('htpasswd', ['-Bbn', username, password]);
  return stdout;
}

/**
 * @param {string} executable
 * @param {string} configPath
 * @param {string} dir
 * @returns {Promise<Distribution & AsyncDisposable>}
 */
async function launch(executable, configPath, dir) {
  const child = spawn(executable, ['serve', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: withoutRegistryEnv(process.env),
  });
  let output = '';
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `docker-registry did not report a port within ${START_TIMEOUT_MS} ms:\n${output}`,
          ),
        ),
      START_TIMEOUT_MS,
    );
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString('utf8');
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`docker-registry exited (${code ?? signal}) before listening:\n${output}`));
    });
  }).catch(async (error) => {
    child.kill('SIGKILL');
    throw error;
  });
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  let closing;
  const close = () => {
    closing ??= stop(child, exited).finally(() => rm(dir, { recursive: true, force: true }));
    return closing;
  };
  try {
    await waitForApi(url);
  } catch (error) {
    await close();
    throw new Error(`${error.message}\n${output}`, { cause: error });
  }
  return {
    url,
    host,
    storageDir: join(dir, 'storage'),
    logs: () => output,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Distribution reads `REGISTRY_*` variables as config overrides; a developer's
 * environment must not change what the tests start.
 * @param {NodeJS.ProcessEnv} env
 */
function withoutRegistryEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('REGISTRY_')));
}

/** @param {string} url */
async function waitForApi(url) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(`${url}/v2/`);
      await response.arrayBuffer();
      // 401 counts: the htpasswd variant is up and asking for credentials.
      if (response.status === 200 || response.status === 401) return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`docker-registry at ${url} never answered /v2/`, { cause: error });
    }
    if (Date.now() > deadline)
      throw new Error(`docker-registry at ${url} never answered /v2/ with 200 or 401`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {Promise<unknown>} exited
 */
async function stop(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
