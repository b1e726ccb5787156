import { randomUUID } from 'node:crypto';
import { sha256Digest } from '@tagsmith/oci';

/** A manifest exactly as it was pushed: its bytes are what the digest covers. */
export interface StoredManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/** One repository: its tags, the manifests pushed to it and the blobs linked to it. */
export class RepositoryStore {
  readonly tags = new Map<string, string>();
  readonly manifests = new Map<string, StoredManifest>();
  readonly blobs = new Set<string>();
  /** Sorted tag list, rebuilt lazily so seeding 50,000 tags costs one sort, not 50,000. */
  #sortedTags: string[] | undefined;

  /** Points `tag` at the manifest `digest`. */
  setTag(tag: string, digest: string): void {
    if (!this.tags.has(tag)) this.#sortedTags = undefined;
    this.tags.set(tag, digest);
  }

  /** All tags in byte order (tags are ASCII, so UTF-16 order is byte order, as in distribution). */
  sortedTags(): readonly string[] {
    this.#sortedTags ??= [...this.tags.keys()].sort();
    return this.#sortedTags;
  }
}

interface Upload {
  readonly repository: string;
  readonly chunks: Buffer[];
  size: number;
}

/** In-memory content store: blobs by digest, shared across repositories like distribution's. */
export class RegistryStorage {
  readonly #blobs = new Map<string, Buffer>();
  readonly #repositories = new Map<string, RepositoryStore>();
  readonly #uploads = new Map<string, Upload>();

  /** The repository called `name`, if anything was ever pushed to it. */
  repository(name: string): RepositoryStore | undefined {
    return this.#repositories.get(name);
  }

  /** The repository called `name`, created empty when missing. */
  ensureRepository(name: string): RepositoryStore {
    let repository = this.#repositories.get(name);
    if (repository === undefined) {
      repository = new RepositoryStore();
      this.#repositories.set(name, repository);
    }
    return repository;
  }

  /** Stores `bytes` as a blob of `repository` and returns its digest. */
  putBlob(repository: string, bytes: Buffer): string {
    const digest = sha256Digest(bytes);
    this.#blobs.set(digest, bytes);
    this.ensureRepository(repository).blobs.add(digest);
    return digest;
  }

  /** The blob `digest` if it is linked to `repository`. */
  getBlob(repository: string, digest: string): Buffer | undefined {
    if (this.#repositories.get(repository)?.blobs.has(digest) !== true) return undefined;
    return this.#blobs.get(digest);
  }

  /** Links an existing blob into `repository` (cross-repository mount); false when unknown. */
  mountBlob(repository: string, digest: string): boolean {
    if (!this.#blobs.has(digest)) return false;
    this.ensureRepository(repository).blobs.add(digest);
    return true;
  }

  /** Stores a manifest in `repository` and returns it with its digest. */
  putManifest(repository: string, bytes: Buffer, mediaType: string): StoredManifest {
    const manifest: StoredManifest = { digest: sha256Digest(bytes), mediaType, bytes };
    this.ensureRepository(repository).manifests.set(manifest.digest, manifest);
    return manifest;
  }

  /** The manifest `reference` (a tag or a digest) of `repository`. */
  getManifest(repository: string, reference: string): StoredManifest | undefined {
    const store = this.#repositories.get(repository);
    if (store === undefined) return undefined;
    const digest = store.tags.get(reference) ?? reference;
    return store.manifests.get(digest);
  }

  /** Starts a blob upload session and returns its id. */
  startUpload(repository: string): string {
    const id = randomUUID();
    this.#uploads.set(id, { repository, chunks: [], size: 0 });
    return id;
  }

  /** Appends a chunk to an upload; returns the new size, or undefined for an unknown session. */
  appendUpload(repository: string, id: string, chunk: Buffer): number | undefined {
    const upload = this.#upload(repository, id);
    if (upload === undefined) return undefined;
    if (chunk.length > 0) {
      upload.chunks.push(chunk);
      upload.size += chunk.length;
    }
    return upload.size;
  }

  /** The bytes received so far by an upload session. */
  uploadSize(repository: string, id: string): number | undefined {
    return this.#upload(repository, id)?.size;
  }

  /** Ends an upload session and returns everything it received. */
  takeUpload(repository: string, id: string): Buffer | undefined {
    const upload = this.#upload(repository, id);
    if (upload === undefined) return undefined;
    this.#uploads.delete(id);
    return Buffer.concat(upload.chunks, upload.size);
  }

  #upload(repository: string, id: string): Upload | undefined {
    const upload = this.#uploads.get(id);
    return upload?.repository === repository ? upload : undefined;
  }
}
