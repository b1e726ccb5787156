// Reading a GitHub tree under some paths without a clone. One recursive request answers for
// most repositories; GitHub truncates a recursive listing past 100,000 entries or 7 MB, and
// then the tree is walked one level at a time, descending only towards the paths asked for.
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { GitError } from './errors.js';

/** A blob, submodule or tree of a remote tree, with its repository-relative path. */
export interface RemoteEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
}

/** One answer of `GET /git/trees/{sha}`. */
export interface TreeListing {
  readonly entries: readonly RemoteEntry[];
  readonly truncated: boolean;
}

/** Fetches one tree listing, recursive or not; paths in it are relative to that tree. */
export type TreeFetcher = (sha: string, recursive: boolean) => Promise<TreeListing>;

/** Regular file modes: what a workspace lays out and a commit writes. */
export const FILE_MODES: ReadonlySet<string> = new Set(['100644', '100755']);

/**
 * The blobs and submodules of tree `sha` inside `scopes` (repository-relative directories
 * or files; all of the tree when undefined), keyed by path. A path from the server that
 * could leave a directory it is laid out in (`..`, absolute, empty parts) is refused with
 * `UNSAFE_PATH` before anything uses it.
 */
export async function readTree(
  fetchTree: TreeFetcher,
  sha: string,
  scopes: readonly string[] | undefined,
): Promise<Map<string, RemoteEntry>> {
  const found = new Map<string, RemoteEntry>();
  await collect(fetchTree, sha, '', normalizeScopes(scopes), found);
  return found;
}

async function collect(
  fetchTree: TreeFetcher,
  sha: string,
  prefix: string,
  scopes: readonly string[] | undefined,
  found: Map<string, RemoteEntry>,
): Promise<void> {
  const recursive = await fetchTree(sha, true);
  if (!recursive.truncated) {
    for (const entry of recursive.entries) {
      const path = prefix + assertSafeServerPath(entry.path);
      if (entry.type !== 'tree' && inScope(path, scopes)) found.set(path, { ...entry, path });
    }
    return;
  }
  const level = await fetchTree(sha, false);
  for (const entry of level.entries) {
    const path = prefix + assertSafeServerPath(entry.path);
    if (entry.type !== 'tree') {
      if (inScope(path, scopes)) found.set(path, { ...entry, path });
    } else if (inScope(path, scopes)) {
      await collect(fetchTree, entry.sha, `${path}/`, undefined, found);
    } else if (scopes?.some((scope) => scope.startsWith(`${path}/`))) {
      await collect(fetchTree, entry.sha, `${path}/`, scopes, found);
    }
  }
}

function inScope(path: string, scopes: readonly string[] | undefined): boolean {
  return (
    scopes === undefined || scopes.some((scope) => path === scope || path.startsWith(`${scope}/`))
  );
}

function normalizeScopes(scopes: readonly string[] | undefined): string[] | undefined {
  if (scopes === undefined) return undefined;
  const cleaned = scopes.map((scope) => scope.replace(/^\.\/+|\/+$/g, ''));
  return cleaned.some((scope) => scope === '' || scope === '.') ? undefined : cleaned;
}

/** `path` if it stays inside whatever directory it is joined to; `UNSAFE_PATH` otherwise. */
export function assertSafeServerPath(path: string): string {
  if (!isSafeRelativePath(path)) {
    throw new GitError(
      'UNSAFE_PATH',
      `GitHub listed the path ${JSON.stringify(path)}, which could leave the workspace; nothing was written`,
      { path },
    );
  }
  return path;
}

/** Whether `path` is relative and has no empty, `.` or `..` part (a `.git` part neither). */
function isSafeRelativePath(path: string): boolean {
  return (
    typeof path === 'string' &&
    path !== '' &&
    !isAbsolute(path) &&
    !path.includes('\0') &&
    path
      .split('/')
      .every(
        (part) => part !== '' && part !== '.' && part !== '..' && part.toLowerCase() !== '.git',
      )
  );
}

/** Git's SHA-1 name of a blob with these bytes, to skip uploading content GitHub already has. */
export function gitBlobSha1(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
