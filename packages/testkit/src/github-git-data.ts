// The git data endpoints (blobs, trees, commits, refs), each a thin layer of GitHub's
// validation and JSON over the plumbing command that does the work in the bare repository.
import {
  type ApiCall,
  answer,
  type GitHubApi,
  gitCommitJson,
  jsonBody,
  repoUrl,
  TESTKIT_USER,
  wrappedBase64,
} from './github-api.js';
import type { IndexEntry, TreeEntry } from './github-git.js';
import { githubError, invalidRequest, notFound, ok } from './github-reply.js';
import type { Reply } from './reply.js';

const DOCS = {
  blobs: 'rest/git/blobs',
  trees: 'rest/git/trees',
  commits: 'rest/git/commits',
  refs: 'rest/git/refs',
} as const;

const TREE_MODES: Readonly<Record<string, TreeEntry['type']>> = {
  '100644': 'blob',
  '100755': 'blob',
  '120000': 'blob',
  '040000': 'tree',
  '160000': 'commit',
};

// Ref updates that lost the compare-and-swap re-check against the new head; this many in
// a row means something is wrong with the repository, not just busy.
const MAX_REF_ATTEMPTS = 50;

/** `POST /repos/{o}/{r}/git/blobs`: `{ content, encoding: 'utf-8' | 'base64' }`. */
export async function createBlob(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const body = jsonBody(call);
  const content = requireString(body, 'content', DOCS.blobs);
  const encoding = body.encoding ?? 'utf-8';
  if (encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'base64') {
    return invalidRequest(
      DOCS.blobs,
      `"encoding" must be utf-8 or base64, got ${JSON.stringify(encoding)}.`,
    );
  }
  const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
  const sha = await api.git.writeBlob(bytes);
  return ok({ sha, url: repoUrl(api, `/git/blobs/${sha}`) }, 201);
}

/** `GET /repos/{o}/{r}/git/blobs/{sha}`: the content in base64. */
export async function getBlob(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const sha = call.params[0]!;
  if ((await api.git.objectType(sha)) !== 'blob') return notFound(DOCS.blobs);
  const bytes = await api.git.readBlob(sha);
  return ok({
    sha,
    node_id: `B_${sha}`,
    size: bytes.length,
    url: repoUrl(api, `/git/blobs/${sha}`),
    content: wrappedBase64(bytes),
    encoding: 'base64',
  });
}

/**
 * `POST /repos/{o}/{r}/git/trees`: `base_tree` plus `tree` entries, each
 * `{ path, mode, type, sha | content }`; `sha: null` deletes the path (a directory with
 * everything in it). Paths may hold slashes; the nested trees are built by git.
 */
export async function createTree(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const body = jsonBody(call);
  if (!Array.isArray(body.tree)) {
    return invalidRequest(DOCS.trees, `"tree" wasn't supplied.`);
  }
  const files = new Map<string, IndexEntry>();
  if (body.base_tree !== undefined && body.base_tree !== null) {
    const base =
      typeof body.base_tree === 'string'
        ? await api.git.resolve(body.base_tree, 'tree')
        : undefined;
    if (base === undefined) {
      return githubError(
        422,
        `base_tree ${String(body.base_tree)} is not a valid tree`,
        DOCS.trees,
      );
    }
    for (const entry of await api.git.listTree(base, true)) {
      if (entry.type !== 'tree') files.set(entry.path, { mode: entry.mode, sha: entry.sha });
    }
  }
  for (const raw of body.tree as unknown[]) {
    await applyTreeEntry(api, files, raw);
  }
  const sha = await api.git.writeTree(files, api.nextIndexFile());
  return ok(await treeJson(api, sha, false), 201);
}

async function applyTreeEntry(
  api: GitHubApi,
  files: Map<string, IndexEntry>,
  raw: unknown,
): Promise<void> {
  if (typeof raw !== 'object' || raw === null) {
    answer(invalidRequest(DOCS.trees, `a "tree" entry must be an object.`));
  }
  const entry = raw as Record<string, unknown>;
  const path = requireString(entry, 'path', DOCS.trees);
  if (!isTreePath(path)) {
    answer(githubError(422, `tree.path ${JSON.stringify(path)} is not a valid path`, DOCS.trees));
  }
  const mode = requireString(entry, 'mode', DOCS.trees);
  const type = TREE_MODES[mode];
  if (type === undefined) {
    answer(githubError(422, `tree.mode ${mode} is not a valid mode`, DOCS.trees));
  }
  if (entry.type !== undefined && entry.type !== type) {
    answer(githubError(422, `tree.type must be ${type} for mode ${mode}`, DOCS.trees));
  }
  if (entry.sha !== undefined && entry.content !== undefined) {
    answer(githubError(422, 'tree.sha and tree.content exclude each other', DOCS.trees));
  }
  removeUnder(files, path);
  if (entry.sha === null) {
    files.delete(path);
    return;
  }
  removeAncestors(files, path);
  if (entry.content !== undefined) {
    if (typeof entry.content !== 'string' || type !== 'blob') {
      answer(githubError(422, 'tree.content must be a string, for blobs only', DOCS.trees));
    }
    files.set(path, { mode, sha: await api.git.writeBlob(Buffer.from(entry.content, 'utf8')) });
    return;
  }
  const sha = requireString(entry, 'sha', DOCS.trees);
  // A submodule's commit lives in another repository: any object name is accepted.
  if (type !== 'commit' && (await api.git.objectType(sha)) !== type) {
    answer(githubError(422, `tree.sha ${sha} is not a valid ${type}`, DOCS.trees));
  }
  if (type === 'tree') {
    for (const inner of await api.git.listTree(sha, true)) {
      if (inner.type !== 'tree') {
        files.set(`${path}/${inner.path}`, { mode: inner.mode, sha: inner.sha });
      }
    }
    return;
  }
  files.set(path, { mode, sha });
}

