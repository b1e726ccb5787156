// The pause between two `--interval` cycles: a timer that SIGINT/SIGTERM (the command's
// signal) cuts short, so a stop never waits for the next cycle.

// setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days); longer waits are chained.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms` milliseconds, or as soon as `signal` aborts (never rejects). */
export function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout>;
    const end = Date.now() + ms;
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const arm = (): void => {
      const left = end - Date.now();
      if (left <= 0) {
        done();
        return;
      }
      timer = setTimeout(arm, Math.min(left, LONGEST_TIMER_MS));
    };
    signal.addEventListener('abort', done, { once: true });
    arm();
  });
}
