import type { Server } from 'node:http';

/** Starts `server` on a free port of `host`; rejects when the address cannot be bound. */
export function listenOnFreePort(server: Server, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