/** `GET /repos/{o}/{r}/git/trees/{sha}` (a tree, a commit or a ref name), `?recursive=` any value. */
export async function getTree(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const sha = await api.git.resolve(call.params[0]!, 'tree');
  if (sha === undefined) return notFound(DOCS.trees);
  return ok(await treeJson(api, sha, call.query.has('recursive')));
}

async function treeJson(
  api: GitHubApi,
  sha: string,
  recursive: boolean,
): Promise<Record<string, unknown>> {
  const all = await api.git.listTree(sha, recursive);
  const truncated = recursive && all.length > api.maxTreeEntries;
  const entries = truncated ? all.slice(0, api.maxTreeEntries) : all;
  return {
    sha,
    url: repoUrl(api, `/git/trees/${sha}`),
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.size === undefined ? {} : { size: entry.size }),
      ...(entry.type === 'commit'
        ? {}
        : { url: repoUrl(api, `/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`) }),
    })),
    truncated,
  };
}

/**
 * `POST /repos/{o}/{r}/git/commits`: `{ message, tree, parents, author, committer }`;
 * `committer` defaults to `author`, which defaults to the token's user, dates to now.
 */
export async function createCommit(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const body = jsonBody(call);
  const message = requireString(body, 'message', DOCS.commits);
  const treeName = requireString(body, 'tree', DOCS.commits);
  if ((await api.git.objectType(treeName)) !== 'tree') {
    return githubError(422, 'Tree SHA does not exist', DOCS.commits);
  }
  const parents = body.parents ?? [];
  if (!Array.isArray(parents) || parents.some((parent) => typeof parent !== 'string')) {
    return invalidRequest(DOCS.commits, `"parents" must be an array of commit SHAs.`);
  }
  for (const parent of parents as string[]) {
    if ((await api.git.objectType(parent)) !== 'commit') {
      return githubError(422, 'Parent SHA does not exist or is not a commit object', DOCS.commits);
    }
  }
  if (body.signature !== undefined) {
    return githubError(422, 'the testkit server does not store commit signatures', DOCS.commits);
  }
  const now = api.clock();
  const author = identity(body.author, 'author', now) ?? {
    name: TESTKIT_USER.name,
    email: TESTKIT_USER.email,
    date: gitDate(now),
  };
  const committer = identity(body.committer, 'committer', now) ?? author;
  const sha = await api.git.writeCommit({
    tree: treeName,
    parents: parents as string[],
    message,
    author,
    committer,
  });
  const commit = (await api.git.readCommits([sha])).get(sha)!;
  return ok(gitCommitJson(api, commit), 201);
}

/** `GET /repos/{o}/{r}/git/commits/{sha}`. */
export async function getCommit(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const sha = call.params[0]!;
  const commit = (await api.git.readCommits(/^[0-9a-f]+$/.test(sha) ? [sha] : [])).get(sha);
  return commit === undefined ? notFound(DOCS.commits) : ok(gitCommitJson(api, commit));
}

/** `GET /repos/{o}/{r}/git/ref/{ref}`, `ref` as `heads/main`. */
export async function getRef(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const ref = `refs/${call.params[0]!}`;
  if (!(await api.git.isValidRefName(ref)) || !(await api.git.refExists(ref))) {
    return notFound(`${DOCS.refs}#get-a-reference`);
  }
  return ok(await refJson(api, ref));
}

/** `POST /repos/{o}/{r}/git/refs`: `{ ref: 'refs/heads/x', sha }`; 422 when it exists. */
export async function createRef(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const body = jsonBody(call);
  const ref = requireString(body, 'ref', DOCS.refs);
  const sha = requireString(body, 'sha', DOCS.refs);
  if (
    ref.split('/').length < 3 ||
    !ref.startsWith('refs/') ||
    !(await api.git.isValidRefName(ref))
  ) {
    return githubError(
      422,
      `${ref} is not a valid ref name: it must start with 'refs' and have at least two slashes`,
      DOCS.refs,
    );
  }
  if ((await api.git.objectType(sha)) === undefined) {
    return githubError(422, 'Object does not exist', DOCS.refs);
  }
  if (!(await api.git.compareAndSwap(ref, sha, await api.git.zeroSha()))) {
    return githubError(422, 'Reference already exists', `${DOCS.refs}#create-a-reference`);
  }
  return ok(await refJson(api, ref), 201);
}

