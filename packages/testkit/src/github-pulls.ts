// Pull requests and their labels, kept in memory (a bare repository has no place for
// them), checked against the repository's branches the way GitHub checks them.
import {
  type ApiCall,
  answer,
  type GitHubApi,
  htmlUrl,
  jsonBody,
  repositoryJson,
  repoUrl,
  TESTKIT_USER,
} from './github-api.js';
import { ownBranch } from './github-contents.js';
import { requireString } from './github-git-data.js';
import { githubError, invalidRequest, notFound, ok, validationFailed } from './github-reply.js';
import { jsonReply, type Reply } from './reply.js';

const DOCS = 'rest/pulls/pulls';
const LABEL_DOCS = 'rest/issues/labels';

/** A pull request as the test server holds it, for asserting what a client did. */
export interface PullRequestRecord {
  /** The number, from 1. */
  readonly number: number;
  /** `<server origin>/<owner>/<repo>/pull/<number>`. */
  readonly htmlUrl: string;
  readonly state: 'open' | 'closed';
  readonly title: string;
  /** `null` when none was given, as GitHub says. */
  readonly body: string | null;
  /** The head branch (of this repository: the server has no forks). */
  readonly head: string;
  /** The base branch. */
  readonly base: string;
  /** Label names, in the order they were added. */
  readonly labels: readonly string[];
  readonly draft: boolean;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601. */
  readonly updatedAt: string;
}

interface StoredPull {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  head: string;
  base: string;
  labels: string[];
  draft: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** The head commit when last seen, for a head branch that was deleted since. */
  headSha: string;
}

/** Every pull request of the server, in creation order. */
export class PullRequestStore {
  readonly #pulls: StoredPull[] = [];

  /** Snapshots for tests. */
  records(origin: (n: number) => string): PullRequestRecord[] {
    return this.#pulls.map((pull) => ({
      number: pull.number,
      htmlUrl: origin(pull.number),
      state: pull.state,
      title: pull.title,
      body: pull.body,
      head: pull.head,
      base: pull.base,
      labels: [...pull.labels],
      draft: pull.draft,
      createdAt: pull.createdAt,
      updatedAt: pull.updatedAt,
    }));
  }

  get(number: number): StoredPull | undefined {
    return this.#pulls.find((pull) => pull.number === number);
  }

  all(): readonly StoredPull[] {
    return this.#pulls;
  }

  openFor(head: string, base: string): StoredPull | undefined {
    return this.#pulls.find(
      (pull) => pull.state === 'open' && pull.head === head && pull.base === base,
    );
  }

  add(pull: Omit<StoredPull, 'number'>): StoredPull {
    const stored = { ...pull, number: this.#pulls.length + 1 };
    this.#pulls.push(stored);
    return stored;
  }
}

/**
 * `GET /repos/{o}/{r}/pulls?state=&head=owner:branch&base=&per_page=&page=`: newest first,
 * `state` open by default, with a `Link` header when there are more pages.
 */
