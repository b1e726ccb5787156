// The two halves of a tag-list page: the tags in its body, and where the next
// page is according to its `Link` header. Both are read as real registries
// write them, and neither ever ends a listing silently: what cannot be read is
// an error, what is skipped is counted.
import { isTag } from '@tagsmith/oci';
import { InvalidBodyError, parseJson } from './body.js';
import { redactUrl } from './errors.js';
import { InvalidLinkError, parseLinks, relations } from './link.js';
import type { Logger } from './logger.js';
import { type FailedReply, ociError } from './status.js';

/**
 * The `rel="next"` target of a `Link` header resolved against the URL of the
 * request that returned it, or `undefined` when the header has no next link.
 *
 * @throws {InvalidLinkError} when the header mentions `next` but cannot be
 * read, or its next target is not an http(s) URL (`<http://a b>`, a port over
 * 65535): stopping there would silently truncate the listing.
 */
export function nextPageUrl(header: string | null, requestUrl: URL): URL | undefined {
  if (!header) return undefined;
  // Nearly every page of a listing carries exactly what distribution writes;
  // read that shape with one regex test instead of the general parser, which
  // would find the same single link with the same target.
  const exact = EXACT_NEXT.exec(header);
  if (exact !== null) return resolveTarget(exact[1]!, requestUrl);
  let links: ReturnType<typeof parseLinks>;
  try {
    links = parseLinks(header);
  } catch (error) {
    // A header we cannot read that never says "next" cannot be hiding a next page.
    if (error instanceof InvalidLinkError && !/next/i.test(header)) return undefined;
    throw error;
  }
  const next = links.find((link) => relations(link).includes('next'));
  if (next === undefined) {
    if (MENTIONS_REL_NEXT.test(header)) {
      throw new InvalidLinkError('it mentions rel=next, but no link carries it');
    }
    return undefined;
  }
  return resolveTarget(next.target, requestUrl);
}

// distribution's own `Link`: one bracketed target and `rel="next"`, nothing else.
const EXACT_NEXT = /^<([^>]*)>; rel="next"$/;

// `rel=next` or `rel="… next …"` anywhere, e.g. `</p>; rel="prev"; rel="next"`,
// where the repeated parameter is ignored (RFC 8288), or a `rel` with no target.
const MENTIONS_REL_NEXT = /\brel\s*=\s*(?:"[^"]*\bnext\b|next\b)/i;

