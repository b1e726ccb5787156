import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBody } from './body.js';

/** A real streamed body that records how many chunks the reader pulled. */
function streamed(chunks: number, chunkSize: number, headers: Record<string, string> = {}) {
  const stats = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stats.pulled === chunks) return controller.close();
      stats.pulled++;
      controller.enqueue(new Uint8Array(chunkSize).fill(120));
    },
    cancel() {
      stats.cancelled = true;
    },
  });
  return { response: new Response(stream, { headers }), stats };
}

describe('readBody', () => {
  it('joins chunks into the exact bytes', async () => {
    const { response } = streamed(3, 4);
    expect((await readBody(response, 100)).toString()).toBe('x'.repeat(12));
    expect((await readBody(new Response('{"a":1}'), 7)).toString()).toBe('{"a":1}');
    expect((await readBody(new Response(null), 0)).length).toBe(0);
  });

  it('stops streaming and cancels the body once the cap is passed', async () => {
    const { response, stats } = streamed(1000, 1024);
    await expect(readBody(response, 10 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(stats.pulled).toBeLessThan(20);
    expect(stats.cancelled).toBe(true);
  });

  it('refuses a declared Content-Length over the cap without reading', async () => {
    const { response, stats } = streamed(1000, 1024, { 'content-length': String(1024 * 1000) });
    await expect(readBody(response, 1024)).rejects.toThrow(/declares 1024000 bytes/);
    expect(stats.pulled).toBeLessThanOrEqual(1);
  });
});
