import type { ImageRef, SetterField } from './types.js';

/** A parsed setter: which policy, which part of its ref. */
export interface Setter {
  setter: string;
  policy: string;
  field: SetterField;
}

const FIELDS: ReadonlySet<string> = new Set(['tag', 'name', 'digest']);

/**
 * Reads a comment token's text (`# {...}`) the way Flux does (kyaml's
 * `FieldMeta.processShortHand`): strip the leading `#`s, then the rest must be
 * a JSON object whose values are all strings (or null) and whose `$imagepolicy`
 * is a non-empty string. Anything else is an ordinary comment.
 */
export function readMarkerComment(comment: string): string | undefined {
  let start = 0;
  while (comment.charCodeAt(start) === 0x23 /* # */) start++;
  const body = comment.slice(start);
  if (!body.includes('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  // Go unmarshals into map[string]string: a number, boolean, array or object
  // anywhere fails the whole comment, while `null` is accepted (stored as "").
  for (const value of Object.values(parsed)) {
    if (typeof value !== 'string' && value !== null) return undefined;
  }
  const setter = (parsed as Record<string, string>).$imagepolicy;
  return setter ? setter : undefined;
}

/**
 * Splits `ns:name[:tag|:name|:digest]`. Any other shape is kept whole as a
 * policy key, so it later reports as an unknown policy, as Flux (which only
 * registers these four forms per policy) would ignore it.
 */
export function parseSetter(setter: string): Setter {
  const parts = setter.split(':');
  if (parts.length === 3 && FIELDS.has(parts[2]!)) {
    return { setter, policy: `${parts[0]}:${parts[1]}`, field: parts[2] as SetterField };
  }
  return { setter, policy: setter, field: 'ref' };
}

/**
 * The string a setter writes. `:digest` writes `""` when the ref has no digest,
 * as Flux does (its setter value is `latestRef.digest`, a Go string that is
 * empty then): a Kustomization's `newTag` and `newDigest` can never disagree.
 */
export function setterValue(ref: ImageRef, field: SetterField): string {
  switch (field) {
    case 'tag':
      return ref.tag;
    case 'name':
      return ref.name;
    case 'digest':
      return ref.digest ?? '';
    case 'ref':
      return ref.digest ? `${ref.name}:${ref.tag}@${ref.digest}` : `${ref.name}:${ref.tag}`;
  }
}
