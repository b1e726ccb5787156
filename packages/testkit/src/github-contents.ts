// The repository endpoints that read history and files: the repository itself, branches,
// commits by ref, compare, and contents.
import {
  type ApiCall,
  type GitHubApi,
  htmlUrl,
  repoCommitJson,
  repositoryJson,
  repoUrl,
  wrappedBase64,
} from './github-api.js';
import type { TreeEntry } from './github-git.js';
import { githubError, notFound, ok } from './github-reply.js';
import type { Reply } from './reply.js';

// GitHub lists at most this many commits in a comparison.
const MAX_COMPARE_COMMITS = 250;

/** `GET /repos/{o}/{r}`. */
export async function getRepository(api: GitHubApi): Promise<Reply> {
  return ok(repositoryJson(api, await api.git.defaultBranch()));
}

/** `GET /repos/{o}/{r}/branches/{branch}`. */
export async function getBranch(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const name = call.params[0]!;
  const ref = `refs/heads/${name}`;
  const sha = (await api.git.isValidRefName(ref)) ? await api.git.refHead(ref) : undefined;
  const commit = sha === undefined ? undefined : (await api.git.readCommits([sha])).get(sha);
  if (commit === undefined)
    return notFound('rest/branches/branches#get-a-branch', 'Branch not found');
  return ok({
    name,
    commit: repoCommitJson(api, commit),
    protected: false,
    _links: { self: repoUrl(api, `/branches/${name}`), html: htmlUrl(api, `/tree/${name}`) },
  });
}

/** `GET /repos/{o}/{r}/commits/{ref}`: a commit by SHA, branch or tag. */
export async function getRepoCommit(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const ref = call.params[0]!;
  const sha = await api.git.resolve(ref, 'commit');
  const commit = sha === undefined ? undefined : (await api.git.readCommits([sha])).get(sha);
  if (commit === undefined) {
    return githubError(422, `No commit found for SHA: ${ref}`, 'rest/commits/commits#get-a-commit');
  }
  return ok(repoCommitJson(api, commit));
}

/**
 * `GET /repos/{o}/{r}/compare/{base}...{head}`: the commits of `head` since the merge base,
 * oldest first, with `ahead_by`, `behind_by` and `status`. Each side may be a SHA, a branch
 * or `owner:branch`.
 */
export async function compareCommits(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const docs = 'rest/commits/commits#compare-two-commits';
  const [baseName, headName, extra] = call.params[0]!.split('...');
  if (baseName === undefined || headName === undefined || extra !== undefined)
    return notFound(docs);
  const base = await api.git.resolve(ownBranch(api, baseName), 'commit');
  const head = await api.git.resolve(ownBranch(api, headName), 'commit');
  if (base === undefined || head === undefined) return notFound(docs);
  const mergeBase = await api.git.mergeBase(base, head);
  if (mergeBase === undefined) {
    return notFound(docs, `No common ancestor between ${baseName} and ${headName}.`);
  }
  const ahead = await api.git.commitsBetween(base, head);
  const behind = await api.git.commitsBetween(head, base);
  const listed = ahead.slice(0, MAX_COMPARE_COMMITS);
  const commits = await api.git.readCommits([base, mergeBase, ...listed]);
  const status =
    ahead.length === 0
      ? behind.length === 0
        ? 'identical'
        : 'behind'
      : behind.length === 0
        ? 'ahead'
        : 'diverged';
  return ok({
    url: repoUrl(api, `/compare/${baseName}...${headName}`),
    html_url: htmlUrl(api, `/compare/${baseName}...${headName}`),
    base_commit: repoCommitJson(api, commits.get(base)!),
    merge_base_commit: repoCommitJson(api, commits.get(mergeBase)!),
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    commits: listed.map((sha) => repoCommitJson(api, commits.get(sha)!)),
  });
}

/**
 * `GET /repos/{o}/{r}/contents/{path}?ref=`: a file (base64 `content`), a directory (an
 * array of entries), a symlink (`target`) or a submodule. `ref` defaults to the default branch.
 */
export async function getContents(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const docs = 'rest/repos/contents#get-repository-content';
  const path = (call.params[0] ?? '').replace(/^\/+|\/+$/g, '');
  const refName = call.query.get('ref') ?? (await api.git.defaultBranch());
  const commit = await api.git.resolve(refName, 'commit');
  if (commit === undefined) return notFound(docs, `No commit found for the ref ${refName}`);
  if (path === '') return ok(await directoryJson(api, commit, '', refName));
  const [entry] = await api.git.listTree(commit, false, path);
  if (entry === undefined || entry.path !== path) return notFound(docs);
  if (entry.type === 'tree') return ok(await directoryJson(api, entry.sha, path, refName));
  const base = entryJson(api, entry, refName);
  if (entry.type === 'commit') return ok({ ...base, submodule_git_url: null });
  const bytes = await api.git.readBlob(entry.sha);
  if (entry.mode === '120000') return ok({ ...base, target: bytes.toString('utf8') });
  return ok({ ...base, encoding: 'base64', content: wrappedBase64(bytes) });
}

async function directoryJson(
  api: GitHubApi,
  tree: string,
  dir: string,
  refName: string,
): Promise<Record<string, unknown>[]> {
  const entries = await api.git.listTree(tree, false);
  return entries.map((entry) =>
    entryJson(api, { ...entry, path: dir === '' ? entry.path : `${dir}/${entry.path}` }, refName),
  );
}

function entryJson(api: GitHubApi, entry: TreeEntry, refName: string): Record<string, unknown> {
  const type =
    entry.type === 'tree'
      ? 'dir'
      : entry.type === 'commit'
        ? 'submodule'
        : entry.mode === '120000'
          ? 'symlink'
          : 'file';
  const self = `${repoUrl(api, `/contents/${entry.path}`)}?ref=${encodeURIComponent(refName)}`;
  const git = repoUrl(api, `/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`);
  const html = htmlUrl(api, `/${entry.type === 'tree' ? 'tree' : 'blob'}/${refName}/${entry.path}`);
  return {
    type,
    size: entry.size ?? 0,
    name: entry.path.slice(entry.path.lastIndexOf('/') + 1),
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: entry.type === 'commit' ? null : git,
    html_url: html,
    // GitHub's raw-content host has no stand-in here; the content is in the answer.
    download_url: null,
    _links: { self, git, html },
  };
}

/** `owner:branch` of this repository's owner is just `branch`. */
export function ownBranch(api: GitHubApi, name: string): string {
  const colon = name.indexOf(':');
  if (colon === -1) return name;
  return name.slice(0, colon).toLowerCase() === api.owner.toLowerCase()
    ? name.slice(colon + 1)
    : name;
}
