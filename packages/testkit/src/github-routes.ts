// Which handler answers which GitHub REST path. Paths are matched as sent (percent-encoded:
// Octokit encodes the `/` of `heads/feature/x` in some routes and not in others) and each
// captured parameter is decoded afterwards.
import type { ApiCall, GitHubApi } from './github-api.js';
import {
  compareCommits,
  getBranch,
  getContents,
  getRepoCommit,
  getRepository,
} from './github-contents.js';
import {
  createBlob,
  createCommit,
  createRef,
  createTree,
  deleteRef,
  getBlob,
  getCommit,
  getRef,
  getTree,
  updateRef,
} from './github-git-data.js';
import {
  createPull,
  getPull,
  issueLabels,
  listPulls,
  removeIssueLabel,
  updatePull,
} from './github-pulls.js';
import type { Reply } from './reply.js';

type Handler = (api: GitHubApi, call: ApiCall) => Promise<Reply>;

interface Route {
  readonly methods: readonly string[];
  /** Matched against the path after `/repos/{owner}/{repo}`. */
  readonly path: RegExp;
  readonly handler: Handler;
}

const ROUTES: readonly Route[] = [
  { methods: ['GET'], path: /^$/, handler: getRepository },
  { methods: ['GET'], path: /^\/branches\/(.+)$/, handler: getBranch },
  { methods: ['GET'], path: /^\/git\/ref\/(.+)$/, handler: getRef },
  { methods: ['POST'], path: /^\/git\/refs$/, handler: createRef },
  { methods: ['PATCH'], path: /^\/git\/refs\/(.+)$/, handler: updateRef },
  { methods: ['DELETE'], path: /^\/git\/refs\/(.+)$/, handler: deleteRef },
  { methods: ['POST'], path: /^\/git\/blobs$/, handler: createBlob },
  { methods: ['GET'], path: /^\/git\/blobs\/([^/]+)$/, handler: getBlob },
  { methods: ['POST'], path: /^\/git\/trees$/, handler: createTree },
  { methods: ['GET'], path: /^\/git\/trees\/(.+)$/, handler: getTree },
  { methods: ['POST'], path: /^\/git\/commits$/, handler: createCommit },
  { methods: ['GET'], path: /^\/git\/commits\/([^/]+)$/, handler: getCommit },
  { methods: ['GET'], path: /^\/commits\/(.+)$/, handler: getRepoCommit },
  { methods: ['GET'], path: /^\/compare\/(.+)$/, handler: compareCommits },
  { methods: ['GET'], path: /^\/contents(?:\/(.*))?$/, handler: getContents },
  { methods: ['GET'], path: /^\/pulls$/, handler: listPulls },
  { methods: ['POST'], path: /^\/pulls$/, handler: createPull },
  { methods: ['GET'], path: /^\/pulls\/(\d+)$/, handler: getPull },
  { methods: ['PATCH'], path: /^\/pulls\/(\d+)$/, handler: updatePull },
  { methods: ['GET', 'POST', 'PUT'], path: /^\/issues\/(\d+)\/labels$/, handler: issueLabels },
  { methods: ['DELETE'], path: /^\/issues\/(\d+)\/labels\/([^/]+)$/, handler: removeIssueLabel },
];

const REPO_PATH = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/;

/** A handler and its decoded path parameters, or undefined for a path GitHub would 404. */
export function route(
  api: GitHubApi,
  method: string,
  path: string,
): { handler: Handler; params: string[] } | undefined {
  const repo = REPO_PATH.exec(path);
  if (repo === null) return undefined;
  // GitHub matches owner and repository names case-insensitively.
  if (
    decodeSafely(repo[1]!)?.toLowerCase() !== api.owner.toLowerCase() ||
    decodeSafely(repo[2]!)?.toLowerCase() !== api.repo.toLowerCase()
  ) {
    return undefined;
  }
  const rest = repo[3] ?? '';
  for (const candidate of ROUTES) {
    if (!candidate.methods.includes(method)) continue;
    const match = candidate.path.exec(rest);
    if (match === null) continue;
    const params: string[] = [];
    for (const raw of match.slice(1)) {
      if (raw === undefined) continue;
      const decoded = decodeSafely(raw);
      if (decoded === undefined) return undefined;
      params.push(decoded);
    }
    return { handler: candidate.handler, params };
  }
  return undefined;
}

function decodeSafely(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
