// `--interval` takes a duration the way Flux's manifests write `spec.interval`: Go's
// time.ParseDuration syntax (`300ms`, `1.5h`, `1h30m`), so a value can be copied from a
// manifest. Unlike Go, a sign, a bare number and zero are refused: a loop needs a
// positive wait, and `5` alone is more likely a mistake than five nanoseconds.

import { UsageError } from './exit-codes.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Milliseconds of a Go duration such as `30s`, `5m` or `1h30m` (units `ns`, `us`, `ms`, `s`,
 * `m`, `h`; decimals allowed). `flag` names the option in the error.
 *
 * @throws UsageError naming the value when it is not a positive Go duration.
 */
export function parseDuration(text: string, flag = '--interval'): number {
  let total = 0;
  let index = 0;
  TERM.lastIndex = 0;
  while (index < text.length) {
    TERM.lastIndex = index;
    const match = TERM.exec(text);
    if (match === null) break;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    index = TERM.lastIndex;
  }
  if (text === '' || index !== text.length) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)}: expected a duration such as 30s, 5m or 1h30m (units ns, us, ms, s, m, h)`,
    );
  }
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected a duration above zero`);
  }
  return total;
}
