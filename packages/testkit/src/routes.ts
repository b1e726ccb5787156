import { REPOSITORY_NAME_PATTERN } from '@tagsmith/oci';

/** Which endpoint a request path addresses. */
export type Route =
  | { readonly kind: 'base' }
  | { readonly kind: 'token' }
  | { readonly kind: 'tags'; readonly repository: string }
  | { readonly kind: 'manifest'; readonly repository: string; readonly reference: string }
  | { readonly kind: 'blob'; readonly repository: string; readonly digest: string }
  | { readonly kind: 'upload'; readonly repository: string; readonly id: string | undefined }
  | { readonly kind: 'unknown' };

const TAGS_RE = new RegExp(`^/v2/(${REPOSITORY_NAME_PATTERN})/tags/list$`);
const MANIFEST_RE = new RegExp(`^/v2/(${REPOSITORY_NAME_PATTERN})/manifests/([^/]+)$`);
// Uploads before blobs: a repository may itself end in ".../blobs".
const UPLOAD_RE = new RegExp(`^/v2/(${REPOSITORY_NAME_PATTERN})/blobs/uploads/([^/]*)$`);
const BLOB_RE = new RegExp(`^/v2/(${REPOSITORY_NAME_PATTERN})/blobs/([a-z0-9]+:[a-zA-Z0-9=_-]+)$`);

/** Maps a URL pathname to its route. */
export function matchRoute(pathname: string): Route {
  if (pathname === '/v2/' || pathname === '/v2') return { kind: 'base' };
  if (pathname === '/token') return { kind: 'token' };
  let match = TAGS_RE.exec(pathname);
  if (match !== null) return { kind: 'tags', repository: match[1]! };
  match = MANIFEST_RE.exec(pathname);
  if (match !== null) {
    return { kind: 'manifest', repository: match[1]!, reference: decodeURIComponent(match[2]!) };
  }
  match = UPLOAD_RE.exec(pathname);
  if (match !== null) return { kind: 'upload', repository: match[1]!, id: match[2] || undefined };
  match = BLOB_RE.exec(pathname);
  if (match !== null) return { kind: 'blob', repository: match[1]!, digest: match[2]! };
  return { kind: 'unknown' };
}

/** The repository a route belongs to, for scoping auth. */
export function routeRepository(route: Route): string | undefined {
  return 'repository' in route ? route.repository : undefined;
}
