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
 * Every read races `signal` (the caller's signal joined with the request
 * deadline), and when it fires the reader is cancelled, which frees the
 * connection. Aborting the fetch alone is not enough: Node 20's fetch (undici)
 * leaves `reader.read()` pending forever when a `Content-Encoding: gzip` body
 * with a correct `Content-Length` holds a broken gzip stream. All its bytes
 * have arrived, so the connection is already back in the pool and the abort
 * has nothing to tear down, and the decoder's error never reaches the stream.
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
  const stop = signal === undefined ? undefined : stopOnAbort(reader, signal);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await (stop === undefined
        ? reader.read()
        : Promise.race([reader.read(), stop.aborted]));
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
    stop?.dispose();
  }
  // One chunk is the common case for small pages: wrap it instead of copying.
  if (chunks.length === 1) {
    const only = chunks[0]!;
    return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  }
  return Buffer.concat(chunks, total);
}

/**
 * A promise that rejects with the signal's reason when it fires, after
 * cancelling the reader; one listener per body, not per chunk.
 */
function stopOnAbort(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal,
): { aborted: Promise<never>; dispose(): void } {
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(signal.reason);
      reader.cancel(signal.reason).catch(() => {});
    };
  });
  // Rejections that happen between two reads are seen by the next race, or not needed.
  aborted.catch(() => {});
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { aborted, dispose: () => signal.removeEventListener('abort', onAbort) };
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
