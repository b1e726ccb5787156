import { closeSync, constants, openSync, readSync } from 'node:fs';
import type { RealPath } from './real-path.js';

// The walk hands over real paths, so the last component is never a symlink:
// if one appears there now, the tree changed under us and following it could
// read outside the root. O_NONBLOCK keeps a file swapped for a FIFO from
// blocking the thread in open(). (Both are 0 where the platform lacks them.)
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads whole files into one reusable buffer. Synchronous on purpose: a GitOps
 * tree is thousands of small files of which ~99% are only searched for the
 * marker bytes, and for those a thread-pool round trip per file costs several
 * times the read itself (10,000 files of 2 KiB: ~80 ms with `readFileSync`,
 * 320–520 ms with `fs.promises.readFile` at 16 in flight). `updateTree` reads
 * in short slices and yields to the event loop between them, so timers, I/O
 * and abort signals keep running. Three system calls per file (`open`, `read`,
 * `close`; no `fstat`: a short read means end of file) and no allocation once
 * the buffer has grown to the largest file. Memory stays bounded by that file.
 */
export class FileReader {
  #buffer = Buffer.allocUnsafe(64 * 1024);

  /**
   * The file's bytes; a view into the shared buffer, valid until the next `read`.
   * Throws Node's error, `ELOOP` when `path` is now a symlink.
   */
  read(path: RealPath): Buffer {
    const fd = openSync(path, FLAGS);
    try {
      let length = 0;
      for (;;) {
        if (length === this.#buffer.length) {
          const grown = Buffer.allocUnsafe(this.#buffer.length * 2);
          this.#buffer.copy(grown, 0, 0, length);
          this.#buffer = grown;
        }
        const bytesRead = readSync(fd, this.#buffer, length, this.#buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        // A read that did not fill the buffer reached the end of a regular file.
        if (length < this.#buffer.length) break;
      }
      return this.#buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  }
}
