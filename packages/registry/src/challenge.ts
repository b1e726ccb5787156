/** One challenge from a `WWW-Authenticate` header, e.g. `Bearer realm="…",service="…"`. */
export interface Challenge {
  /** The auth scheme in lower case: `bearer`, `basic`, … */
  readonly scheme: string;
  /** Parameters by lower-case name, quoted strings unescaped. */
  readonly params: ReadonlyMap<string, string>;
}

const SPACE = /[ \t]/;
const NAME_END = /[ \t,=]/;
const VALUE_END = /[ \t,]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Parses every challenge in a `WWW-Authenticate` value (RFC 9110 §11.6.1): several
 * challenges may share one header, separated by the same commas that separate
 * parameters, and quoted strings may hold commas and backslash escapes. Unparseable
 * bits (token68 blobs) are skipped rather than rejected, because a registry that
 * sends one odd challenge next to a good Bearer one must still work.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  const challenges: { scheme: string; params: Map<string, string> }[] = [];
  if (!header) return challenges;
  let current: { scheme: string; params: Map<string, string> } | undefined;
  let i = 0;
  const length = header.length;

  while (i < length) {
    while (i < length && (SPACE.test(header[i]!) || header[i] === ',')) i++;
    if (i >= length) break;

    const start = i;
    while (i < length && !NAME_END.test(header[i]!)) i++;
    const word = header.slice(start, i);
    if (word === '') {
      i++; // a stray '=' with no name before it
      continue;
    }
    let j = i;
    while (j < length && SPACE.test(header[j]!)) j++;

    if (header[j] !== '=' || current === undefined) {
      if (!TOKEN.test(word)) continue;
      current = { scheme: word.toLowerCase(), params: new Map() };
      challenges.push(current);
      continue;
    }

    i = j + 1;
    while (i < length && SPACE.test(header[i]!)) i++;
    if (header[i] === '"') {
      const [value, next] = readQuoted(header, i + 1);
      current.params.set(word.toLowerCase(), value);
      i = next;
    } else {
      const valueStart = i;
      while (i < length && !VALUE_END.test(header[i]!)) i++;
      const value = header.slice(valueStart, i);
      // `abc==` is a token68 blob, not a parameter called `abc`.
      if (value !== '' && !value.startsWith('=')) current.params.set(word.toLowerCase(), value);
    }
  }
  return challenges;
}

/** Reads a quoted string whose opening quote is just before `from`; returns value and end. */
function readQuoted(text: string, from: number): [string, number] {
  let value = '';
  let i = from;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') return [value, i + 1];
    if (char === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += char;
    i++;
  }
  return [value, i];
}