export async function listPulls(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const state = call.query.get('state') ?? 'open';
  if (state !== 'open' && state !== 'closed' && state !== 'all') {
    return validationFailed(`${DOCS}#list-pull-requests`, [
      { resource: 'PullRequest', field: 'state', code: 'invalid' },
    ]);
  }
  const headFilter = call.query.get('head');
  const baseFilter = call.query.get('base');
  const perPage = clampInt(call.query.get('per_page'), 30, 1, 100);
  const page = clampInt(call.query.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
  const matching = api.pulls
    .all()
    .filter((pull) => state === 'all' || pull.state === state)
    .filter((pull) => headFilter === null || `${api.owner}:${pull.head}` === headFilter)
    .filter((pull) => baseFilter === null || pull.base === baseFilter)
    .reverse();
  const slice = matching.slice((page - 1) * perPage, page * perPage);
  const body = await Promise.all(slice.map((pull) => pullJson(api, pull)));
  const headers: Record<string, string> = {};
  if (page * perPage < matching.length) {
    const next = new URLSearchParams(call.query);
    next.set('page', String(page + 1));
    headers.link = `<${repoUrl(api, `/pulls?${next}`)}>; rel="next"`;
  }
  return jsonReply(200, body, headers);
}

/** `GET /repos/{o}/{r}/pulls/{n}`. */
export async function getPull(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const pull = api.pulls.get(Number(call.params[0]));
  return pull === undefined
    ? notFound(`${DOCS}#get-a-pull-request`)
    : ok(await pullJson(api, pull));
}

/**
 * `POST /repos/{o}/{r}/pulls`: `{ title, head, base, body, draft }`; 422 "Validation Failed"
 * when a branch is missing, when there is nothing to merge, or when an open pull request
 * for the same head and base exists, as GitHub answers.
 */
export async function createPull(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const docs = `${DOCS}#create-a-pull-request`;
  const body = jsonBody(call);
  const title = requireString(body, 'title', docs);
  const headName = requireString(body, 'head', docs);
  const base = requireString(body, 'base', docs);
  const text = optionalText(body, 'body', docs);
  const draft = body.draft ?? false;
  if (typeof draft !== 'boolean') return invalidRequest(docs, `"draft" must be a boolean.`);
  const head = ownBranch(api, headName);
  const headSha = await branchHead(api, head);
  if (head.includes(':') || headSha === undefined) {
    return validationFailed(docs, [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  }
  const baseSha = await branchHead(api, base);
  if (baseSha === undefined) {
    return validationFailed(docs, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
  }
  if ((await api.git.commitsBetween(baseSha, headSha)).length === 0) {
    return validationFailed(docs, [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `No commits between ${base} and ${head}`,
      },
    ]);
  }
  // Checked after the awaits above, so two concurrent requests cannot both pass it.
  if (api.pulls.openFor(head, base) !== undefined) {
    return validationFailed(docs, [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${api.owner}:${head}.`,
      },
    ]);
  }
  const now = isoNow(api);
  const pull = api.pulls.add({
    state: 'open',
    title,
    body: text ?? null,
    head,
    base,
    labels: [],
    draft,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    headSha,
  });
  return ok(await pullJson(api, pull), 201);
}

/** `PATCH /repos/{o}/{r}/pulls/{n}`: `{ title, body, state, base }`. */
export async function updatePull(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const docs = `${DOCS}#update-a-pull-request`;
  const pull = api.pulls.get(Number(call.params[0]));
  if (pull === undefined) return notFound(docs);
  const body = jsonBody(call);
  const title = body.title === undefined ? undefined : requireString(body, 'title', docs);
  const text = optionalText(body, 'body', docs);
  const state = body.state;
  if (state !== undefined && state !== 'open' && state !== 'closed') {
    return validationFailed(docs, [{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
  }
  const base = body.base === undefined ? undefined : requireString(body, 'base', docs);
  if (base !== undefined && (await branchHead(api, base)) === undefined) {
    return validationFailed(docs, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
  }
  const nextBase = base ?? pull.base;
  const other = api.pulls.openFor(pull.head, nextBase);
  if ((state ?? pull.state) === 'open' && other !== undefined && other !== pull) {
    return validationFailed(docs, [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${api.owner}:${pull.head}.`,
      },
    ]);
  }
  if (title !== undefined) pull.title = title;
  if (body.body !== undefined) pull.body = text ?? null;
  if (state !== undefined && state !== pull.state) {
    pull.state = state;
    pull.closedAt = state === 'closed' ? isoNow(api) : null;
  }
  pull.base = nextBase;
  pull.updatedAt = isoNow(api);
  return ok(await pullJson(api, pull));
}

/**
 * Labels of a pull request through the issues API: `GET`, `POST` (add) and `PUT` (replace)
 * `/repos/{o}/{r}/issues/{n}/labels` with `{ labels: [names] }` or a bare array of names.
 */
export async function issueLabels(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const pull = api.pulls.get(Number(call.params[0]));
  if (pull === undefined) return notFound(LABEL_DOCS);
  if (call.method !== 'GET') {
    const names = labelNames(call);
    if (call.method === 'PUT') pull.labels = [];
    for (const name of names) if (!pull.labels.includes(name)) pull.labels.push(name);
    pull.updatedAt = isoNow(api);
  }
  return ok(pull.labels.map((name) => labelJson(api, name)));
}

/** `DELETE /repos/{o}/{r}/issues/{n}/labels/{name}`. */
export async function removeIssueLabel(api: GitHubApi, call: ApiCall): Promise<Reply> {
  const pull = api.pulls.get(Number(call.params[0]));
  const name = call.params[1]!;
  if (pull === undefined || !pull.labels.includes(name)) {
    return notFound(`${LABEL_DOCS}#remove-a-label-from-an-issue`, 'Label does not exist');
  }
  pull.labels = pull.labels.filter((label) => label !== name);
  return ok(pull.labels.map((label) => labelJson(api, label)));
}

function labelNames(call: ApiCall): string[] {
  let value: unknown;
  try {
    value = JSON.parse(call.body.toString('utf8'));
  } catch {
    return answer(githubError(400, 'Problems parsing JSON'));
  }
  const list = Array.isArray(value) ? value : (value as { labels?: unknown } | null)?.labels;
  if (!Array.isArray(list)) return answer(invalidRequest(LABEL_DOCS, `"labels" wasn't supplied.`));
  return list.map((item) => {
    const name =
      typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : item;
    if (typeof name !== 'string' || name === '') {
      return answer(invalidRequest(LABEL_DOCS, `a label must be a non-empty name.`));
    }
    return name;
  });
}

async function pullJson(api: GitHubApi, pull: StoredPull): Promise<Record<string, unknown>> {
  const headSha = await branchHead(api, pull.head);
  if (headSha !== undefined) pull.headSha = headSha;
  const baseSha = (await branchHead(api, pull.base)) ?? '';
  const repository = repositoryJson(api, await api.git.defaultBranch());
  const side = (ref: string, sha: string) => ({
    label: `${api.owner}:${ref}`,
    ref,
    sha,
    user: { login: api.owner, id: 1, type: 'Organization' },
    repo: repository,
  });
  return {
    url: repoUrl(api, `/pulls/${pull.number}`),
    id: pull.number,
    node_id: `PR_${pull.number}`,
    html_url: htmlUrl(api, `/pull/${pull.number}`),
    diff_url: htmlUrl(api, `/pull/${pull.number}.diff`),
    patch_url: htmlUrl(api, `/pull/${pull.number}.patch`),
    issue_url: repoUrl(api, `/issues/${pull.number}`),
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: { login: TESTKIT_USER.login, id: 1, type: 'User' },
    body: pull.body,
    labels: pull.labels.map((name) => labelJson(api, name)),
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: null,
    draft: pull.draft,
    head: side(pull.head, pull.headSha),
    base: side(pull.base, baseSha),
  };
}

function labelJson(api: GitHubApi, name: string): Record<string, unknown> {
  return {
    id: 1,
    node_id: `LA_${name}`,
    url: repoUrl(api, `/labels/${encodeURIComponent(name)}`),
    name,
    color: 'ededed',
    default: false,
    description: null,
  };
}

async function branchHead(api: GitHubApi, branch: string): Promise<string | undefined> {
  const ref = `refs/heads/${branch}`;
  return (await api.git.isValidRefName(ref)) ? api.git.refHead(ref) : undefined;
}

function optionalText(
  body: Record<string, unknown>,
  field: string,
  docs: string,
): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  return requireString(body, field, docs);
}

function isoNow(api: GitHubApi): string {
  return new Date(api.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const parsed = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isNaN(parsed) ? fallback : Math.min(max, Math.max(min, parsed));
}
