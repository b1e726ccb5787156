// `update --set namespace:name=image:tag[@digest]`: each value becomes one entry of the
// setters' policies map, keyed as markers name policies, valued like Flux's
// ImagePolicy.status.latestRef. Only the shape is checked here; the name, tag and
// digest grammars are the setters' own (INVALID_REF), so the two cannot disagree.

import type { ImageRef } from '@tagsmith/setters';
import { UsageError } from '../exit-codes.js';

const POLICY_KEY = /^[^\s:=/]+:[^\s:=/]+$/;
const SHAPE =
  'expected NAMESPACE:NAME=IMAGE:TAG[@DIGEST], e.g. flux-system:web=ghcr.io/acme/web:1.5.2';

/** One `--set` value as a policy key and ref. */
export function parseSetFlag(value: string): [key: string, ref: ImageRef] {
  const bad = (why: string) => new UsageError(`--set ${JSON.stringify(value)}: ${why}; ${SHAPE}`);
  const equals = value.indexOf('=');
  const key = value.slice(0, equals);
  if (equals < 0 || !POLICY_KEY.test(key)) throw bad('no NAMESPACE:NAME before "="');
  let image = value.slice(equals + 1);
  let digest: string | undefined;
  const at = image.indexOf('@');
  if (at >= 0) {
    digest = image.slice(at + 1);
    image = image.slice(0, at);
  }
  // The tag follows the last ":" after the last "/": a registry port is not a tag.
  const colon = image.lastIndexOf(':');
  if (colon <= image.lastIndexOf('/') || colon === image.length - 1 || colon === 0) {
    throw bad(`no tag in image ${JSON.stringify(image)}`);
  }
  const ref: ImageRef = { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  if (digest !== undefined) ref.digest = digest;
  return [key, ref];
}

/** Every `--set` value as the setters' policies map (a later value for a key wins). */
export function parseSetFlags(values: readonly string[]): Record<string, ImageRef> {
  return Object.fromEntries(values.map(parseSetFlag));
}
