import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * `tagsmith-registry/<version>`, the version read from this package's own
 * package.json so it cannot drift from the release. `../package.json` is the
 * package root both from `src/` (tests) and from `dist/` (installed). Read on
 * first use and kept, so importing the package reads no file.
 */
export function defaultUserAgent(): string {
  if (cached === undefined) {
    const manifest = createRequire(import.meta.url)('../package.json') as { version: string };
    cached = `tagsmith-registry/${manifest.version}`;
  }
  return cached;
}
