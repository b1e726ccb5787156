// What every endpoint handler of the GitHub test server shares: the repository, the
// addresses its JSON links point at, and the request as the handler sees it.
import type { BareRepository, CommitObject } from './github-git.js';
import type { PullRequestStore } from './github-pulls.js';
import { githubError } from './github-reply.js';
import type { Reply } from './reply.js';

/** The server state a handler works on. */
export interface GitHubApi {
  readonly git: BareRepository;
  readonly owner: string;
  readonly repo: string;
  /** `http://127.0.0.1:PORT`, for `html_url`s. */
  readonly origin: string;
  /** The API root, origin plus `pathPrefix`, for `url`s. */
  readonly apiUrl: string;
  readonly pulls: PullRequestStore;
  /** A recursive tree listing longer than this is cut there and says `truncated: true`. */
  readonly maxTreeEntries: number;
  /** Milliseconds since the epoch, for dates GitHub fills in. */
  readonly clock: () => number;
  /** A fresh name for a throwaway index file. */
  nextIndexFile(): string;
}

/** A request as a handler sees it: path parameters decoded, body read. */
export interface ApiCall {
  readonly method: string;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Buffer;
}

/** The identity GitHub would take from the token: author of commits that name none. */
export const TESTKIT_USER = {
  login: 'tagsmith-testkit',
  name: 'tagsmith-testkit',
  email: 'tagsmith-testkit@users.noreply.github.com',
} as const;

/** `<apiUrl>/repos/<owner>/<repo><path>`. */
export function repoUrl(api: GitHubApi, path = ''): string {
  return `${api.apiUrl}/repos/${api.owner}/${api.repo}${path}`;
}

/** `<origin>/<owner>/<repo><path>`, the web page. */
export function htmlUrl(api: GitHubApi, path = ''): string {
  return `${api.origin}/${api.owner}/${api.repo}${path}`;
}

/** The repository object GitHub nests in pull requests and returns from `GET /repos/{o}/{r}`. */
export function repositoryJson(api: GitHubApi, defaultBranch: string): Record<string, unknown> {
  return {
    id: 1,
    node_id: 'R_testkit',
    name: api.repo,
    full_name: `${api.owner}/${api.repo}`,
    owner: { login: api.owner, id: 1, type: 'Organization' },
    private: false,
    visibility: 'public',
    html_url: htmlUrl(api),
    url: repoUrl(api),
    default_branch: defaultBranch,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
  };
}

/** A commit as the git data API shows it (`GET /git/commits/{sha}`). */
export function gitCommitJson(api: GitHubApi, commit: CommitObject): Record<string, unknown> {
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: repoUrl(api, `/git/commits/${commit.sha}`),
    html_url: htmlUrl(api, `/commit/${commit.sha}`),
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: repoUrl(api, `/git/trees/${commit.tree}`) },
    parents: commit.parents.map((sha) => ({
      sha,
      url: repoUrl(api, `/git/commits/${sha}`),
      html_url: htmlUrl(api, `/commit/${sha}`),
    })),
    verification: verification(commit),
  };
}

/** A commit as the repository API shows it (`GET /commits/{ref}`, compare). */
export function repoCommitJson(api: GitHubApi, commit: CommitObject): Record<string, unknown> {
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    commit: {
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: { sha: commit.tree, url: repoUrl(api, `/git/trees/${commit.tree}`) },
      url: repoUrl(api, `/git/commits/${commit.sha}`),
      comment_count: 0,
      verification: verification(commit),
    },
    url: repoUrl(api, `/commits/${commit.sha}`),
    html_url: htmlUrl(api, `/commit/${commit.sha}`),
    comments_url: repoUrl(api, `/commits/${commit.sha}/comments`),
    // The GitHub accounts behind the emails; the testkit has no accounts.
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: repoUrl(api, `/commits/${sha}`),
      html_url: htmlUrl(api, `/commit/${sha}`),
    })),
  };
}

// The testkit holds no keys, so a signed commit is "unknown_key", as GitHub says for a
// signature it cannot check.
function verification(commit: CommitObject): Record<string, unknown> {
  return commit.signature === undefined
    ? { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
    : {
        verified: false,
        reason: 'unknown_key',
        signature: commit.signature,
        payload: null,
        verified_at: null,
      };
}

/**
 * Thrown by a handler to answer with `reply` (a 404, a 422) from however deep it found the
 * problem; the dispatcher sends it. Anything else a handler throws is a testkit bug: a 500.
 */
export class ApiAnswer extends Error {
  override readonly name = 'ApiAnswer';
  constructor(readonly reply: Reply) {
    super(`answer ${reply.status}`);
  }
}

/** Answers the request with `reply`. */
export function answer(reply: Reply): never {
  throw new ApiAnswer(reply);
}

/** The request body as a JSON object; anything else is answered 400 as GitHub does. */
export function jsonBody(call: ApiCall): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(call.body.toString('utf8'));
  } catch {
    return answer(githubError(400, 'Problems parsing JSON'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return answer(githubError(400, 'Problems parsing JSON'));
  }
  return value as Record<string, unknown>;
}

/** Base64 wrapped at 60 columns with a final newline, as GitHub sends blob and file content. */
export function wrappedBase64(bytes: Buffer): string {
  const flat = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < flat.length; i += 60) out += `${flat.slice(i, i + 60)}\n`;
  return out;
}
