// Shared timing helpers for the benchmarks in this folder. Every benchmark runs
// the project beside its baseline in the same process and prints the ratio, so
// the numbers are comparable on any machine.
import { performance } from 'node:perf_hooks';

/**
 * Runs `fn` `warmup` times untimed, then `runs` times timed, and returns the
 * median wall time in milliseconds. `fn` may be async.
 */
export async function median(fn, { runs = 15, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Formats milliseconds for a results table. */
export function ms(value) {
  return `${value.toFixed(value < 10 ? 3 : 1)} ms`;
}

/** Formats `a / b` as a ratio such as `0.42x`. */
export function ratio(a, b) {
  return `${(a / b).toFixed(2)}x`;
}

/** Prints a titled two-column table of label/value rows. */
export function report(title, rows) {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/** Resident set size in MiB, for memory targets. */
export function rssMiB() {
  return process.memoryUsage().rss / 1024 / 1024;
}

/**
 * Medians of `fns` timed in alternation, round after round, so that load from
 * other processes on a shared machine hits every contender alike instead of
 * whichever happened to run during a busy spell.
 */
export async function interleaved(fns, { runs = 15, warmup = 3 } = {}) {
  const entries = Object.entries(fns);
  for (let i = 0; i < warmup; i++) for (const [, fn] of entries) await fn();
  const times = Object.fromEntries(entries.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of i % 2 === 0 ? entries : [...entries].reverse()) {
      globalThis.gc?.();
      const start = performance.now();
      await fn();
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => [
      name,
      list.sort((a, b) => a - b)[Math.floor(list.length / 2)],
    ]),
  );
}
