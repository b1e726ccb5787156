// File names are bytes on Linux and most Unixes, and Git stores them as bytes
// too: a checkout can hold a name in Latin-1 or Shift JIS. Node's string APIs
// decode such a name lossily (U+FFFD), and the decoded string names no file.
// So the walk keeps a path as a string while every byte of it is valid UTF-8
// (the common case: a string round-trips exactly), and as its exact bytes
// once some component is not; every file-system call takes either.
import { isUtf8 } from 'node:buffer';
import { basename, dirname, relative, sep } from 'node:path';

/** An absolute path with symlinks resolved: a string when valid UTF-8, else its exact bytes. */
export type RealPath = string | Buffer;

const SEPARATOR = Buffer.from(sep);

/** `bytes` as a string when that string names the same file, else the bytes. */
export function fromBytes(bytes: Buffer): RealPath {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes;
}

function toBytes(path: RealPath): Buffer {
  return typeof path === 'string' ? Buffer.from(path) : path;
}

/** `directory` joined with one entry name, without normalizing again (the directory already is). */
export function childOf(directory: RealPath, name: string | Buffer): RealPath {
  if (typeof directory === 'string' && typeof name === 'string') {
    return `${directory}${directory.endsWith(sep) ? '' : sep}${name}`;
  }
  const parent = toBytes(directory);
  const parts = parent.at(-1) === SEPARATOR[0] ? [parent] : [parent, SEPARATOR];
  return Buffer.concat([...parts, toBytes(name)]);
}

/** The directory holding `path`. */
export function parentOf(path: RealPath): RealPath {
  if (typeof path === 'string') return dirname(path);
  const last = path.lastIndexOf(SEPARATOR[0]!);
  return fromBytes(path.subarray(0, Math.max(last, 1)));
}

/** The last component of `path`: a string when valid UTF-8, else its bytes. */
export function baseNameOf(path: RealPath): string | Buffer {
  if (typeof path === 'string') return basename(path);
  return fromBytes(path.subarray(path.lastIndexOf(SEPARATOR[0]!) + 1));
}

/** Whether two real paths name the same bytes. */
export function samePath(a: RealPath, b: RealPath): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a === b : toBytes(a).equals(toBytes(b));
}

/** True when `real` is `root` or below it. Both must be absolute real paths. */
export function isInside(root: RealPath, real: RealPath): boolean {
  if (typeof root === 'string' && typeof real === 'string') {
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsoluteRel(rel));
  }
  // Real paths are canonical, so a byte prefix ending at a separator is containment.
  const rootBytes = toBytes(root);
  const realBytes = toBytes(real);
  if (!realBytes.subarray(0, rootBytes.length).equals(rootBytes)) return false;
  return (
    realBytes.length === rootBytes.length ||
    rootBytes.at(-1) === SEPARATOR[0] ||
    realBytes[rootBytes.length] === SEPARATOR[0]
  );
}

function isAbsoluteRel(rel: string): boolean {
  // On Windows, relative() across drives returns an absolute path.
  return /^[a-zA-Z]:/.test(rel) || rel.startsWith(sep);
}

/**
 * `real` (inside `root`) relative to it, `/`-separated, for reports: bytes that
 * are not UTF-8 become U+FFFD, as `TextDecoder` decodes them.
 */
export function displayPath(root: RealPath, real: RealPath): string {
  if (typeof root === 'string' && typeof real === 'string') {
    return relative(root, real).split(sep).join('/');
  }
  const rootBytes = toBytes(root);
  const rest = toBytes(real).subarray(rootBytes.length);
  const start = rest[0] === SEPARATOR[0] ? 1 : 0;
  return rest.subarray(start).toString('utf8');
}

/** A key that tells real paths apart, for `Set`s (Buffers compare by identity there). */
export function pathKey(path: RealPath): string {
  // NUL never occurs in a path, so a byte key cannot equal a string key.
  return typeof path === 'string' ? path : `\0${path.toString('latin1')}`;
}
