import { isSha256Digest, sha256Digest } from '@tagsmith/oci';
import { emptyReply, ociError, type Reply } from './reply.js';
import type { ApiRequest } from './request.js';
import type { RegistryStorage } from './storage.js';

/** `GET|HEAD /v2/<name>/blobs/<digest>`. */
export function handleBlob(
  storage: RegistryStorage,
  repository: string,
  digest: string,
  request: ApiRequest,
): Reply {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return ociError(405, 'UNSUPPORTED', `${request.method} is not supported on blobs`);
  }
  const bytes = storage.getBlob(repository, digest);
  if (bytes === undefined)
    return ociError(404, 'BLOB_UNKNOWN', `blob unknown to registry: ${digest}`);
  return {
    status: 200,
    headers: { 'content-type': 'application/octet-stream', 'docker-content-digest': digest },
    body: bytes,
  };
}

/**
 * Blob uploads: `POST .../blobs/uploads/` (start, single-request monolithic
 * with `?digest=`, or cross-repository `?mount=&from=`), `PATCH` (append a
 * chunk), `PUT ...?digest=` (finish), `GET` (progress) and `DELETE` (cancel).
 * Enough for real clients such as skopeo to push.
 */
export function handleUpload(
  storage: RegistryStorage,
  repository: string,
  id: string | undefined,
  request: ApiRequest,
): Reply {
  if (id === undefined) {
    return request.method === 'POST'
      ? startUpload(storage, repository, request)
      : ociError(405, 'UNSUPPORTED', `${request.method} is not supported on blob uploads`);
  }
  const location = `/v2/${repository}/blobs/uploads/${id}`;
  const unknown = () => ociError(404, 'BLOB_UPLOAD_UNKNOWN', `blob upload unknown: ${id}`);
  switch (request.method) {
    case 'PATCH': {
      const size = storage.appendUpload(repository, id, request.body);
      return size === undefined ? unknown() : progress(location, id, size, 202);
    }
    case 'GET': {
      const size = storage.uploadSize(repository, id);
      return size === undefined ? unknown() : progress(location, id, size, 204);
    }
    case 'PUT': {
      if (storage.appendUpload(repository, id, request.body) === undefined) return unknown();
      return commit(
        storage,
        repository,
        request.query.get('digest'),
        storage.takeUpload(repository, id)!,
      );
    }
    case 'DELETE':
      return storage.takeUpload(repository, id) === undefined ? unknown() : emptyReply(204);
    default:
      return ociError(405, 'UNSUPPORTED', `${request.method} is not supported on blob uploads`);
  }
}

function startUpload(storage: RegistryStorage, repository: string, request: ApiRequest): Reply {
  const mount = request.query.get('mount');
  const from = request.query.get('from');
  if (mount !== null && from !== null && storage.getBlob(from, mount) !== undefined) {
    storage.mountBlob(repository, mount);
    return created(repository, mount);
  }
  const digest = request.query.get('digest');
  if (digest !== null) return commit(storage, repository, digest, request.body);
  const id = storage.startUpload(repository);
  storage.appendUpload(repository, id, request.body);
  return progress(`/v2/${repository}/blobs/uploads/${id}`, id, request.body.length, 202);
}

function commit(
  storage: RegistryStorage,
  repository: string,
  digest: string | null,
  bytes: Buffer,
): Reply {
  if (digest === null || !isSha256Digest(digest)) {
    return ociError(
      400,
      'DIGEST_INVALID',
      `upload needs ?digest=sha256:<hex>, got ${String(digest)}`,
    );
  }
  const actual = sha256Digest(bytes);
  if (actual !== digest) {
    return ociError(400, 'DIGEST_INVALID', `uploaded content has digest ${actual}, not ${digest}`);
  }
  storage.putBlob(repository, bytes);
  return created(repository, digest);
}

function created(repository: string, digest: string): Reply {
  return emptyReply(201, {
    location: `/v2/${repository}/blobs/${digest}`,
    'docker-content-digest': digest,
  });
}

function progress(location: string, id: string, size: number, status: number): Reply {
  // Range is inclusive, and distribution reports an empty upload as 0-0.
  return emptyReply(status, {
    location,
    range: `0-${Math.max(0, size - 1)}`,
    'docker-upload-uuid': id,
  });
}
