// `--host NAME=URL`, shared by run, tags and select: the CLI's way to give the
// registry `hosts` map (DESIGN section 4) for one invocation.

import { UsageError } from './exit-codes.js';

const ENDPOINT = /^https?:\/\/[^/?#\s]+$/;

/**
 * Turns repeated `--host NAME=URL` values into a hosts map (a later NAME wins).
 *
 * @throws UsageError naming the value when it is not `NAME=http[s]://host[:port]`.
 */
export function parseHostFlags(values: readonly string[] = []): Record<string, string> {
  const hosts: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    const name = value.slice(0, equals);
    const endpoint = value.slice(equals + 1).replace(/\/+$/, '');
    if (equals <= 0 || !ENDPOINT.test(endpoint) || /[\s/]/.test(name)) {
      throw new UsageError(
        `--host ${JSON.stringify(value)}: expected NAME=URL, e.g. registry.example.com=http://127.0.0.1:5000`,
      );
    }
    hosts[name] = endpoint;
  }
  return hosts;
}
