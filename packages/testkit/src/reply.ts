/** A response before it is written, so faults can rewrite it in one place. */
export interface Reply {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  /** The body; for HEAD only its length is sent. Default: empty. */
  readonly body?: Buffer;
}

/** A JSON reply with `content-type: application/json`. */
export function jsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

/** An OCI error body: `{"errors":[{"code","message"}]}`, as every distribution endpoint sends. */
export function ociError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return jsonReply(status, { errors: [{ code, message, detail: null }] }, headers);
}

/** An empty reply with the given headers. */
export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers };
}