/**
 * `PATCH /repos/{o}/{r}/git/refs/{ref}`: `{ sha, force }`. Without `force` the new commit
 * must descend from the current head (422 "Update is not a fast forward" otherwise). The
 * move is git's compare-and-swap from the head that was checked, so two concurrent updates
 * cannot both pass the check against the same head: the loser checks again against the
 * winner's commit.
 */
export async function updateRef(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const ref = `refs/${call.params[0]!}`;
  const body = jsonBody(call);
  const sha = requireString(body, 'sha', DOCS.refs);
  const force = body.force ?? false;
  if (typeof force !== 'boolean') {
    return invalidRequest(
      DOCS.refs,
      `For 'properties/force', ${JSON.stringify(force)} is not a boolean.`,
    );
  }
  if (!(await api.git.isValidRefName(ref))) {
    return githubError(422, 'Reference does not exist', `${DOCS.refs}#update-a-reference`);
  }
  if ((await api.git.objectType(sha)) !== 'commit') {
    return githubError(422, 'Object does not exist', `${DOCS.refs}#update-a-reference`);
  }
  for (let attempt = 0; attempt < MAX_REF_ATTEMPTS; attempt++) {
    const old = await api.git.resolve(ref);
    if (old === undefined || !(await api.git.refExists(ref))) {
      return githubError(422, 'Reference does not exist', `${DOCS.refs}#update-a-reference`);
    }
    if (!force && !(await api.git.isAncestor(old, sha))) {
      return githubError(422, 'Update is not a fast forward', `${DOCS.refs}#update-a-reference`);
    }
    if (await api.git.compareAndSwap(ref, sha, old)) return ok(await refJson(api, ref));
  }
  return githubError(500, `testkit: ${ref} changed under ${MAX_REF_ATTEMPTS} updates in a row`);
}

/** `DELETE /repos/{o}/{r}/git/refs/{ref}`. */
export async function deleteRef(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const ref = `refs/${call.params[0]!}`;
  const old = (await api.git.isValidRefName(ref)) ? await api.git.resolve(ref) : undefined;
  if (old === undefined || !(await api.git.refExists(ref))) {
    return githubError(422, 'Reference does not exist', `${DOCS.refs}#delete-a-reference`);
  }
  await api.git.git(['update-ref', '-d', ref, old]);
  return { status: 204, headers: {} };
}

async function refJson(api: GitHubApi, ref: string): Promise<Record<string, unknown>> {
  const sha = (await api.git.resolve(ref))!;
  const type = (await api.git.objectType(sha)) ?? 'commit';
  const short = ref.slice('refs/'.length);
  return {
    ref,
    node_id: `REF_${short}`,
    url: repoUrl(api, `/git/refs/${short}`),
    object: { sha, type, url: repoUrl(api, `/git/${type}s/${sha}`) },
  };
}

/** `body[field]` if it is a string; otherwise the 422 GitHub sends. */
export function requireString(body: Record<string, unknown>, field: string, docs: string): string {
  const value = body[field];
  if (value === undefined) return answer(invalidRequest(docs, `"${field}" wasn't supplied.`));
  if (typeof value !== 'string') {
    return answer(
      invalidRequest(docs, `For 'properties/${field}', ${JSON.stringify(value)} is not a string.`),
    );
  }
  return value;
}

function identity(
  value: unknown,
  field: string,
  now: number,
): { name: string; email: string; date: string } | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') {
    answer(invalidRequest(DOCS.commits, `"${field}" must be an object.`));
  }
  const person = value as Record<string, unknown>;
  const name = requireString(person, 'name', DOCS.commits);
  const email = requireString(person, 'email', DOCS.commits);
  let when = now;
  if (person.date !== undefined) {
    when = typeof person.date === 'string' ? Date.parse(person.date) : Number.NaN;
    if (Number.isNaN(when)) {
      answer(
        invalidRequest(
          DOCS.commits,
          `${field}.date ${JSON.stringify(person.date)} is not an ISO 8601 date.`,
        ),
      );
    }
  }
  return { name, email, date: gitDate(when) };
}

function gitDate(ms: number): string {
  return `${Math.floor(ms / 1000)} +0000`;
}

// Git refuses these path components too; GitHub answers 422.
function isTreePath(path: string): boolean {
  return (
    path !== '' &&
    !path.includes('\0') &&
    path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part !== '.git')
  );
}

function removeUnder(files: Map<string, IndexEntry>, dir: string): void {
  const prefix = `${dir}/`;
  for (const path of files.keys()) if (path.startsWith(prefix)) files.delete(path);
}

// A file where a directory must now be (`a` when `a/b` is added) is replaced, as git does.
function removeAncestors(files: Map<string, IndexEntry>, path: string): void {
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    files.delete(path.slice(0, slash));
  }
}
