import { jsonReply, ociError, type Reply } from './reply.js';
import type { ApiRequest } from './request.js';
import type { RegistryStorage } from './storage.js';

/**
 * `GET /v2/<name>/tags/list?n=&last=`: tags in byte order after `last`, at
 * most `n` (else `pageSize`), with a relative `Link rel="next"` while more
 * remain, as distribution 2.8+ and the OCI spec describe.
 */
export function listTags(
  storage: RegistryStorage,
  repository: string,
  request: ApiRequest,
  pageSize: number,
): Reply {
  const store = storage.repository(repository);
  if (store === undefined) {
    return ociError(404, 'NAME_UNKNOWN', `repository name not known to registry: ${repository}`);
  }
  const n = request.query.get('n');
  if (n !== null && !/^\d+$/.test(n)) {
    return ociError(400, 'PAGINATION_NUMBER_INVALID', `invalid number of results requested: ${n}`);
  }
  const limit = n === null ? pageSize : Number(n);
  const last = request.query.get('last');
  const all = store.sortedTags();
  const start = last === null ? 0 : firstAfter(all, last);
  const end = Math.min(all.length, start + limit);
  const tags = all.slice(start, end);
  const headers: Record<string, string> = {};
  const lastTag = tags.at(-1);
  if (end < all.length && lastTag !== undefined) {
    headers.link = `</v2/${repository}/tags/list?n=${limit}&last=${encodeURIComponent(lastTag)}>; rel="next"`;
  }
  return jsonReply(200, { name: repository, tags }, headers);
}

/** Index of the first tag sorting after `last` (binary search; `last` need not exist). */
function firstAfter(sorted: readonly string[], last: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= last) low = middle + 1;
    else high = middle;
  }
  return low;
}
