import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator, type RegistryAuth } from './auth.js';
import { TestkitError } from './errors.js';
import { FaultList, type FaultRule } from './faults.js';
import { assertRepositoryName, assertTag } from './grammar.js';
import { buildImage, type ImageFormat } from './images.js';
import { listen, type RecordedRequest } from './server.js';
import { RegistryStorage } from './storage.js';

/** Options of {@link startRegistry}. */
export interface StartRegistryOptions {
  /**
   * Tags per page when the client sends no `n`; a client's `n` always wins.
   * Default: unlimited (all tags in one page).
   */
  readonly pageSize?: number;
  /** Basic or Bearer authentication. Default: none (anonymous access). */
  readonly auth?: RegistryAuth;
  /** Fault rules in place from the first request, as if passed to `faults.add`. Default: none. */
  readonly faults?: readonly FaultRule[];
  /** Address to bind. Default: `'127.0.0.1'`. */
  readonly host?: string;
  /** Milliseconds since the epoch, for Bearer token expiry. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Options of {@link TestRegistry.pushImage}. */
export interface PushImageOptions {
  /** Manifest flavour: OCI image manifest/index or Docker v2 manifest/list. Default: `'oci'`. */
  readonly mediaType?: ImageFormat;
  /**
   * Push a multi-platform index (manifest list) with one image per
   * `os/arch[/variant]`. Default: a single `linux/amd64` image, no index.
   */
  readonly platforms?: readonly string[];
  /**
   * Text baked into the layer and config, so different content gives
   * different digests and equal content equal digests. Default:
   * `'<repository>:<tag>'` (every tag is a distinct image).
   */
  readonly content?: string;
}

/** What {@link TestRegistry.pushImage} stored under the tag. */
export interface PushedImage {
  /** Digest of the tagged manifest (the index for multi-platform images). */
  readonly digest: string;
  /** Media type of the tagged manifest. */
  readonly mediaType: string;
  /** Size of the tagged manifest in bytes. */
  readonly size: number;
  /** For an index: each platform's manifest digest, in `platforms` order. Otherwise empty. */
  readonly manifests: readonly { readonly platform: string; readonly digest: string }[];
}

/** The fault rules of a running registry. */
export interface FaultControl {
  /** Adds a rule after the existing ones; throws `INVALID_ARGUMENT` for an impossible rule. */
  add(rule: FaultRule): void;
  /** Removes every rule. */
  clear(): void;
}

/** A running in-memory registry; close it (or `await using` it) when done. */
export interface TestRegistry extends AsyncDisposable {
  /** Base URL, e.g. `'http://127.0.0.1:40123'`. */
  readonly url: string;
  /** Host and port for image references, e.g. `'127.0.0.1:40123'`. */
  readonly host: string;
  /**
   * Seeds an image (blobs, manifest, tag) and returns what was stored.
   * Throws `INVALID_NAME`, `INVALID_TAG` or `INVALID_ARGUMENT` for bad input.
   */
  pushImage(repository: string, tag: string, options?: PushImageOptions): Promise<PushedImage>;
  /**
   * Seeds many tags of one repository cheaply: all point at one small image
   * (pushed once per repository). Returns that image's digest.
   */
  pushTags(repository: string, tags: readonly string[]): Promise<{ readonly digest: string }>;
  /** Every request received so far, in arrival order (including ones answered 401). */
  readonly requests: readonly RecordedRequest[];
  /** Add or clear fault rules while the registry runs. */
  readonly faults: FaultControl;
  /** Stops listening and closes every connection, keep-alive ones included. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts an in-memory OCI distribution registry on `127.0.0.1` and a random
 * port, for tests. It speaks the endpoints real clients use (tags with `n`/`last`
 * pagination, manifests, blobs, uploads, a Bearer token endpoint) and can be
 * told to misbehave with fault rules.
 *
 * @example
 * ```ts
 * await using registry = await startRegistry({ pageSize: 2 });
 * await registry.pushTags('team/app', ['1.0.0', '1.1.0', '2.0.0']);
 * const page = await fetch(`${registry.url}/v2/team/app/tags/list`);
 * page.headers.get('link'); // '</v2/team/app/tags/list?n=2&last=1.1.0>; rel="next"'
 * ```
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const pageSize = options.pageSize ?? Number.POSITIVE_INFINITY;
  if (!(pageSize >= 1)) {
    throw new TestkitError('INVALID_ARGUMENT', `pageSize must be 1 or more, got ${pageSize}`);
  }
  const faults = new FaultList();
  for (const rule of options.faults ?? []) faults.add(rule);
  let realm = '';
  const auth = new Authenticator(options.auth, () => realm, options.clock ?? Date.now);
  const storage = new RegistryStorage();
  const requests: RecordedRequest[] = [];
  const host = options.host ?? '127.0.0.1';
  const server = await listen({ storage, faults, auth, pageSize, requests }, host);
  const { port } = server.address() as AddressInfo;
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `http://${hostPort}`;
  realm = `${url}/token`;
  return new InMemoryRegistry(url, hostPort, server, storage, faults, requests);
}

class InMemoryRegistry implements TestRegistry {
  readonly url: string;
  readonly host: string;
  readonly requests: readonly RecordedRequest[];
  readonly faults: FaultControl;
  readonly #server: Server;
  readonly #storage: RegistryStorage;
  readonly #bulkDigests = new Map<string, string>();
  #closing: Promise<void> | undefined;

  constructor(
    url: string,
    host: string,
    server: Server,
    storage: RegistryStorage,
    faults: FaultList,
    requests: RecordedRequest[],
  ) {
    this.url = url;
    this.host = host;
    this.#server = server;
    this.#storage = storage;
    this.requests = requests;
    this.faults = { add: (rule) => faults.add(rule), clear: () => faults.clear() };
  }

  async pushImage(
    repository: string,
    tag: string,
    options: PushImageOptions = {},
  ): Promise<PushedImage> {
    this.#assertOpen('pushImage');
    assertRepositoryName(repository);
    assertTag(tag);
    const image = buildImage(
      options.mediaType ?? 'oci',
      options.content ?? `${repository}:${tag}`,
      options.platforms,
    );
    for (const blob of image.blobs) this.#storage.putBlob(repository, blob);
    const manifests = image.children.map((child) => ({
      platform: child.platform,
      digest: this.#storage.putManifest(repository, child.bytes, child.mediaType).digest,
    }));
    const top = this.#storage.putManifest(repository, image.top.bytes, image.top.mediaType);
    this.#storage.ensureRepository(repository).setTag(tag, top.digest);
    return { digest: top.digest, mediaType: top.mediaType, size: top.bytes.length, manifests };
  }

  async pushTags(
    repository: string,
    tags: readonly string[],
  ): Promise<{ readonly digest: string }> {
    this.#assertOpen('pushTags');
    assertRepositoryName(repository);
    for (const tag of tags) assertTag(tag);
    let digest = this.#bulkDigests.get(repository);
    if (digest === undefined) {
      const image = buildImage('oci', `${repository} bulk tags`, undefined);
      for (const blob of image.blobs) this.#storage.putBlob(repository, blob);
      digest = this.#storage.putManifest(repository, image.top.bytes, image.top.mediaType).digest;
      this.#bulkDigests.set(repository, digest);
    }
    const store = this.#storage.ensureRepository(repository);
    for (const tag of tags) store.setTag(tag, digest);
    return { digest };
  }

  close(): Promise<void> {
    this.#closing ??= new Promise((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets would otherwise hold close() open until they time out.
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(what: string): void {
    if (this.#closing !== undefined) {
      throw new TestkitError('CLOSED', `${what}: the testkit registry at ${this.url} is closed`);
    }
  }
}
