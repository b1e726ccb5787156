import { jsonReply, type Reply } from './reply.js';

/**
 * A GitHub error body, `{ message, documentation_url, status }`, as the REST API sends
 * it; Octokit builds its `RequestError` message from `message` and `documentation_url`.
 */
export function githubError(
  status: number,
  message: string,
  docsPath = 'rest',
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Reply {
  return jsonReply(
    status,
    {
      message,
      ...extra,
      documentation_url: `https://docs.github.com/${docsPath}`,
      status: String(status),
    },
    headers,
  );
}

/** 422 `Validation Failed` with GitHub's `errors` list, e.g. a duplicate pull request. */
export function validationFailed(
  docsPath: string,
  errors: readonly Record<string, unknown>[],
): Reply {
  return githubError(422, 'Validation Failed', docsPath, {}, { errors });
}

/** 422 for a body field that is missing or of the wrong type, worded as GitHub does. */
export function invalidRequest(docsPath: string, problem: string): Reply {
  return githubError(422, `Invalid request.\n\n${problem}`, docsPath);
}

/** A 404 `Not Found`. */
export function notFound(docsPath = 'rest', message = 'Not Found'): Reply {
  return githubError(404, message, docsPath);
}

/** A JSON success reply. */
export function ok(value: unknown, status = 200): Reply {
  return jsonReply(status, value);
}
