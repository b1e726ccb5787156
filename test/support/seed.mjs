// Seeds a real registry through its own HTTP API with plain fetch: one tiny
// image (config + layer, monolithic uploads), then one manifest PUT per tag.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, sha256Digest } from '@tagsmith/oci';

/**
 * @typedef {object} SeedOptions
 * @property {{ username: string, password: string }} [auth] Basic credentials. Default: anonymous.
 * @property {number} [concurrency] Manifest PUTs in flight at once. Default: 8.
 * @property {string} [content] Text baked into the image, to vary its digest. Default: the repository name.
 */

/**
 * Pushes one small OCI image to `repository` and tags it with every tag in `tags`.
 * Resolves with the manifest digest all the tags point at.
 * @param {string} url Registry base URL, e.g. `http://127.0.0.1:5000`.
 * @param {string} repository
 * @param {readonly string[]} tags
 * @param {SeedOptions} [options]
 * @returns {Promise<{ digest: string }>}
 */
export async function seedDistribution(url, repository, tags, options = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (options.auth !== undefined) {
    const { username, password } = options.auth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const { config, layer, manifest } = ociImage(options.content ?? repository);
  await uploadBlob(url, repository, config, headers);
  await uploadBlob(url, repository, layer, headers);
  let next = 0;
  const worker = async () => {
    while (next < tags.length) {
      const tag = tags[next++];
      await expectStatus(
        await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
          method: 'PUT',
          headers: { ...headers, 'content-type': OCI_MANIFEST },
          body: manifest,
        }),
        201,
        `PUT manifest ${repository}:${tag}`,
      );
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return { digest: sha256Digest(manifest) };
}

/**
 * The three parts of a tiny OCI image: a config blob, a gzipped layer holding
 * `content`, and the manifest referencing both (push the blobs first).
 * @param {string} content Text in the layer, so different content gives a different digest.
 * @returns {{ config: Buffer, layer: Buffer, manifest: Buffer }}
 */
export function ociImage(content) {
  const layer = gzipSync(Buffer.from(`${content}\n`));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: OCI_CONFIG,
        digest: sha256Digest(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: OCI_LAYER,
          digest: sha256Digest(layer),
          size: layer.length,
        },
      ],
    }),
  );
  return { config, layer, manifest };
}

/**
 * Seeds many tags fast: the first tag goes through the registry API like
 * {@link seedDistribution}; the others are written straight into the
 * filesystem storage as copies of that tag's link files, because distribution
 * 2.8 needs 5-10 ms per manifest PUT (50,000 tags would take minutes).
 * Distribution reads tags from disk on every request (no cache is configured),
 * so the registry serves them at once, exactly as if they had been pushed.
 * @param {{ url: string, storageDir: string }} distribution From `startDistribution`.
 * @param {string} repository
 * @param {readonly string[]} tags At least one.
 * @param {SeedOptions} [options]
 * @returns {Promise<{ digest: string }>}
 */
export async function seedDistributionBulk(distribution, repository, tags, options = {}) {
  const [first, ...rest] = tags;
  if (first === undefined) throw new Error('seedDistributionBulk needs at least one tag');
  const { digest } = await seedDistribution(distribution.url, repository, [first], options);
  const tagsDir = join(
    distribution.storageDir,
    'docker/registry/v2/repositories',
    repository,
    '_manifests/tags',
  );
  // Only what distribution reads: the tag directory names (tags/list) and
  // current/link (resolving the tag); the index/ links matter only for deletes.
  // Synchronous on purpose: three tiny syscalls per tag run several times
  // faster than through the libuv thread pool.
  mkdirSync(tagsDir, { recursive: true });
  for (const tag of rest) {
    mkdirSync(join(tagsDir, tag));
    mkdirSync(join(tagsDir, tag, 'current'));
    writeFileSync(join(tagsDir, tag, 'current', 'link'), digest);
  }
  return { digest };
}

/**
 * POST to open an upload, PUT the whole blob with `?digest=` to finish it.
 * @param {string} url
 * @param {string} repository
 * @param {Buffer} bytes
 * @param {Record<string, string>} headers
 */
async function uploadBlob(url, repository, bytes, headers) {
  const started = await fetch(`${url}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
    headers,
  });
  await expectStatus(started, 202, `POST blob upload to ${repository}`);
  const location = new URL(started.headers.get('location') ?? '', `${url}/`);
  location.searchParams.set('digest', sha256Digest(bytes));
  const finished = await fetch(location, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  await expectStatus(finished, 201, `PUT blob ${sha256Digest(bytes)} to ${repository}`);
}

/**
 * @param {Response} response
 * @param {number} status
 * @param {string} what
 */
async function expectStatus(response, status, what) {
  const body = await response.text();
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${body.slice(0, 500)}`);
  }
}
