import { InvalidBodyError, parseJson } from './body.js';

/**
 * Finds the `rel="next"` target in a `Link` header (RFC 8288) and resolves it
 * against the URL of the request that returned it. Handles several links per
 * header, commas inside `<…>` and quoted parameters, and multi-valued `rel`.
 */
export function nextPageUrl(link: string | null, requestUrl: URL): URL | undefined {
  if (!link) return undefined;
  let i = 0;
  while (i < link.length) {
    const open = link.indexOf('<', i);
    if (open === -1) return undefined;
    const close = link.indexOf('>', open + 1);
    if (close === -1) return undefined;
    const target = link.slice(open + 1, close);
    const [params, end] = readParams(link, close + 1);
    i = end;
    const rel = params.get('rel');
    if (rel?.toLowerCase().split(/\s+/).includes('next')) {
      return new URL(target, requestUrl);
    }
  }
  return undefined;
}

/** Reads `; name=value` pairs after a link target up to the comma ending the link. */
function readParams(text: string, from: number): [Map<string, string>, number] {
  const params = new Map<string, string>();
  let i = from;
  while (i < text.length) {
    while (i < text.length && /[ \t;]/.test(text[i]!)) i++;
    if (i >= text.length || text[i] === ',') return [params, i + 1];
    const nameStart = i;
    while (i < text.length && !/[ \t=;,]/.test(text[i]!)) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    while (i < text.length && /[ \t]/.test(text[i]!)) i++;
    let value = '';
    if (text[i] === '=') {
      i++;
      while (i < text.length && /[ \t]/.test(text[i]!)) i++;
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          value += text[i] ?? '';
          i++;
        }
        i++;
      } else {
        const valueStart = i;
        while (i < text.length && !/[ \t;,]/.test(text[i]!)) i++;
        value = text.slice(valueStart, i);
      }
    }
    // RFC 8288: only the first occurrence of a parameter counts.
    if (name !== '' && !params.has(name)) params.set(name, value);
  }
  return [params, i];
}

/**
 * The tags of one tag-list page. `"tags": null` (distribution's answer for a
 * repository whose tags were all deleted) and an absent field are no tags.
 */
export function parseTagPage(body: Buffer): string[] {
  const page = parseJson(body);
  if (typeof page !== 'object' || page === null || Array.isArray(page)) {
    throw new InvalidBodyError('tag list is not a JSON object');
  }
  const tags = (page as { tags?: unknown }).tags;
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags)) throw new InvalidBodyError('"tags" is not an array');
  for (let i = 0; i < tags.length; i++) {
    if (typeof tags[i] !== 'string') {
      throw new InvalidBodyError(`"tags"[${i}] is not a string`);
    }
  }
  return tags as string[];
}
