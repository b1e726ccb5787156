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
 */
export async function readBody(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit, declared);
  }
  const body = response.body;
  if (body === null) return Buffer.alloc(0);

  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  // One chunk is the common case for small pages: wrap it instead of copying.
  if (chunks.length === 1) {
    const only = chunks[0]!;
    return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  }
  return Buffer.concat(chunks, total);
}

/** Releases a body we do not need so its connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
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
