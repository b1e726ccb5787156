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
    // An internal error with no code (the transport turns it into RESPONSE_TOO_LARGE);
    // the declared size is what it must name.
    await expect(readBody(response, 1024)).rejects.toThrow(
      expect.objectContaining({
        constructor: BodyTooLargeError,
        message: expect.stringContaining('declares 1024000 bytes'),
      }),
    );
    expect(stats.pulled).toBeLessThanOrEqual(1);
  });

  describe('with a signal', () => {
    /** A body that delivers one chunk, then never another: each later read stays pending. */
    function stuckAfterOneChunk() {
      const stats = { cancelledWith: undefined as unknown };
      let sent = false;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return new Promise<void>(() => {});
          sent = true;
          controller.enqueue(new TextEncoder().encode('{"tags":['));
        },
        cancel(reason) {
          stats.cancelledWith = reason;
        },
      });
      return { response: new Response(stream), stats };
    }

    it('rejects with the reason and cancels the body when the signal fires mid-read', async () => {
      const { response, stats } = stuckAfterOneChunk();
      const controller = new AbortController();
      const reason = new Error('deadline');
      const reading = readBody(response, 100, controller.signal);
      await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort(reason);
      // A cancelled reader reports `done`; that must not pass for the end of the body.
      await expect(reading).rejects.toBe(reason);
      expect(stats.cancelledWith).toBe(reason);
    });

    it('reads nothing when the signal has already fired', async () => {
      const { response, stats } = streamed(3, 4);
      const reason = new Error('gone');
      await expect(readBody(response, 100, AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(stats.cancelled).toBe(true);
    });

    it('returns the whole body when the signal does not fire', async () => {
      const { response } = streamed(3, 4);
      const controller = new AbortController();
      expect((await readBody(response, 100, controller.signal)).toString()).toBe('x'.repeat(12));
    });
  });
});
