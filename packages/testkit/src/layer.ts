import { gzipSync } from 'node:zlib';

const BLOCK = 512;

/** A layer blob and the digest input of its uncompressed form (the config's `diff_ids`). */
export interface LayerBytes {
  /** The tar archive, as the config's `rootfs.diff_ids` hashes it. */
  readonly tar: Buffer;
  /** The gzip-compressed tar, as stored in the registry. */
  readonly gzip: Buffer;
}

/**
 * Builds a real, minimal gzipped tar with one regular file, so images seeded by
 * the testkit can be pulled and unpacked by real tools (skopeo, containerd),
 * not only listed.
 */
export function buildLayer(fileName: string, content: string): LayerBytes {
  const data = Buffer.from(content, 'utf8');
  const header = tarHeader(fileName, data.length);
  const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
  // Two zero blocks mark the end of a tar archive.
  const tar = Buffer.concat([header, data, Buffer.alloc(padding + 2 * BLOCK)]);
  // gzip with mtime 0 (Node's default) keeps the bytes, and so the digests, stable.
  return { tar, gzip: gzipSync(tar) };
}

function tarHeader(fileName: string, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(fileName, 0, 100, 'utf8');
  writeOctal(header, 0o644, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeOctal(header, size, 124, 12);
  writeOctal(header, 0, 136, 12);
  header.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\u000000', 257, 8, 'ascii');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return header;
}

function writeOctal(buffer: Buffer, value: number, offset: number, length: number): void {
  buffer.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}
