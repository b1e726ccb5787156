/** Lifetime assumed when a token response has no `expires_in` (the distribution spec's). */
export const DEFAULT_TOKEN_LIFETIME_S = 60;
/** Renew tokens this long before they expire (at most), so none dies in flight. */
const MAX_MARGIN_MS = 30_000;

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * Bearer tokens by registry and scope, each dropped a margin before its
 * `expires_in` runs out: a tenth of the lifetime, at most 30 s.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The cached token, or `undefined` when absent or about to expire. */
  get(registry: string, scope: string): string | undefined {
    const key = `${registry} ${scope}`;
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores a token that the server says lives `expiresInS` seconds from now. */
  set(registry: string, scope: string, value: string, expiresInS?: number): void {
    const lifetimeMs =
      (expiresInS !== undefined && Number.isFinite(expiresInS) && expiresInS > 0
        ? expiresInS
        : DEFAULT_TOKEN_LIFETIME_S) * 1000;
    const margin = Math.min(MAX_MARGIN_MS, lifetimeMs / 10);
    this.#entries.set(`${registry} ${scope}`, {
      value,
      expiresAt: this.#now() + lifetimeMs - margin,
    });
  }

  /** Forgets a token the registry rejected. */
  delete(registry: string, scope: string): void {
    this.#entries.delete(`${registry} ${scope}`);
  }
}
