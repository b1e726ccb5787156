// Keeping credentials out of everything a user sees. A `LocalRepository` knows every
// secret it was handed (tokens, passwords, keys, passphrases), so instead of trusting
// each message to leave them out, every message, error and log line goes through one
// `Scrubber` that replaces each of them, and the forms git or curl could print them in
// (Basic auth's base64), with `***`, and drops the user info of every URL.

const MASK = '***';

// `scheme://user:password@host` and `scheme://token@host`: everything between `//` and
// the last `@` before the host. Path, query and whitespace end the user info.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]*@/gi;

// scp-like remotes, `user@host:path` (git's own syntax for ssh), as a whole word.
const SCP_USERINFO = /(^|[\s'"(])[^\s@:/'"()]+@(?=[^\s@:/'"()]+:(?!\/\/))/g;

/**
 * A remote URL as it may be shown: without user info (`https://x:token@host/r.git` →
 * `https://host/r.git`, `git@github.com:org/repo.git` → `github.com:org/repo.git`).
 * A local path is returned unchanged.
 */
export function redactUrl(url: string): string {
  return url.replace(URL_USERINFO, '$1').replace(SCP_USERINFO, '$1');
}

/** Replaces every secret it holds, and the user info of every URL, in text it is given. */
export class Scrubber {
  readonly #secrets: string[];

  /** @param secrets - Values to hide; empty strings are ignored. */
  constructor(secrets: Iterable<string> = []) {
    this.#secrets = [];
    this.#add(secrets);
  }

  /** A scrubber that hides these secrets as well as this one's. */
  with(secrets: Iterable<string>): Scrubber {
    const next = new Scrubber(this.#secrets);
    next.#add(secrets);
    return next;
  }

  /** `text` with every secret replaced by `***` and URLs without user info. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(MASK);
    return redactUrl(out);
  }

  #add(secrets: Iterable<string>): void {
    for (const secret of secrets) {
      if (secret === '' || this.#secrets.includes(secret)) continue;
      this.#secrets.push(secret);
      // A key or passphrase may reach a message one line at a time.
      for (const line of secret.split('\n')) {
        const trimmed = line.trim();
        if (trimmed.length >= 8 && !trimmed.startsWith('-----') && !this.#secrets.includes(trimmed))
          this.#secrets.push(trimmed);
      }
    }
    // Longest first, so a secret that contains another is hidden whole.
    this.#secrets.sort((a, b) => b.length - a.length);
  }
}

/** The secrets of a Basic auth pair as they travel: the pair itself and its base64 header value. */
export function basicAuthForms(username: string, password: string): string[] {
  return [password, Buffer.from(`${username}:${password}`).toString('base64')];
}
