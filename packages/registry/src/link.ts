// Reads `Link` headers (RFC 8288) as registries really send them. distribution
// and most registries send `</v2/x/tags/list?n=100&last=abc>; rel="next"`, but
// some proxies and registries leave out the angle brackets, the quotes around
// `rel`, or write `REL=Next`; a header may hold several links and a response
// several headers (which fetch joins with ", "). Anything of that shape is read;
// what is malformed is reported, never guessed at.

/** One link of a `Link` header: the target as written and its parameters. */
export interface LinkValue {
  /** The URI reference between `<` and `>` (or before the first `;` without them), not resolved. */
  readonly target: string;
  /** Parameters by lower-case name; quoted values unescaped; only the first of a repeated name. */
  readonly params: ReadonlyMap<string, string>;
}

/** A `Link` header that cannot be read; the client turns it into `INVALID_RESPONSE`. */
export class InvalidLinkError extends Error {}

const SPACE = /[ \t]/;
// RFC 9110 token characters: what a parameter name may be made of.
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const UNQUOTED_VALUE_END = /[ \t;,]/;

/**
 * Every link of a `Link` header value, in order.
 *
 * @throws {InvalidLinkError} for a `<` without `>`, an unterminated quoted
 * string, a link with no target, or a parameter that does not start with a name.
 */
export function parseLinks(header: string): LinkValue[] {
  const links: LinkValue[] = [];
  let i = 0;
  for (;;) {
    while (i < header.length && (SPACE.test(header[i]!) || header[i] === ',')) i++;
    if (i >= header.length) return links;
    let target: string;
    if (header[i] === '<') {
      const close = header.indexOf('>', i + 1);
      if (close === -1) throw new InvalidLinkError('a "<" without its ">"');
      target = header.slice(i + 1, close);
      i = close + 1;
    } else {
      const end = bareTargetEnd(header, i);
      target = header.slice(i, end).trim();
      if (target === '') throw new InvalidLinkError('a link with no target');
      i = end;
    }
    const params = new Map<string, string>();
    i = readParams(header, i, params);
    links.push({ target, params });
  }
}

/** The `rel` values of a link, lower-cased (`rel="next last"` has two). */
export function relations(link: LinkValue): string[] {
  const rel = link.params.get('rel');
  return rel === undefined ? [] : rel.toLowerCase().split(/[ \t]+/);
}

/**
 * Where a target written without angle brackets ends: at the first `;`, or at a
 * `,` that starts another bracketed link. A comma anywhere else stays in the
 * target, so `?last=a,b; rel=next` keeps its query.
 */
function bareTargetEnd(header: string, from: number): number {
  for (let i = from; i < header.length; i++) {
    const char = header[i];
    if (char === ';') return i;
    if (char === ',') {
      let j = i + 1;
      while (j < header.length && SPACE.test(header[j]!)) j++;
      if (header[j] === '<') return i;
    }
  }
  return header.length;
}

/**
 * Reads `; name=value` parameters into `params` up to the comma that ends the
 * link (or the end), returning the index after it. A missing `;` between
 * parameters is tolerated; a value may be a token or a quoted string.
 */
function readParams(header: string, from: number, params: Map<string, string>): number {
  let i = from;
  while (i < header.length) {
    const char = header[i]!;
    if (char === ',') return i + 1;
    if (char === ';' || SPACE.test(char)) {
      i++;
      continue;
    }
    if (!TOKEN_CHAR.test(char)) {
      throw new InvalidLinkError(
        `unexpected ${JSON.stringify(char)} where a parameter name belongs`,
      );
    }
    const nameStart = i;
    while (i < header.length && TOKEN_CHAR.test(header[i]!)) i++;
    const name = header.slice(nameStart, i).toLowerCase();
    while (i < header.length && SPACE.test(header[i]!)) i++;
    let value = '';
    if (header[i] === '=') {
      i++;
      while (i < header.length && SPACE.test(header[i]!)) i++;
      if (header[i] === '"') {
        [value, i] = readQuoted(header, i + 1);
      } else {
        const valueStart = i;
        while (i < header.length && !UNQUOTED_VALUE_END.test(header[i]!)) i++;
        value = header.slice(valueStart, i);
      }
    }
    // RFC 8288 section 3: occurrences of a parameter after the first are ignored.
    if (!params.has(name)) params.set(name, value);
  }
  return i;
}

/** A quoted string whose opening quote is just before `from`, unescaped; returns value and end. */
function readQuoted(header: string, from: number): [string, number] {
  let value = '';
  for (let i = from; i < header.length; i++) {
    const char = header[i]!;
    if (char === '"') return [value, i + 1];
    if (char === '\\') {
      i++;
      if (i >= header.length) break;
      value += header[i];
      continue;
    }
    value += char;
  }
  throw new InvalidLinkError('a quoted string without its closing quote');
}
