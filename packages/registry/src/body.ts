/** Thrown by {@link readBody} when a body passes the cap; the transport names the request. */
export class BodyTooLargeError extends Error {
  constructor(limit: number, declared?: number) {
    super(
      declared === undefined
        ? `body exceeded ${limit} bytes while streaming`
        : `body declares ${declared} bytes, more than the ${limit} allowed`,
    );
  }
}

/**
 * Reads a response body into one buffer, failing as soon as it passes `limit`
 * bytes: a hostile or broken registry streaming gigabytes costs us at most
 * `limit` bytes of memory, never the whole body.
 *
 * When `signal` (the caller's signal joined with the request deadline) fires,
 * the reader is cancelled, which frees the connection and settles the pending
 * read as `done`. Aborting the fetch alone is not enough: Node 20's fetch
 * (undici) leaves `reader.read()` pending forever when a `Content-Encoding: gzip`
 * body with a correct `Content-Length` holds a broken gzip stream. All its bytes
 * have arrived, so the connection is already back in the pool and the abort has
 * nothing to tear down, and the decoder's error never reaches the stream.
 *
 * @throws the signal's reason when it fires, {@link BodyTooLargeError} past `limit`.
 */
export async function readBody(
  response: Response,
  limit: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    discardBody(response);
    throw new BodyTooLargeError(limit, declared);
  }
  const body = response.body;
  if (body === null) return Buffer.alloc(0);

  const reader = body.getReader();
  // One listener per body, not a Promise.race per chunk: a listing reads
  // thousands of pages, and a race allocates promises on every read although
  // the signal almost never fires. Cancelling the reader settles a pending
  // read (the streams spec resolves it as `done`), even one undici never ends.
  const cancel = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  if (signal?.aborted) cancel();
  else signal?.addEventListener('abort', cancel, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      // A cancelled reader reports `done`: that is the abort, not the end of the body.
      if (signal?.aborted) throw signal.reason;
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        reader.cancel().catch(() => {});
        throw new BodyTooLargeError(limit);
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  // One chunk is the common case for small pages: wrap it instead of copying.
  if (chunks.length === 1) {
    const only = chunks[0]!;
    return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Releases a body we do not need so its connection can be freed or reused. The
 * cancellation is not awaited: nothing in the body matters, and a stuck stream
 * (see {@link readBody}) must not hold the call.
 */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => {});
}

/** Thrown when a body is not what the protocol promises; the client names the request. */
export class InvalidBodyError extends Error {}

/** Parses a JSON body, describing the failure without quoting the body. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new InvalidBodyError(`body is not valid JSON (${body.length} bytes)`);
  }
}
