import {
  isIndexMediaType,
  isSha256Digest,
  isTag,
  MANIFEST_MEDIA_TYPES,
  sha256Digest,
} from '@tagsmith/oci';
import { emptyReply, ociError, type Reply } from './reply.js';
import type { ApiRequest } from './request.js';
import type { RegistryStorage, StoredManifest } from './storage.js';

/** `GET|HEAD|PUT /v2/<name>/manifests/<reference>`. */
export function handleManifest(
  storage: RegistryStorage,
  repository: string,
  reference: string,
  request: ApiRequest,
): Reply {
  if (!isTag(reference) && !isSha256Digest(reference)) {
    return ociError(400, 'MANIFEST_INVALID', `invalid tag or digest: ${reference}`);
  }
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return getManifest(storage, repository, reference, request);
    case 'PUT':
      return putManifest(storage, repository, reference, request);
    default:
      return ociError(405, 'UNSUPPORTED', `${request.method} is not supported on manifests`);
  }
}

function getManifest(
  storage: RegistryStorage,
  repository: string,
  reference: string,
  request: ApiRequest,
): Reply {
  if (storage.repository(repository) === undefined) {
    return ociError(404, 'NAME_UNKNOWN', `repository name not known to registry: ${repository}`);
  }
  const manifest = storage.getManifest(repository, reference);
  if (manifest === undefined) {
    return ociError(404, 'MANIFEST_UNKNOWN', `manifest unknown: ${repository}:${reference}`);
  }
  if (!accepts(request.headers.accept, manifest.mediaType)) {
    return ociError(
      404,
      'MANIFEST_UNKNOWN',
      `manifest ${repository}:${reference} is ${manifest.mediaType}, which the Accept header does not list`,
    );
  }
  return manifestReply(200, manifest);
}

function manifestReply(status: number, manifest: StoredManifest): Reply {
  return {
    status,
    headers: {
      'content-type': manifest.mediaType,
      'docker-content-digest': manifest.digest,
      etag: `"${manifest.digest}"`,
    },
    body: manifest.bytes,
  };
}

/** Accept lists media types with optional parameters; no header or a wildcard accepts anything. */
function accepts(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const entry of accept.split(',')) {
    const type = entry.split(';')[0]!.trim();
    if (type === mediaType || type === '*/*' || type === 'application/*') return true;
  }
  return false;
}

function putManifest(
  storage: RegistryStorage,
  repository: string,
  reference: string,
  request: ApiRequest,
): Reply {
  const parsed = parseManifest(request);
  if ('problem' in parsed) return ociError(400, 'MANIFEST_INVALID', parsed.problem);
  const digest = sha256Digest(request.body);
  if (isSha256Digest(reference) && reference !== digest) {
    return ociError(400, 'DIGEST_INVALID', `manifest digest is ${digest}, not ${reference}`);
  }
  const missing = parsed.references.find((ref) =>
    ref.manifest
      ? storage.getManifest(repository, ref.digest) === undefined
      : storage.getBlob(repository, ref.digest) === undefined,
  );
  if (missing !== undefined) {
    return ociError(400, 'MANIFEST_BLOB_UNKNOWN', `manifest references unknown ${missing.digest}`);
  }
  const stored = storage.putManifest(repository, request.body, parsed.mediaType);
  if (!isSha256Digest(reference))
    storage.ensureRepository(repository).setTag(reference, stored.digest);
  return emptyReply(201, {
    location: `/v2/${repository}/manifests/${stored.digest}`,
    'docker-content-digest': stored.digest,
  });
}

interface ParsedManifest {
  readonly mediaType: string;
  readonly references: readonly { readonly digest: string; readonly manifest: boolean }[];
}

/** Checks the shape of a pushed manifest and lists the blobs or manifests it needs. */
function parseManifest(request: ApiRequest): ParsedManifest | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { problem: 'manifest body is not JSON' };
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    (json as { schemaVersion?: unknown }).schemaVersion !== 2
  ) {
    return { problem: 'manifest must be a JSON object with schemaVersion 2' };
  }
  const manifest = json as {
    mediaType?: unknown;
    config?: unknown;
    layers?: unknown;
    manifests?: unknown;
  };
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim() || manifest.mediaType;
  if (typeof mediaType !== 'string' || !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    return { problem: `unsupported manifest media type ${JSON.stringify(mediaType)}` };
  }
  const descriptors = isIndexMediaType(mediaType)
    ? manifest.manifests
    : [manifest.config, ...(Array.isArray(manifest.layers) ? manifest.layers : [undefined])];
  if (!Array.isArray(descriptors)) return { problem: 'index has no manifests array' };
  const references: { digest: string; manifest: boolean }[] = [];
  for (const descriptor of descriptors) {
    const digest = (descriptor as { digest?: unknown } | undefined)?.digest;
    if (typeof digest !== 'string' || !isSha256Digest(digest)) {
      return { problem: 'every descriptor needs a sha256 digest' };
    }
    references.push({ digest, manifest: isIndexMediaType(mediaType) });
  }
  return { mediaType, references };
}