// Characters no URI reference contains, which the URL parser would quietly
// encode or (a backslash) read as a slash: a target holding one is garbled.
const NOT_IN_URI = /[\s"<>\\\p{Cc}]/u;

function resolveTarget(target: string, requestUrl: URL): URL {
  let url: URL | undefined;
  if (!NOT_IN_URI.test(target)) {
    try {
      url = new URL(target, requestUrl);
    } catch {
      url = undefined;
    }
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InvalidLinkError(
      `the rel="next" target ${describeTarget(target)} is not an http(s) URL`,
    );
  }
  return url;
}

/** The target for a message: without its query, which may hold a token, and at most 100 characters. */
function describeTarget(target: string): string {
  const query = target.indexOf('?');
  const head = query === -1 ? target : `${target.slice(0, query)}?…`;
  return JSON.stringify(head.length > 100 ? `${head.slice(0, 100)}…` : head);
}

/**
 * `url`'s path and query on `origin`. Registries behind a proxy (Harbor, Nexus)
 * put their internal host name in next links; containers/image follows only
 * the path and query of a next link, on the registry it is talking to, and so
 * do we: no request, and so no credential, ever goes to a host the caller did
 * not name. Userinfo and fragment are dropped with the origin.
 */
export function onOrigin(url: URL, origin: string): URL {
  if (url.origin === origin && url.username === '' && url.password === '' && url.hash === '') {
    return url;
  }
  return new URL(`${url.pathname}${url.search}`, origin);
}

/** The tags of one tag-list page, and the entries that were left out. */
export interface TagPage {
  /** The valid tag names, in the registry's order. */
  readonly tags: string[];
  /** `null` entries (Nexus 3.58 sends them). */
  readonly nulls: number;
  /** Strings that are not tag names (Artifactory lists digests such as `sha256:…`). */
  readonly notTags: number;
  /** The first of those strings, for the log line. */
  readonly firstNotTag?: string | undefined;
}

/**
 * The tags of one tag-list page. `"tags": null` (distribution's answer for a
 * repository whose tags were all deleted) and an absent field are no tags.
 * `null` entries and strings that are not tag names are skipped and counted
 * (containers/image skips the same two), since one odd entry must not lose the
 * whole list; any other non-string means the body is not a tag list.
 *
 * @throws {InvalidBodyError} when the body is not a tag-list object.
 */
export function parseTagPage(body: Buffer): TagPage {
  const page = parseJson(body);
  if (typeof page !== 'object' || page === null || Array.isArray(page)) {
    throw new InvalidBodyError('tag list is not a JSON object');
  }
  const tags = (page as { tags?: unknown }).tags;
  if (tags === null || tags === undefined) return { tags: [], nulls: 0, notTags: 0 };
  if (!Array.isArray(tags)) throw new InvalidBodyError('"tags" is not an array');
  let kept: string[] | undefined;
  let nulls = 0;
  let notTags = 0;
  let firstNotTag: string | undefined;
  for (let i = 0; i < tags.length; i++) {
    const tag: unknown = tags[i];
    if (typeof tag === 'string' && isTag(tag)) {
      kept?.push(tag);
      continue;
    }
    if (tag === null) nulls++;
    else if (typeof tag === 'string') {
      notTags++;
      firstNotTag ??= tag;
    } else throw new InvalidBodyError(`"tags"[${i}] is not a string`);
    // The first skipped entry: copy what came before it, then keep going.
    kept ??= (tags as string[]).slice(0, i);
  }
  return { tags: kept ?? (tags as string[]), nulls, notTags, firstNotTag };
}

const MAX_QUOTED_ENTRY = 80;

/**
 * Counts the entries of `"tags"` left out across the pages of one listing and
 * reports them in one log line when the listing ends.
 */
export class SkippedEntries {
  readonly #url: URL;
  #nulls = 0;
  #notTags = 0;
  #firstNotTag: string | undefined;

  constructor(url: URL) {
    this.#url = url;
  }

  /** Counts a page's skipped entries and returns its tags. */
  add(page: TagPage): string[] {
    this.#nulls += page.nulls;
    this.#notTags += page.notTags;
    this.#firstNotTag ??= page.firstNotTag;
    return page.tags;
  }

  /** Logs one `warn` line if anything was skipped. */
  report(logger: Logger | undefined): void {
    const total = this.#nulls + this.#notTags;
    if (total === 0) return;
    const parts: string[] = [];
    if (this.#nulls > 0) parts.push(`${this.#nulls} null`);
    if (this.#notTags > 0) {
      const example = this.#firstNotTag ?? '';
      const shown =
        example.length > MAX_QUOTED_ENTRY ? `${example.slice(0, MAX_QUOTED_ENTRY)}…` : example;
      parts.push(`${this.#notTags} not a tag name, e.g. ${JSON.stringify(shown)}`);
    }
    logger?.warn?.(
      `GET ${redactUrl(this.#url)}: skipped ${total} ${total === 1 ? 'entry' : 'entries'} of "tags" (${parts.join('; ')})`,
    );
  }
}

/**
 * Whether a first page was refused for its `n`: distribution 3 answers 400
 * `PAGINATION_NUMBER_INVALID` above its limit, ECR 405 for `n` over 1000.
 */
export function refusesPageSize(reply: FailedReply): boolean {
  if (reply.status === 405) return true;
  return reply.status === 400 && ociError(reply.body)?.code === 'PAGINATION_NUMBER_INVALID';
}
